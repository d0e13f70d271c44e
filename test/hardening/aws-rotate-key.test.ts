/**
 * Issue 16, item 15: rotate-key under an STS outage and two rotations at once.
 * - STS stops answering after the new key is made: the rollback does not ask
 *   STS again about the old key (it answered at the start), puts it back, and
 *   says the new key could not be verified, not that the old one failed.
 * - Two rotate-key runs at once, on two computers (two credentials files) or
 *   on one, end with exactly one key: the runs coordinate through IAM (the
 *   keys are listed again right before and after the new key is made), and
 *   the one that backs off says so in a sentence.
 */
import {cpSync, mkdirSync, readFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {FaultFn} from '../helpers/aws-proxy.js';
import {motoUrl} from '../helpers/moto.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {aws, awsOk, eachTestWithSandboxAndProxy, fileKeyId, keysOf, setupDone, wizard} from '../lifecycle/lifecycle-helpers.js';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {startStallProxy, type StallProxy} from './aws-stall-proxy.js';

const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;

/** Every STS call after the new key is made fails as an outage would. */
function stsDownAfterCreate(): FaultFn {
  let created = false;
  return (call) => {
    if (call.action === 'CreateAccessKey') created = true;
    return created && call.service === 'sts' ? {status: 503, code: 'ServiceUnavailable', message: 'STS is down (test)'} : undefined;
  };
}

/** An expected failure: no bug report, no stack. */
function aSentence(text: string): void {
  expect(text).not.toMatch(/Unexpected error/);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

async function profileWorks(sb: Sandbox): Promise<boolean> {
  const who = await aws(sb, ['sts', 'get-caller-identity', '--profile', 'serverless'], {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined});
  return who.code === 0 && (who.json as {Arn: string}).Arn.endsWith(':user/serverless');
}

describe('rotate-key during an STS outage', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));
  beforeEach(() => setupDone(sb));

  it('keeps what STS said about the old key at the start, puts it back, and reports the outage truthfully', async () => {
    const old = fileKeyId(sb)!;
    const before = readFileSync(sb.credentialsPath, 'utf8');
    proxy.setFault(stsDownAfterCreate());
    const result = await wizard(sb, ['rotate-key', '--yes'], proxy.url);
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(out).toContain('could not be verified, because STS did not answer as it should');
    expect(out).toContain('sts:GetCallerIdentity failed with ServiceUnavailable');
    expect(out).toContain(`The credentials file holds the previous key ${mask(old)} again, and the new key was deleted.`);
    expect(out).not.toContain('did not work either');
    expect(out).not.toContain('was not accepted');
    aSentence(out);
    // Exactly as before: the old key in the file, the only key of the user, working.
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(before);
    expect(await keysOf(sb)).toEqual([{id: old, status: 'Active'}]);
    expect(await profileWorks(sb)).toBe(true);
    // The old key was not asked about again after the new key was made (STS was down by then).
    const afterCreate = proxy.calls.slice(proxy.calls.findIndex((c) => c.action === 'CreateAccessKey'));
    expect(afterCreate.filter((c) => c.service === 'sts')).toHaveLength(1);
  });
});

