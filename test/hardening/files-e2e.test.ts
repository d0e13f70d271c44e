/**
 * Issue 16, the person's files (items 3-8 and 12), against moto with the
 * built CLI: an edit saved mid-run survives, two runs at once end with one
 * key, bytes that are not UTF-8 survive, only regular files are written, the
 * paths are absolute, every file holding a secret (backups too) is 0600,
 * CreateAccessKey is never retried blindly and a key left without its secret
 * is named with its delete command, and what cannot be written stops the run
 * before the first AWS write. Where a folder's mode matters, the CLI runs as
 * "nobody" (root ignores modes).
 */
import {spawnSync} from 'node:child_process';
import {appendFileSync, chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {parseIni} from '../../src/files/ini-document.js';
import {giveToUnprivileged, runWizard, RUNS_AS_ROOT, startDroppingProxy} from './files-helpers.js';

interface Step { id: string; status: string; detail: string; hint?: string }
interface Report { ok: boolean; steps: Step[]; apiCalls: {read: number; write: number} }

const DEFAULT_PROFILE = '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE1\naws_secret_access_key = not-real\n';

let proxy: AwsProxy;
let sb: Sandbox;

beforeAll(async () => {
  proxy = await startAwsProxy({target: motoUrl()});
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto(motoUrl());
  proxy.setFault(undefined);
  proxy.calls.length = 0;
  sb = makeSandbox();
});
afterEach(() => {
  if (existsSync(join(sb.home, '.aws'))) chmodSync(join(sb.home, '.aws'), 0o755);
  sb.cleanup();
});

const awsDir = () => join(sb.home, '.aws');
const writes = () => proxy.calls.filter((c) => c.kind === 'write');

function seed(credentials = DEFAULT_PROFILE, config = '[default]\nregion = eu-west-1\n', credentialsMode = 0o600): void {
  mkdirSync(awsDir(), {recursive: true});
  writeFileSync(sb.credentialsPath, credentials, {mode: credentialsMode});
  chmodSync(sb.credentialsPath, credentialsMode);
  writeFileSync(sb.configPath, config);
}

async function setup(opts: {env?: Record<string, string | undefined>; url?: string; unprivileged?: boolean; json?: boolean; timeoutMs?: number} = {}) {
  const args = ['setup', '--yes', '--endpoint-url', opts.url ?? proxy.url, ...(opts.json === false ? [] : ['--json'])];
  const result = await runWizard(args, {cwd: sb.project, env: sb.env(opts.env), unprivileged: opts.unprivileged, timeoutMs: opts.timeoutMs});
  let json: Report | undefined;
  try {
    json = JSON.parse(result.stdout) as Report;
  } catch {
    json = undefined;
  }
  return {...result, json};
}

async function userKeys(): Promise<{AccessKeyId: string; Status: string}[]> {
  const out = await awsCli(['iam', 'list-access-keys', '--user-name', 'serverless'], {env: sb.env(), endpointUrl: motoUrl()});
  return (out.json as {AccessKeyMetadata?: {AccessKeyId: string; Status: string}[]} | undefined)?.AccessKeyMetadata ?? [];
}

const stepOf = (report: Report | undefined, id: string) => report?.steps.find((s) => s.id === id);
const modeOf = (path: string) => statSync(path).mode & 0o777;
const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;

describe('item 3: an edit made while a run is under way is kept', () => {
  it('a profile the person adds to the credentials file mid-run survives the write of the new key', async () => {
    seed();
    const added = '\n[added-meanwhile]\naws_access_key_id = AKIAADDEDMEANWHILE01\naws_secret_access_key = added-secret\n';
    proxy.setFault((call) => {
      // Saved by the person after the run read the file, while AWS makes the key.
      if (call.action === 'CreateAccessKey') appendFileSync(sb.credentialsPath, added);
      return undefined;
    });
    const run = await setup();
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(sb.credentialsPath, 'utf8');
    const sections = parseIni(text);
    expect(sections.get('added-meanwhile')).toEqual({aws_access_key_id: 'AKIAADDEDMEANWHILE01', aws_secret_access_key: 'added-secret'});
    expect(sections.get('default')?.aws_access_key_id).toBe('AKIADEFAULTEXAMPLE1');
    const [key] = await userKeys();
    expect(sections.get('serverless')?.aws_access_key_id).toBe(key!.AccessKeyId);
  });

  it('with AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE naming one file, both edits are in it, at 0600', async () => {
    mkdirSync(awsDir());
    const shared = join(awsDir(), 'shared');
    writeFileSync(shared, '[default]\nregion = eu-west-1\n', {mode: 0o600});
    const env = {AWS_CONFIG_FILE: shared, AWS_SHARED_CREDENTIALS_FILE: shared};
    const run = await setup({env});
    expect(run.code, run.stderr).toBe(0);
    const sections = parseIni(readFileSync(shared, 'utf8'));
    const [key] = await userKeys();
    expect(sections.get('serverless')?.aws_access_key_id).toBe(key!.AccessKeyId);
    expect(sections.get('profile serverless')).toMatchObject({region: 'us-east-1', output: 'json'});
    expect(sections.get('default')).toEqual({region: 'eu-west-1'});
    expect(modeOf(shared)).toBe(0o600);
    const again = await setup({env});
    expect(again.code, again.stderr).toBe(0);
    expect(again.json?.apiCalls.write).toBe(0);
  });
});

describe('items 3 and 8: two runs at once', () => {
  it('end with one key, held in the profile, and both files whole; no live key is left only in a backup', async () => {
    seed();
    // Latency spreads both runs over the same seconds, so their checks see the same empty profile.
    const slow = await startAwsProxy({target: motoUrl(), latencyMs: 30});
    try {
      const [a, b] = await Promise.all([setup({url: slow.url}), setup({url: slow.url})]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(slow.calls.filter((c) => c.action === 'CreateAccessKey')).toHaveLength(1);
    } finally {
      await slow.close();
    }
    const keys = await userKeys();
    expect(keys).toHaveLength(1);
    const sections = parseIni(readFileSync(sb.credentialsPath, 'utf8'));
    expect(sections.get('serverless')?.aws_access_key_id).toBe(keys[0]!.AccessKeyId);
    expect(sections.get('default')?.aws_access_key_id).toBe('AKIADEFAULTEXAMPLE1');
    expect(parseIni(readFileSync(sb.configPath, 'utf8')).get('profile serverless')).toMatchObject({region: 'us-east-1'});
    const backup = `${sb.credentialsPath}.bak`;
    if (existsSync(backup)) {
      const inBackup = parseIni(readFileSync(backup, 'utf8')).get('serverless')?.aws_access_key_id;
      if (inBackup) expect(inBackup).toBe(keys[0]!.AccessKeyId);
    }
    expect(readdirSync(awsDir()).filter((n) => n.endsWith('.lock') || n.endsWith('.tmp'))).toEqual([]);
  });

  it('takes over the lock a dead run left behind, and removes it when done', async () => {
    seed();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'});
    const lock = `${sb.credentialsPath}.zappa-iam-wizard.lock`;
    writeFileSync(lock, JSON.stringify({pid: Number(dead.stdout.trim()), host: hostname(), since: '2020-01-01T00:00:00.000Z'}));
    const run = await setup();
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(await userKeys()).toHaveLength(1);
  });
});

describe('item 4: bytes that are not UTF-8', () => {
  it('survive byte for byte in the credentials file and in the settings file', async () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const credentials = Buffer.concat([latin1('# Comptes du caf\u00e9\n'), Buffer.from(DEFAULT_PROFILE)]);
    mkdirSync(awsDir());
    writeFileSync(sb.credentialsPath, credentials, {mode: 0o600});
    const settings = latin1('{\n    "dev": {\n        "app_function": "app.app",\n        "project_name": "demo-app",\n        "runtime": "python3.12",\n        "aws_region": "us-east-1",\n        "environment_variables": {"GREETING": "caf\u00e9"}\n    }\n}\n');
    writeFileSync(sb.settingsPath, settings);
    const run = await setup();
    expect(run.code, run.stderr).toBe(0);
    const after = readFileSync(sb.credentialsPath);
    expect(after.subarray(0, credentials.length).equals(credentials)).toBe(true);
    expect(after.includes(Buffer.from('\ufffd'))).toBe(false);
    const settingsAfter = readFileSync(sb.settingsPath);
    expect(settingsAfter.includes(latin1('"GREETING": "caf\u00e9"'))).toBe(true);
    expect(settingsAfter.includes(Buffer.from('\ufffd'))).toBe(false);
    expect(JSON.parse(settingsAfter.toString('latin1')).dev).toMatchObject({profile_name: 'serverless', manage_roles: false});
    expect(readFileSync(`${sb.credentialsPath}.bak`).equals(credentials)).toBe(true);
  });
});

describe('item 5: only regular files are written', () => {
  it('a FIFO at the credentials path: exit 2 with a sentence, no AWS write, the FIFO left as it is', async () => {
    seed();
    const fifo = join(sb.root, 'credentials-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = await setup({env: {AWS_SHARED_CREDENTIALS_FILE: fifo}, json: false, timeoutMs: 20_000});
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${fifo} is a named pipe (FIFO), not a regular file`);
    expect(run.stderr).toContain('AWS_SHARED_CREDENTIALS_FILE');
    expect(writes()).toEqual([]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.skipIf(!RUNS_AS_ROOT)('a character device (a copy of /dev/null) at the config path: exit 2 before any AWS write, the device kept (needs root for mknod)', async () => {
    seed();
    const device = join(sb.root, 'config-null');
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    const run = await setup({env: {AWS_CONFIG_FILE: device}, json: false});
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${device} is a character device, not a regular file`);
    expect(writes()).toEqual([]);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('a folder at the config path: exit 2, no AWS write', async () => {
    seed();
    const folder = join(sb.root, 'config-folder');
    mkdirSync(folder);
    const run = await setup({env: {AWS_CONFIG_FILE: folder}, json: false});
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${folder} is a folder, not a regular file`);
    expect(writes()).toEqual([]);
  });
});

describe('item 6: the credentials file never lands in the project folder', () => {
  it.each([
    ['HOME empty', {HOME: ''}, /HOME is empty, so the AWS credentials file would be written inside the current folder/],
    ['HOME relative', {HOME: 'home'}, /HOME is "home", a relative path/],
    ['a relative AWS_SHARED_CREDENTIALS_FILE', {AWS_SHARED_CREDENTIALS_FILE: 'aws-credentials'}, /AWS_SHARED_CREDENTIALS_FILE is "aws-credentials", a relative path/],
  ])('%s: exit 2, naming the variable to set, nothing written, no AWS write', async (_name, env, message) => {
    const before = readdirSync(sb.project).sort();
    const run = await setup({env, json: false});
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(sb.project).sort()).toEqual(before);
    expect(writes()).toEqual([]);
  });
});

describe('item 7: every file holding a secret, backups included, is 0600', () => {
  it('a 0644 credentials file gives a 0600 file and a 0600 backup, and the row says the mode the file has', async () => {
    seed(DEFAULT_PROFILE, undefined, 0o644);
    const run = await setup();
    expect(run.code, run.stderr).toBe(0);
    expect(modeOf(sb.credentialsPath)).toBe(0o600);
    expect(modeOf(`${sb.credentialsPath}.bak`)).toBe(0o600);
    expect(readFileSync(`${sb.credentialsPath}.bak`, 'utf8')).toBe(DEFAULT_PROFILE);
    expect(stepOf(run.json, 'credentials-file')?.detail).toMatch(/\(mode 0600\)$/);
  });

  it('a 0644 config file holding a secret key becomes 0600, and so does its backup', async () => {
    seed(DEFAULT_PROFILE, '[default]\nregion = eu-west-1\naws_secret_access_key = config-secret\n');
    chmodSync(sb.configPath, 0o644);
    const run = await setup();
    expect(run.code, run.stderr).toBe(0);
    expect(modeOf(sb.configPath)).toBe(0o600);
    expect(modeOf(`${sb.configPath}.bak`)).toBe(0o600);
  });
});

describe('item 8: a key whose secret nobody holds', () => {
  it('CreateAccessKey whose answer is lost is sent once; the key AWS made is deleted again and named', async () => {
    seed();
    const dropping = await startDroppingProxy(motoUrl(), (action) => action === 'CreateAccessKey');
    try {
      const run = await setup({url: dropping.url});
      expect(run.code, run.stderr).toBe(1);
      expect(dropping.actions.filter((a) => a === 'CreateAccessKey')).toHaveLength(1);
      const detail = stepOf(run.json, 'access-key')?.detail ?? '';
      expect(detail).toMatch(/AWS had made the key AKIA…\w{4} all the same; its secret never arrived, so it was deleted again/);
    } finally {
      await dropping.close();
    }
    expect(await userKeys()).toEqual([]);
    const resumed = await setup({url: motoUrl()});
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await userKeys()).toHaveLength(1);
  });

  it('when the write fails and DeleteAccessKey fails too, the key is named with its delete command, never "deleted again"', async () => {
    seed();
    giveToUnprivileged(sb);
    proxy.setFault((call) => {
      // The folder turns read-only while AWS makes the key: the checks before passed, the write fails.
      if (call.action === 'CreateAccessKey') chmodSync(awsDir(), 0o555);
      if (call.action === 'DeleteAccessKey') return {status: 500, code: 'ServiceFailure', message: 'injected failure of DeleteAccessKey'};
      return undefined;
    });
    const run = await setup({unprivileged: true});
    expect(run.code, run.stderr).toBe(1);
    const [key] = await userKeys();
    expect(key).toBeDefined();
    const detail = stepOf(run.json, 'access-key')?.detail ?? '';
    expect(detail).toContain(`The new key ${mask(key!.AccessKeyId)} could not be deleted either`);
    expect(detail).toContain(`aws iam delete-access-key --user-name serverless --access-key-id ${key!.AccessKeyId}`);
    expect(detail).not.toContain('deleted again');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/aws_secret_access_key\s*=/);
  });
});

describe('item 12: what cannot be written stops the run before the first AWS write', () => {
  it('a read-only ~/.aws folder (the file itself writable): exit 2 naming the folder, no AWS write', async () => {
    seed();
    giveToUnprivileged(sb);
    chmodSync(awsDir(), 0o555);
    const run = await setup({unprivileged: true, json: false});
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain(`its folder ${awsDir()} is not writable`);
    expect(writes()).toEqual([]);
  });

  it('a section the ini editor refuses (an indented continuation line): exit 2 naming file and line, no AWS write, files unchanged', async () => {
    const config = '[default]\nregion = eu-west-1\n\n[profile serverless]\nregion =\n    eu-west-1\n';
    seed(DEFAULT_PROFILE, config);
    const run = await setup({json: false});
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain(`Can't edit ${sb.configPath} (line 5: key "region" has an indented block under it`);
    expect(writes()).toEqual([]);
    expect(readFileSync(sb.configPath, 'utf8')).toBe(config);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(DEFAULT_PROFILE);
  });
});
