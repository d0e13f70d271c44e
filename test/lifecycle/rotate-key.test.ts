/**
 * `rotate-key` against moto: new key → write → verify → deactivate and
 * delete the old one. One question first, naming the last use of every
 * Active key it will delete (--yes answers it). Making room when the user has
 * two keys, waiting for IAM to accept the new key, and failures midway that
 * must leave a working key in the credentials file and say which keys exist.
 */
import {existsSync, readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {AwsProxy, FaultFn} from '../helpers/aws-proxy.js';
import {motoUrl} from '../helpers/moto.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {TmuxSession} from '../helpers/tmux.js';
import {
  aws, awsOk, eachTestWithSandboxAndProxy, fileKeyId, keysOf, setupDone, snapshot, wizard, wizardJson,
} from './lifecycle-helpers.js';

interface RotateReport {
  command: string;
  ok: boolean;
  steps: {id: string; status: string; detail: string; hint?: string}[];
  keys: {id: string; status: string; inFile: boolean}[];
  error?: {message: string};
  apiCalls: {read: number; write: number};
}

const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;
/** setup's verify step signs STS calls with the key, and moto records that as its last use. */
const usedToday = () => `last used ${new Date().toISOString().slice(0, 10)} by sts in us-east-1`;
const KEY_TAG = 'zappa-iam-wizard:key:serverless';

/** Fails the next `count` STS calls after the new key is created. */
function afterCreate(count: number, fault: {status: number; code: string; message: string}): FaultFn {
  let created = false;
  let left = count;
  return (call) => {
    if (call.action === 'CreateAccessKey') created = true;
    if (created && left > 0 && call.service === 'sts') {
      left--;
      return fault;
    }
    return undefined;
  };
}

describe('rotate-key', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));
  beforeEach(() => setupDone(sb));

  async function profileWorks(): Promise<string> {
    const who = await aws(sb, ['sts', 'get-caller-identity', '--profile', 'serverless'], {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined});
    expect(who.code, who.stderr).toBe(0);
    return (who.json as {Arn: string}).Arn;
  }

  it('replaces the key: new key in the file and working, the old one deleted', async () => {
    const old = fileKeyId(sb)!;
    const result = await wizard(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const fresh = fileKeyId(sb)!;
    expect(fresh).not.toBe(old);
    expect(await keysOf(sb)).toEqual([{id: fresh, status: 'Active'}]);
    expect(await profileWorks()).toBe('arn:aws:iam::123456789012:user/serverless');
    expect(existsSync(`${sb.credentialsPath}.bak`)).toBe(true);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toMatch(/^\[serverless\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\n$/);
    expect(result.stdout).toContain(`created the new key ${mask(fresh)}`);
    expect(result.stdout).toContain(`deactivated and deleted the previous key ${mask(old)} (${usedToday()})`);
    // With --yes there is no question, but the old key's last use is still shown before anything changes.
    expect(result.stdout).toContain(`The key in [serverless], ${mask(old)} (Active, created ${new Date().toISOString().slice(0, 10)}), was ${usedToday()}.`);
    expect(result.stdout.indexOf(usedToday())).toBeLessThan(result.stdout.indexOf('created the new key'));
    expect(result.stdout).not.toContain(fresh);
    expect(result.stdout).not.toContain(old);
    // Deactivated before deleted, and both only after the new key was proven.
    const actions = proxy.calls.map((c) => c.action);
    expect(actions.indexOf('UpdateAccessKey')).toBeGreaterThan(actions.lastIndexOf('GetCallerIdentity'));
    expect(actions.indexOf('DeleteAccessKey')).toBeGreaterThan(actions.indexOf('UpdateAccessKey'));
    // The user's tag names the key the profile now holds.
    const tags = (await awsOk(sb, ['iam', 'list-user-tags', '--user-name', 'serverless'])).Tags as {Key: string; Value: string}[];
    expect(tags).toContainEqual({Key: KEY_TAG, Value: fresh});
  });

  it('reports the steps and the remaining keys (masked) as JSON', async () => {
    const result = await wizardJson<RotateReport>(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code).toBe(0);
    expect(result.json.ok).toBe(true);
    expect(result.json.steps.map((s) => [s.id, s.status])).toEqual([
      ['access-key', 'created'], ['credentials-file', 'updated'], ['verify', 'created'], ['old-key', 'updated'],
    ]);
    expect(result.json.keys).toEqual([{id: mask(fileKeyId(sb)!), status: 'Active', inFile: true}]);
    // CreateAccessKey, TagUser, UpdateAccessKey, DeleteAccessKey.
    expect(result.json.apiCalls.write).toBe(4);
    expect(proxy.calls.filter((c) => c.kind === 'write').map((c) => c.action)).toEqual(['CreateAccessKey', 'TagUser', 'UpdateAccessKey', 'DeleteAccessKey']);
    expect(result.json.steps.at(-1)?.detail).toContain(usedToday());
  });

  it('without --yes and without a terminal: names the old key and its last use, changes nothing, exit 2', async () => {
    const old = fileKeyId(sb)!;
    const before = snapshot(sb);
    const refused = await wizard(sb, ['rotate-key'], proxy.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`rotate-key deletes ${mask(old)}, the key in [serverless] (${usedToday()}), once the new key works`);
    expect(refused.stderr).toContain('--yes');
    expect(refused.stderr + refused.stdout).not.toContain(old);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
  });

  it('--json without --yes prints a JSON error instead of asking, and changes nothing', async () => {
    const old = fileKeyId(sb)!;
    const result = await wizardJson<RotateReport>(sb, ['rotate-key'], proxy.url);
    expect(result.code).toBe(2);
    expect(result.json.ok).toBe(false);
    expect(result.json.error?.message).toContain('a --json run never asks questions');
    expect(result.json.error?.message).toContain(`${mask(old)}, the key in [serverless] (${usedToday()})`);
    expect(result.stdout).not.toMatch(/\(y\/N\)/);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(await keysOf(sb)).toEqual([{id: old, status: 'Active'}]);
  });

  it('waits while IAM does not accept the new key yet, and shows the wait', async () => {
    proxy.setFault(afterCreate(2, {status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.'}));
    const result = await wizard(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/… waiting for IAM to accept the new key/);
    expect(await keysOf(sb)).toEqual([{id: fileKeyId(sb), status: 'Active'}]);
  });

  it('asks before deleting an active key the file does not hold; without a terminal it needs --yes', async () => {
    const extra = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
    const old = fileKeyId(sb)!;
    const before = snapshot(sb);
    const refused = await wizard(sb, ['rotate-key'], proxy.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`has to delete ${mask(extra)}`);
    // One refusal names both deletions, each with its last use (the hand-made key was never used).
    expect(refused.stderr).toContain(`${mask(extra)} (Active, not in the credentials file; something else may still use it; never used)`);
    expect(refused.stderr).toContain(`rotate-key deletes ${mask(old)}, the key in [serverless] (${usedToday()})`);
    expect(refused.stderr).toContain('--yes');
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);

    const result = await wizard(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`deleted ${mask(extra)} to make room`);
    const keys = await keysOf(sb);
    expect(keys).toEqual([{id: fileKeyId(sb), status: 'Active'}]);
    expect(keys.map((k) => k.id)).not.toContain(old);
  });

  it('deletes an inactive second key to make room without asking about it', async () => {
    const extra = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
    await awsOk(sb, ['iam', 'update-access-key', '--user-name', 'serverless', '--access-key-id', extra, '--status', 'Inactive']);
    // The one question is about the old key in the file only.
    const refused = await wizard(sb, ['rotate-key'], proxy.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain(mask(extra));
    const result = await wizard(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`deleted ${mask(extra)} to make room (Inactive`);
    expect(await keysOf(sb)).toEqual([{id: fileKeyId(sb), status: 'Active'}]);
  });

  it('when the old key cannot be deleted: exit 1, the file holds the new working key, and both keys are listed', async () => {
    const old = fileKeyId(sb)!;
    proxy.setFault((call) => (call.action === 'UpdateAccessKey' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined));
    const result = await wizardJson<RotateReport>(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code).toBe(1);
    const fresh = fileKeyId(sb)!;
    expect(fresh).not.toBe(old);
    expect(await profileWorks()).toMatch(/:user\/serverless$/);
    expect(result.json.ok).toBe(false);
    expect(result.json.steps.at(-1)).toMatchObject({id: 'old-key', status: 'failed'});
    expect(result.json.keys).toEqual(expect.arrayContaining([
      {id: mask(fresh), status: 'Active', inFile: true},
      {id: mask(old), status: 'Active', inFile: false},
    ]));
    expect(result.json.keys).toHaveLength(2);
  });

  it('when the new key is refused for good: the old key goes back into the file and the new one is deleted', async () => {
    const old = fileKeyId(sb)!;
    const before = readFileSync(sb.credentialsPath, 'utf8');
    proxy.setFault(afterCreate(1, {status: 403, code: 'AccessDenied', message: 'refused by the test'}));
    const result = await wizard(sb, ['rotate-key', '--yes'], proxy.url);
    expect(result.code).toBe(1);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(before);
    expect(await keysOf(sb)).toEqual([{id: old, status: 'Active'}]);
    expect(await profileWorks()).toMatch(/:user\/serverless$/);
    expect(result.stdout).toContain(`holds the previous key ${mask(old)} again`);
    expect(result.stdout).toContain(`Keys of serverless now: ${mask(old)} (Active, in the credentials file).`);
    // The user's tag names the key the profile holds again.
    const tags = (await awsOk(sb, ['iam', 'list-user-tags', '--user-name', 'serverless'])).Tags as {Key: string; Value: string}[];
    expect(tags).toContainEqual({Key: KEY_TAG, Value: old});
  });

  it('when the old key stays behind, a later setup deactivates it and the one after deletes it', async () => {
    const old = fileKeyId(sb)!;
    proxy.setFault((call) => (call.action === 'UpdateAccessKey' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined));
    expect((await wizard(sb, ['rotate-key', '--yes'], proxy.url)).code).toBe(1);
    proxy.setFault(undefined);
    const fresh = fileKeyId(sb)!;
    expect((await wizard(sb, ['setup', '--yes'], proxy.url)).code).toBe(0);
    expect(await keysOf(sb)).toEqual(expect.arrayContaining([{id: old, status: 'Inactive'}, {id: fresh, status: 'Active'}]));
    expect((await wizard(sb, ['setup', '--yes'], proxy.url)).code).toBe(0);
    expect(await keysOf(sb)).toEqual([{id: fresh, status: 'Active'}]);
  });

  it('exits 2 and changes nothing when the user does not exist', async () => {
    const result = await wizard(sb, ['rotate-key', '--user', 'nobody'], proxy.url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('IAM user nobody does not exist');
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
  });

  describe.skipIf(!TmuxSession.available())('in a terminal', () => {
    let session: TmuxSession | undefined;
    afterEach(() => session?.kill());

    it('asks once, naming the old key\'s last use; yes rotates without a second question', async () => {
      const old = fileKeyId(sb)!;
      session = new TmuxSession(`node ${CLI_BIN} rotate-key --endpoint-url ${motoUrl()}`, {env: sb.env(), cwd: sb.project, cols: 220});
      await session.waitFor(`? Create a new key for [serverless], then deactivate and delete the old one, ${mask(old)} (${usedToday()}), once the new key works? (y/N)`);
      await session.type('y');
      await session.keys('Enter');
      // A second question would hold the run: it ends by itself, and the one question is on the screen once.
      expect(await session.exitCode()).toBe(0);
      const screen = await session.screen({scrollback: true});
      expect(screen.match(/once the new key works\?/g) ?? []).toHaveLength(1);
      expect(screen).toContain(`deactivated and deleted the previous key ${mask(old)}`);
      expect(await keysOf(sb)).toEqual([{id: fileKeyId(sb), status: 'Active'}]);
    });

    it('with two active keys, one question names both deletions and their last use', async () => {
      const extra = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
      const old = fileKeyId(sb)!;
      session = new TmuxSession(`node ${CLI_BIN} rotate-key --endpoint-url ${motoUrl()}`, {env: sb.env(), cwd: sb.project, cols: 220});
      const asked = await session.waitFor(/once the new key works\?/);
      expect(asked).toContain(`Delete ${mask(extra)} (Active, created ${new Date().toISOString().slice(0, 10)}, never used) to make room`);
      expect(asked).toContain(`${mask(old)} (${usedToday()})`);
      await session.type('y');
      await session.keys('Enter');
      expect(await session.exitCode()).toBe(0);
      expect((await session.screen({scrollback: true})).match(/once the new key works\?/g) ?? []).toHaveLength(1);
      expect(await keysOf(sb)).toEqual([{id: fileKeyId(sb), status: 'Active'}]);
    });

    it('asks before deleting the second active key; no leaves both keys and the file as they were', async () => {
      const extra = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
      const before = snapshot(sb);
      const keys = await keysOf(sb);
      session = new TmuxSession(`node ${CLI_BIN} rotate-key --endpoint-url ${motoUrl()}`, {env: sb.env(), cwd: sb.project});
      await session.waitFor(`Delete ${mask(extra)} (Active`);
      await session.type('n');
      await session.keys('Enter');
      expect(await session.exitCode()).toBe(130);
      expect(await session.screen()).toContain('Cancelled. No key was created or deleted.');
      expect(await keysOf(sb)).toEqual(keys);
      expect(snapshot(sb)).toEqual(before);
    });
  });
});
