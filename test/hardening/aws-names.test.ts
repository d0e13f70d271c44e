/**
 * Issue 16, item 13: names that a JavaScript object already has
 * (`constructor`, `toString`, `__proto__`…) are never "found" through the
 * prototype, and a name the files cannot hold, a misspelt --policy preset or
 * a policy folder that is not there stops the run with exit 2 before any AWS
 * call.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {validateProfileName} from '../../src/plan/names.js';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {DEFAULT_SETTINGS, makeSandbox, type Sandbox} from '../helpers/sandbox.js';

interface JsonReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  error?: {message: string; hint?: string};
}

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
});
afterEach(() => sb.cleanup());

const cli = (args: string[]) => runCli([...args, '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env()});
const cliJson = (args: string[]) => runJson<JsonReport>([...args, '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env()});
const settings = () => JSON.parse(readFileSync(sb.settingsPath, 'utf8')) as Record<string, Record<string, unknown>>;

describe('a stage named like a member of every JavaScript object', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])('--stage %s is a new stage to add, extending the first one', async (stage) => {
    const plan = await cliJson(['plan', '--stage', stage]);
    expect(plan.code, plan.stderr).toBe(3);
    // Inherited from dev: the project name is demo-app, not a made-up one.
    expect(plan.json.steps.find((s) => s.id === 'execution-role')?.detail).toContain(`demo-app-${stage.toLowerCase()}-ZappaLambdaExecutionRole`);

    const run = await cli(['setup', '--yes', '--stage', stage]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const after = settings();
    expect(Object.keys(after)).toEqual(['dev', stage]);
    expect(after[stage]).toMatchObject({extends: 'dev', profile_name: 'serverless', role_name: `demo-app-${stage.toLowerCase()}-ZappaLambdaExecutionRole`});
    expect(after.dev).toEqual(DEFAULT_SETTINGS.dev);
  });

  it.each(['doctor', 'rotate-key', 'teardown'])('%s --stage toString: the file has no such stage (exit 2, no AWS call)', async (command) => {
    const run = await cli([command, '--stage', 'toString', '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain('has no stage "toString". It has: dev.');
    expect(proxy.calls).toEqual([]);
  });

  it('an extends naming a prototype member is a parent the file lacks (exit 2)', async () => {
    writeFileSync(sb.settingsPath, `${JSON.stringify({dev: {...DEFAULT_SETTINGS.dev, extends: 'constructor'}}, null, 4)}\n`);
    const run = await cli(['plan']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain('stage "dev" extends "constructor", which the file does not have');
    expect(proxy.calls).toEqual([]);
  });

  it('--stage __proto__ cannot be added: exit 2 before any AWS call, the file untouched', async () => {
    const before = readFileSync(sb.settingsPath, 'utf8');
    const run = await cli(['setup', '--yes', '--stage', '__proto__']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain('--stage: the file has no stage "__proto__", and the wizard cannot add a stage named __proto__');
    expect(proxy.calls).toEqual([]);
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(before);
  });
});

describe('profile names the ini files cannot hold safely', () => {
  it.each([
    ['--profile', '__proto__', '--profile: "__proto__" is a name the AWS SDK for JavaScript cannot keep a profile under'],
    ['--profile', 'constructor', '--profile: "constructor" is a name the AWS SDK for JavaScript cannot keep a profile under'],
    ['--profile', 'mañana', '--profile: "mañana" may only contain letters, digits and - _ @ + . % : /'],
    ['--user', 'toString', '--user: "toString" is a name the AWS SDK for JavaScript cannot keep a profile under'],
  ])('%s %s: exit 2 at validation, before any AWS call', async (flag, value, expected) => {
    const run = await cli(['setup', '--yes', flag, value]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(expected);
    expect(proxy.calls).toEqual([]);
  });

  it('the rule', () => {
    for (const ok of ['serverless', 'deploy-prod', 'team.ci', 'a_b', 'me@corp', 'x+y', 'p%1', 'arn:x/y']) expect(validateProfileName(ok), ok).toBe(true);
    for (const bad of ['', 'two words', '[x]', 'a#b', '__proto__', 'constructor', 'toString', 'isPrototypeOf', 'é', 'a!b', 'a,b']) expect(validateProfileName(bad), bad).not.toBe(true);
  });
});

describe('words the command line must not find on Object.prototype', () => {
  it.each([['toString'], ['plan', 'constructor'], ['plan', 'hasOwnProperty']])('%j: exit 2, unknown', async (...args) => {
    const run = await cli(args);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/Unknown (command|option) "(toString|constructor|hasOwnProperty)"/);
    expect(proxy.calls).toEqual([]);
  });
});

describe('--policy that names nothing usable', () => {
  it.each([
    ['stict', (dir: string) => `--policy stict: not a preset (document, strict), and there is no folder ${join(dir, 'stict')}.`],
    ['./no-such-folder', (dir: string) => `there is no folder ${join(dir, 'no-such-folder')}.`],
    ['zappa_settings.json', (dir: string) => `${join(dir, 'zappa_settings.json')} is not a folder.`],
  ])('--policy %s: exit 2 naming the presets and the path, before any AWS call', async (flag, expected) => {
    for (const command of [['setup', '--yes'], ['plan'], ['doctor']]) {
      const run = await cli([...command, '--policy', flag]);
      expect(run.code, `${command[0]}: ${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(expected(sb.project));
      expect(run.stderr).toContain('--policy document');
      expect(run.stderr).toContain('--policy strict');
    }
    expect(proxy.calls).toEqual([]);
  });

  it('a folder with none of the three files would silently deploy the document\'s policies: exit 2 instead', async () => {
    mkdirSync(join(sb.project, 'policies'));
    writeFileSync(join(sb.project, 'policies', 'README.md'), 'my policies\n');
    const run = await cli(['setup', '--yes', '--policy', 'policies']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(`the folder ${join(sb.project, 'policies')} holds none of deployment-policy.json, execution-policy.json, execution-role-trust.json`);
    expect(proxy.calls).toEqual([]);
  });
});