/** Waits until `ready` holds (polling), or fails the test after `ms`. */
async function until(ready: () => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!ready()) {
    if (Date.now() - started > ms) throw new Error('the awaited request never arrived');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('another run\'s key, at each moment of a rotation', () => {
  let sb: Sandbox;
  let stall: StallProxy | undefined;
  eachTestWithSandboxAndProxy((fresh) => ({sb} = fresh));
  beforeEach(() => setupDone(sb));
  afterEach(async () => {
    await stall?.close();
    stall = undefined;
  });

  /** Runs rotate-key, holding the first request `rule` picks; `meanwhile` runs while it is held. */
  async function rotateWith(hold: (action: string) => boolean, meanwhile: () => Promise<void>) {
    let held = false;
    stall = await startStallProxy(motoUrl(), (call) => {
      if (held || !hold(call.action)) return 'forward';
      held = true;
      return 'hold';
    });
    const run = wizard(sb, ['rotate-key', '--yes'], stall.url);
    await until(() => stall!.held() > 0);
    await meanwhile();
    stall.release();
    return run;
  }

  const createKey = async () => (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;

  it('a key that appears after this run listed the keys and before it makes its own: it stops, nothing made or deleted', async () => {
    const old = fileKeyId(sb)!;
    const before = readFileSync(sb.credentialsPath, 'utf8');
    let stranger = '';
    // GetAccessKeyLastUsed comes after the first listing, before any change.
    const result = await rotateWith((a) => a === 'GetAccessKeyLastUsed', async () => {
      stranger = await createKey();
    });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(out).toContain(`Another access key, ${mask(stranger)}, appeared for serverless while this run was rotating its key`);
    expect(out).toContain('Nothing was created or deleted.');
    aSentence(out);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(before);
    expect((await keysOf(sb)).map((k) => k.id).sort()).toEqual([old, stranger].sort());
  });

  it('another rotation that finished while this run made its key: this run backs off, leaving the other run\'s key alone', async () => {
    const old = fileKeyId(sb)!;
    let theirs = '';
    // The other run makes its key and deletes the old one while this run's CreateAccessKey is on its way.
    const result = await rotateWith((a) => a === 'CreateAccessKey', async () => {
      theirs = await createKey();
      await awsOk(sb, ['iam', 'delete-access-key', '--user-name', 'serverless', '--access-key-id', old]);
    });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(out).toContain(`Another access key, ${mask(theirs)}, appeared for serverless`);
    expect(out).toContain('this run backed off');
    expect(out).toContain(`this run backed off: the credentials file holds the previous key ${mask(old)} again, and the new key was deleted.`);
    expect(out).toContain(`The other run has deleted ${mask(old)} meanwhile, so [serverless] here needs that run's new key`);
    aSentence(out);
    expect(await keysOf(sb)).toEqual([{id: theirs, status: 'Active'}]);
    expect(fileKeyId(sb)).toBe(old);
  });

  it('never deletes, to make room, the key the wizard last wrote into the profile elsewhere', async () => {
    const old = fileKeyId(sb)!;
    // Another computer's rotation: its key is the one the user's tag names for [serverless].
    const theirs = await createKey();
    await awsOk(sb, ['iam', 'tag-user', '--user-name', 'serverless', '--tags', `Key=zappa-iam-wizard:key:serverless,Value=${theirs}`]);
    const before = readFileSync(sb.credentialsPath, 'utf8');
    const result = await wizard(sb, ['rotate-key', '--yes']);
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(out).toContain(`${mask(theirs)}, is the key the wizard last wrote into [serverless] (the user's tag says so)`);
    expect(out).toContain(`aws iam delete-access-key --user-name serverless --access-key-id ${theirs}`);
    aSentence(out);
    expect((await keysOf(sb)).map((k) => k.id).sort()).toEqual([old, theirs].sort());
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(before);
  });
});

describe('two rotate-key runs at once', () => {
  let sb: Sandbox;
  let other: Sandbox | undefined;
  let stall: StallProxy | undefined;
  eachTestWithSandboxAndProxy((fresh) => ({sb} = fresh));
  beforeEach(() => setupDone(sb));
  afterEach(async () => {
    await stall?.close();
    stall = undefined;
    other?.cleanup();
    other = undefined;
  });

  /** A second computer: its own HOME and project, holding the same key as the first. */
  function secondComputer(): Sandbox {
    const twin = makeSandbox();
    mkdirSync(dirname(twin.credentialsPath), {recursive: true});
    cpSync(dirname(sb.credentialsPath), dirname(twin.credentialsPath), {recursive: true});
    cpSync(sb.settingsPath, twin.settingsPath);
    return twin;
  }

  /**
   * Holds each CreateAccessKey until `count` have arrived (or `patienceMs`
   * passed), then lets them through together: both runs have checked the
   * keys before either key exists.
   */
  async function createTogether(count: number, patienceMs: number): Promise<StallProxy> {
    const proxy = await startStallProxy(motoUrl(), (call) => (call.action === 'CreateAccessKey' ? 'hold' : 'forward'));
    const started = Date.now();
    const timer = setInterval(() => {
      if (proxy.held() >= count || (proxy.held() > 0 && Date.now() - started > patienceMs)) proxy.release();
    }, 50);
    const close = proxy.close;
    proxy.close = async () => {
      clearInterval(timer);
      await close();
    };
    return proxy;
  }

  /**
   * The first CreateAccessKey goes through; any later one is held until the
   * first run to end has ended: the other run makes its key after that
   * rotation deleted the old key (what left two keys before).
   */
  async function oneAfterTheOther(runs: (url: string) => Promise<{code: number; stdout: string; stderr: string}>[]): Promise<{code: number; stdout: string; stderr: string}[]> {
    let first = true;
    stall = await startStallProxy(motoUrl(), (call) => {
      if (call.action !== 'CreateAccessKey') return 'forward';
      if (!first) return 'hold';
      first = false;
      return 'forward';
    });
    const pending = runs(stall.url);
    await Promise.race(pending);
    stall.release();
    stall.setRule(() => 'forward');
    return Promise.all(pending);
  }

  async function endsWithOneKey(sandboxes: Sandbox[], results: {code: number; stdout: string; stderr: string}[]): Promise<string> {
    for (const r of results) {
      expect([0, 1], r.stdout + r.stderr).toContain(r.code);
      aSentence(r.stdout + r.stderr);
    }
    const keys = await keysOf(sb);
    expect(keys, JSON.stringify(results.map((r) => r.stdout + r.stderr))).toHaveLength(1);
    const survivor = keys[0]!.id;
    expect(keys[0]!.status).toBe('Active');
    // Whoever finished holds the one key there is, and it works.
    const holders = sandboxes.filter((s) => fileKeyId(s) === survivor);
    expect(holders.length, 'a credentials file holds the surviving key').toBeGreaterThan(0);
    for (const s of holders) expect(await profileWorks(s)).toBe(true);
    // A run that did not finish says why, in a sentence.
    for (const r of results.filter((x) => x.code === 1)) expect(r.stdout + r.stderr).toMatch(/appeared for serverless while this run was rotating its key/);
    return survivor;
  }

  it('on two computers, the second making its key after the first rotation ended: one key is left', async () => {
    other = secondComputer();
    expect(fileKeyId(other)).toBe(fileKeyId(sb));
    const results = await oneAfterTheOther((url) => [sb, other!].map((s) => wizard(s, ['rotate-key', '--yes'], url)));
    await endsWithOneKey([sb, other], results);
  });

  it('on two computers, both making a key at the same moment: one key is left', async () => {
    other = secondComputer();
    stall = await createTogether(2, 20_000);
    const results = await Promise.all([sb, other].map((s) => wizard(s, ['rotate-key', '--yes'], stall!.url)));
    await endsWithOneKey([sb, other], results);
  });

  it('on one computer: one key is left, and it is the one in the file', async () => {
    const results = await oneAfterTheOther((url) => [0, 1].map(() => wizard(sb, ['rotate-key', '--yes'], url)));
    const survivor = await endsWithOneKey([sb], results);
    expect(fileKeyId(sb)).toBe(survivor);
  });
});
