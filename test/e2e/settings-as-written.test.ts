/**
 * DESIGN.md "Settings as Zappa reads them", against moto with the built CLI:
 * YAML and TOML found as Zappa finds them and edited in place, `extends`
 * followed as Zappa follows it, a stage added, several stages in one run.
 * Every settings file is read back with Python's own readers (yaml.safe_load,
 * tomllib, json), as Zappa reads it; IAM is read back with the AWS CLI.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

interface Step { id: string; stage?: string; stages?: string[]; status: string; detail: string }
interface Report { ok: boolean; stages?: string[]; steps: Step[]; apiCalls: {read: number; write: number}; files: {path: string; status: string}[]; findings?: {id: string; severity: string}[] }

let sb: Sandbox;
beforeEach(async () => {
  await resetMoto(motoUrl());
});
afterEach(() => sb?.cleanup());

/** A project whose settings file is `name` with `text` (the JSON file the sandbox made is removed). */
function project(name: string, text: string): string {
  sb = makeSandbox();
  rmSync(sb.settingsPath);
  const path = join(sb.project, name);
  writeFileSync(path, text);
  return path;
}

function jsonProject(settings: unknown): string {
  sb = makeSandbox({settings});
  return sb.settingsPath;
}

const run = (args: string[]) => runJson<Report>([...args, '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
const setup = (...args: string[]) => run(['setup', '--yes', ...args]);

/** The file's stages as Zappa's reader for its format gives them. */
function zappaReads(path: string): Record<string, Record<string, unknown>> {
  const script = [
    'import json, sys',
    'p = sys.argv[1]',
    'if p.endswith(".toml"):',
    '    import tomllib; data = tomllib.load(open(p, "rb"))',
    'elif p.endswith((".yml", ".yaml")):',
    '    import yaml; data = yaml.safe_load(open(p))',
    'else:',
    '    data = json.load(open(p))',
    'print(json.dumps(data, default=str))',
  ].join('\n');
  const out = spawnSync('python3', ['-c', script, path], {encoding: 'utf8'});
  if (out.status !== 0) throw new Error(`python could not read ${path}: ${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, Record<string, unknown>>;
}

/** Zappa's own extends rule, written again here so the test does not trust the code under test. */
function effective(all: Record<string, Record<string, unknown>>, stage: string): Record<string, unknown> {
  const own = all[stage]!;
  return typeof own.extends === 'string' ? {...effective(all, own.extends), ...own} : {...own};
}

const aws = async (args: string[]) => (await awsCli(args, {env: sb.env(), endpointUrl: motoUrl()})).json as Record<string, unknown>;
const roleNames = async () => ((await aws(['iam', 'list-roles'])).Roles as {RoleName: string}[]).map((r) => r.RoleName).sort();

async function expectSecondRunWritesNothing(...args: string[]) {
  const again = await setup(...args);
  expect(again.code).toBe(0);
  expect(again.json.apiCalls.write).toBe(0);
  expect(again.json.files.every((f) => f.status === 'unchanged')).toBe(true);
  const plan = await run(['plan', ...args]);
  expect(plan.code).toBe(0);
  const doctor = await run(['doctor', ...args]);
  expect(doctor.json.findings?.filter((f) => f.severity === 'problem')).toEqual([]);
  expect(doctor.code).toBe(0);
}

describe('YAML', () => {
  const YAML = [
    '# settings shared by every stage',
    'base: &base',
    '    project_name: lark-notes   # the function is lark-notes-<stage>',
    '    runtime: python3.12',
    '    aws_region : eu-west-1',
    '',
    'dev:',
    '    <<: *base',
    "    app_function: 'lark.app'",
    '    exclude:',
    '        - "*.pyc"',
    '',
    '# production keeps its own bucket',
    'prod:',
    '    <<: *base',
    '    app_function: lark.app',
    '',
  ].join('\n');

  it('is found without --settings, edited in place, and read back by yaml.safe_load as set up', async () => {
    const path = project('zappa_settings.yml', YAML);
    const first = await setup('--stage', 'dev');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.steps.find((s) => s.id === 'zappa-settings')?.status).toBe('updated');
    const read = zappaReads(path);
    expect(read.dev).toMatchObject({profile_name: 'serverless', aws_region: 'eu-west-1', manage_roles: false, role_name: 'lark-notes-dev-ZappaLambdaExecutionRole', project_name: 'lark-notes'});
    expect(String(read.dev!.s3_bucket)).toMatch(/^zappa-lark-notes-[a-z0-9]+$/);
    // The anchored base and the other stage are what they were, comments and spacing included.
    expect(read.base).toEqual({project_name: 'lark-notes', runtime: 'python3.12', aws_region: 'eu-west-1'});
    expect(read.prod).toEqual({project_name: 'lark-notes', runtime: 'python3.12', aws_region: 'eu-west-1', app_function: 'lark.app'});
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(YAML.slice(0, YAML.indexOf('dev:')))).toBe(true);
    expect(text).toContain("    app_function: 'lark.app'\n");
    expect(text).toContain('# production keeps its own bucket\nprod:\n    <<: *base\n    app_function: lark.app\n');
    expect(await roleNames()).toEqual(['lark-notes-dev-ZappaLambdaExecutionRole']);
    await expectSecondRunWritesNothing('--stage', 'dev');
  });
});

describe('TOML', () => {
  const TOML = [
    '# written by hand',
    '[dev]',
    'app_function = "lark.app"',
    "project_name = 'lark-notes'  # literal string",
    'runtime = "python3.12"',
    'aws_region = "eu-west-1"',
    'exclude = [',
    '    "*.pyc",',
    ']',
    '',
    '    [dev.environment_variables]',
    '    MODE = "debug"',
    '',
  ].join('\n');

  it('is found without --settings and read back by tomllib as set up, the sub-table untouched', async () => {
    const path = project('zappa_settings.toml', TOML);
    const first = await setup();
    expect(first.code, first.stderr).toBe(0);
    const read = zappaReads(path);
    expect(read.dev).toMatchObject({profile_name: 'serverless', manage_roles: false, role_name: 'lark-notes-dev-ZappaLambdaExecutionRole', environment_variables: {MODE: 'debug'}, exclude: ['*.pyc']});
    const text = readFileSync(path, 'utf8');
    expect(text).toContain("project_name = 'lark-notes'  # literal string\n");
    expect(text.endsWith('    [dev.environment_variables]\n    MODE = "debug"\n')).toBe(true);
    await expectSecondRunWritesNothing();
  });
});

describe('extends', () => {
  const CHAIN = {
    base: {project_name: 'lark-notes', aws_region: 'eu-central-1', runtime: 'python3.12', app_function: 'lark.app'},
    dev: {extends: 'base', keep_warm: false},
    prod: {extends: 'dev', memory_size: 1024},
  };

  it('plans a stage two levels down from what it inherits, and never edits its parents', async () => {
    const path = jsonProject(CHAIN);
    const before = zappaReads(path);
    const plan = await runCli(['plan', '--stage', 'prod', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('lark-notes-prod-ZappaLambdaExecutionRole');
    const first = await setup('--stage', 'prod');
    expect(first.code, first.stderr).toBe(0);
    const read = zappaReads(path);
    expect(read.base).toEqual(before.base);
    expect(read.dev).toEqual(before.dev);
    // The inherited region is kept, so it is not written into prod.
    expect(read.prod).not.toHaveProperty('aws_region');
    expect(effective(read, 'prod')).toMatchObject({aws_region: 'eu-central-1', profile_name: 'serverless', role_name: 'lark-notes-prod-ZappaLambdaExecutionRole', manage_roles: false});
    const again = await runCli(['plan', '--stage', 'prod', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(again.code).toBe(0);
    await expectSecondRunWritesNothing('--stage', 'prod');
  });

  it('says "inherited from" for a value the stage gets from its parent', async () => {
    jsonProject({dev: {project_name: 'lark-notes', aws_region: 'eu-central-1', runtime: 'python3.12', manage_roles: false, profile_name: 'serverless'}, prod: {extends: 'dev'}});
    const first = await setup('--stage', 'prod');
    expect(first.code, first.stderr).toBe(0);
    const row = (await run(['plan', '--stage', 'prod'])).json.steps.find((s) => s.id === 'zappa-settings');
    expect(row?.detail).toMatch(/aws_region.*manage_roles.*profile_name: inherited from dev|profile_name, aws_region, manage_roles: inherited from dev/);
  });

  it.each([
    ['a cycle', {dev: {extends: 'prod', project_name: 'x'}, prod: {extends: 'dev'}}, /stage "prod" extends "dev", extends "prod": a cycle/],
    ['a missing parent', {prod: {extends: 'base', project_name: 'x'}}, /stage "prod" extends "base", which the file does not have/],
  ])('refuses %s with exit 2, naming the stages, and changes nothing', async (_name, settings, message) => {
    const path = jsonProject(settings);
    const before = readFileSync(path, 'utf8');
    const result = await runCli(['setup', '--yes', '--stage', 'prod', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await roleNames()).toEqual([]);
  });
});

describe('a new stage', () => {
  it('is added extending the first stage, reported as created', async () => {
    const path = jsonProject({dev: {project_name: 'lark-notes', aws_region: 'eu-west-1', runtime: 'python3.12', app_function: 'lark.app'}});
    const first = await setup('--stage', 'prod');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.steps.find((s) => s.id === 'zappa-settings')?.status).toBe('created');
    const read = zappaReads(path);
    expect(read.dev).toEqual({project_name: 'lark-notes', aws_region: 'eu-west-1', runtime: 'python3.12', app_function: 'lark.app'});
    expect(read.prod!.extends).toBe('dev');
    expect(Object.keys(read.prod!)[0]).toBe('extends');
    expect(effective(read, 'prod')).toMatchObject({profile_name: 'serverless', role_name: 'lark-notes-prod-ZappaLambdaExecutionRole', aws_region: 'eu-west-1'});
    await expectSecondRunWritesNothing('--stage', 'prod');
  });
});

describe('several stages', () => {
  const THREE = {
    dev: {project_name: 'lark-notes', aws_region: 'eu-west-1', runtime: 'python3.12', app_function: 'lark.app'},
    staging: {extends: 'dev', role_name: 'lark-notes-shared-ZappaLambdaExecutionRole'},
    prod: {extends: 'dev', role_name: 'lark-notes-shared-ZappaLambdaExecutionRole', slim_handler: true},
  };

  it.each(['document', 'strict'])('--stage all (%s): one user and policy, one role per role name, every stage patched', async (preset) => {
    const path = jsonProject(THREE);
    const first = await setup('--stage', 'all', '--policy', preset);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.stages).toEqual(['dev', 'staging', 'prod']);
    const settingsRows = first.json.steps.filter((s) => s.id === 'zappa-settings');
    expect(settingsRows.map((s) => s.stage)).toEqual(['dev', 'staging', 'prod']);
    const roleRows = first.json.steps.filter((s) => s.id === 'execution-role');
    expect(roleRows.map((s) => s.stages ?? [s.stage])).toEqual([['dev'], ['staging', 'prod']]);
    expect(first.json.steps.filter((s) => s.id === 'user')).toHaveLength(1);
    expect(first.json.steps.find((s) => s.id === 'user')).not.toHaveProperty('stage');
    expect(await roleNames()).toEqual(['lark-notes-dev-ZappaLambdaExecutionRole', 'lark-notes-shared-ZappaLambdaExecutionRole']);
    const read = zappaReads(path);
    for (const stage of ['dev', 'staging', 'prod']) expect(effective(read, stage)).toMatchObject({profile_name: 'serverless', manage_roles: false});
    // The children inherit what dev got; only their role and their own bucket (one per stage) are theirs.
    expect(Object.keys(read.staging!)).toEqual(['extends', 'role_name', 's3_bucket']);
    expect(read.staging!.s3_bucket).not.toBe(read.dev!.s3_bucket);
    const users = (await aws(['iam', 'list-users'])).Users as unknown[];
    expect(users).toHaveLength(1);
    const attachedToShared = (await aws(['iam', 'list-attached-role-policies', '--role-name', 'lark-notes-shared-ZappaLambdaExecutionRole'])).AttachedPolicies as {PolicyName: string}[];
    expect(attachedToShared.map((p) => p.PolicyName)).toEqual(['ZappaLambdaExecutionPolicy']);
    await expectSecondRunWritesNothing('--stage', 'all');
  });
});

describe('flags and messages', () => {
  it('--bucket and --runtime set the stage under --yes', async () => {
    const path = jsonProject({dev: {project_name: 'lark-notes', aws_region: 'us-east-1', runtime: 'python3.8'}});
    const first = await setup('--bucket', 'zappa-lark-notes-7q2x9k', '--runtime', 'python3.12');
    expect(first.code, first.stderr).toBe(0);
    expect(zappaReads(path).dev).toMatchObject({s3_bucket: 'zappa-lark-notes-7q2x9k', runtime: 'python3.12'});
    const bad = await runCli(['setup', '--yes', '--bucket', 'Not_A_Bucket'], {cwd: sb.project, env: sb.env()});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bucket');
  });

  it('a duplicate key is refused with its line, saying Zappa would take the last one', async () => {
    const path = jsonProject('{\n  "dev": {\n    "s3_bucket": "zappa-a",\n    "s3_bucket": "zappa-b"\n  }\n}\n');
    const before = readFileSync(path, 'utf8');
    const result = await runCli(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 4, column 5\): duplicate key "s3_bucket" in stage "dev" \(.*silently take the last one/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
