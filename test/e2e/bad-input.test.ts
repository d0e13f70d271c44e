/**
 * Issue 4: bad input changes nothing. Exit 2 with the file, line and reason;
 * files byte-identical; no AWS write call.
 */
import {lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

let proxy: AwsProxy;
let sb: Sandbox;

beforeAll(async () => {
  proxy = await startAwsProxy({target: motoUrl()});
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto(motoUrl());
  proxy.calls.length = 0;
  sb = makeSandbox();
  mkdirSync(join(sb.home, '.aws'), {recursive: true});
  writeFileSync(sb.credentialsPath, '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE1\naws_secret_access_key = not-real\n', {mode: 0o600});
  writeFileSync(sb.configPath, '[default]\nregion = eu-west-1\n');
});
afterEach(() => sb.cleanup());

const snapshot = () => [sb.credentialsPath, sb.configPath, sb.settingsPath].map((p) => readFileSync(p, 'utf8'));
const run = (args: string[], env = sb.env()) => runCli(['setup', '--yes', '--endpoint-url', proxy.url, ...args], {cwd: sb.project, env});

const CASES: {name: string; prepare?: () => void; args?: string[]; expected: RegExp}[] = [
  {name: 'malformed zappa_settings.json', prepare: () => writeFileSync(sb.settingsPath, '{"dev": {"app_function": "app.app"'), expected: /zappa_settings\.json \(line 1, column \d+\)/},
  {name: 'settings that are not an object of stages', prepare: () => writeFileSync(sb.settingsPath, '["dev"]\n'), expected: /zappa_settings\.json \(line 1/},
  {name: 'malformed credentials file', prepare: () => writeFileSync(sb.credentialsPath, '[default]\nthis line is not ini\n'), expected: /credentials \(line 2\)/},
  {name: 'duplicate section in the config file', prepare: () => writeFileSync(sb.configPath, '[default]\nregion = eu-west-1\n[default]\nregion = us-east-1\n'), expected: /config \(line 3\)/},
  {name: 'a stage the file lacks, named as no stage can be', args: ['--stage', 'no pe'], expected: /--stage: the file has no stage "no pe", and a new stage's name may only hold letters/},
  {name: 'an extends cycle', prepare: () => writeFileSync(sb.settingsPath, '{"dev": {"extends": "prod"}, "prod": {"extends": "dev"}}\n'), args: ['--stage', 'dev'], expected: /stage "dev" extends "prod", extends "dev": a cycle/},
  {name: 'invalid region', args: ['--region', 'moon-1'], expected: /--region: "moon-1" is not an AWS region name/},
  {name: 'invalid user name', args: ['--user', 'bad name'], expected: /--user: "bad name" may only contain/},
  {name: 'invalid role name', args: ['--role-name', 'bad role!'], expected: /--role-name: "bad role!" may only contain/},
  {name: 'missing settings file', args: ['--settings', 'nowhere/zappa_settings.json'], expected: /zappa_settings\.json does not exist/},
  {name: 'unknown option', args: ['--colour'], expected: /Unknown option "--colour"/},
];

describe('bad input', () => {
  it.each(CASES)('$name: exit 2, nothing changed, no AWS write', async ({prepare, args = [], expected}) => {
    prepare?.();
    const before = snapshot();
    const out = await run(args);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toMatch(expected);
    expect(snapshot()).toEqual(before);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
  });

  it('a credentials file that cannot be created stops before any AWS write', async () => {
    const blocker = join(sb.root, 'not-a-folder');
    writeFileSync(blocker, 'a file where a folder should be');
    const out = await run([], sb.env({AWS_SHARED_CREDENTIALS_FILE: join(blocker, 'credentials')}));
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain(`Can't read ${join(blocker, 'credentials')}: ENOTDIR`);
    expect(out.stderr).toContain('a file where a folder should be');
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
  });
});

describe('a credentials file that is a symlink', () => {
  it('edits the target and keeps the link', async () => {
    const dotfiles = join(sb.root, 'dotfiles');
    mkdirSync(dotfiles);
    const target = join(dotfiles, 'aws-credentials');
    writeFileSync(target, readFileSync(sb.credentialsPath), {mode: 0o600});
    const {rmSync} = await import('node:fs');
    rmSync(sb.credentialsPath);
    symlinkSync(target, sb.credentialsPath);
    const out = await run([]);
    expect(out.code, out.stderr).toBe(0);
    expect(lstatSync(sb.credentialsPath).isSymbolicLink()).toBe(true);
    expect(readlinkSync(sb.credentialsPath)).toBe(target);
    const text = readFileSync(target, 'utf8');
    expect(text).toMatch(/^\[default\]\naws_access_key_id = AKIADEFAULTEXAMPLE1\n/);
    expect(text).toContain('[serverless]');
  });
});
