/**
 * `rotate-key` against moto: new key → write → verify → deactivate and
 * delete the old one. Making room when the user has two keys, waiting for
 * IAM to accept the new key, and failures midway that must leave a working
 * key in the credentials file and say which keys exist.
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
    const result = await wizard(sb, ['rotate-key'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const fresh = fileKeyId(sb)!;
    expect(fresh).not.toBe(old);
    expect(await keysOf(sb)).toEqual([{id: fresh, status: 'Active'}]);
    expect(await profileWorks()).toBe('arn:aws:iam::123456789012:user/serverless');
    expect(existsSync(`${sb.credentialsPath}.bak`)).toBe(true);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toMatch(/^\[serverless\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\n$/);
    expect(result.stdout).toContain(`created the new key ${mask(fresh)}`);
    expect(result.stdout).toContain(`deactivated and deleted the previous key ${mask(old)}`);
    expect(result.stdout).not.toContain(fresh);
    expect(result.stdout).not.toContain(old);
    // Deactivated before deleted, and both only after the new key was proven.
    const actions = proxy.calls.map((c) => c.action);
    expect(actions.indexOf('UpdateAccessKey')).toBeGreaterThan(actions.lastIndexOf('GetCallerIdentity'));
    expect(actions.indexOf('DeleteAccessKey')).toBeGreaterThan(actions.indexOf('UpdateAccessKey'));
  });

  it('reports the steps and the remaining keys (masked) as JSON', async () => {
    const result = await wizardJson<RotateReport>(sb, ['rotate-key'], proxy.url);
    expect(result.code).toBe(0);
    expect(result.json.ok).toBe(true);
    expect(result.json.steps.map((s) => [s.id, s.status])).toEqual([
      ['access-key', 'created'], ['credentials-file', 'updated'], ['verify', 'created'], ['old-key', 'updated'],
    ]);
    expect(result.json.keys).toEqual([{id: mask(fileKeyId(sb)!), status: 'Active', inFile: true}]);
    expect(result.json.apiCalls.write).toBe(3);
  });

  it('waits while IAM does not accept the new key yet, and shows the wait', async () => {
    proxy.setFault(afterCreate(2, {status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.'}));
    const result = await wizard(sb, ['rotate-key'], proxy.url);
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

  it('deletes an inactive second key to make room without asking', async () => {
    const extra = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
    await awsOk(sb, ['iam', 'update-access-key', '--user-name', 'serverless', '--access-key-id', extra, '--status', 'Inactive']);
    const result = await wizard(sb, ['rotate-key'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`deleted ${mask(extra)} to make room (Inactive`);
    expect(await keysOf(sb)).toEqual([{id: fileKeyId(sb), status: 'Active'}]);
  });

  it('when the old key cannot be deleted: exit 1, the file holds the new working key, and both keys are listed', async () => {
    const old = fileKeyId(sb)!;
    proxy.setFault((call) => (call.action === 'UpdateAccessKey' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined));
    const result = await wizardJson<RotateReport>(sb, ['rotate-key'], proxy.url);
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
    const result = await wizard(sb, ['rotate-key'], proxy.url);
    expect(result.code).toBe(1);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(before);
    expect(await keysOf(sb)).toEqual([{id: old, status: 'Active'}]);
    expect(await profileWorks()).toMatch(/:user\/serverless$/);
    expect(result.stdout).toContain(`holds the previous key ${mask(old)} again`);
    expect(result.stdout).toContain(`Keys of serverless now: ${mask(old)} (Active, in the credentials file).`);
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
