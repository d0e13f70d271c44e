/**
 * Issue 2: `setup --yes` against moto_server, checked the way a user would:
 * through the AWS CLI and by reading the files.
 */
import {readFileSync, statSync, writeFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

interface JsonReport {
  command: string; ok: boolean; account: string;
  steps: {id: string; status: string; detail: string}[];
  files: {path: string; status: string; backup?: string}[];
  apiCalls: {read: number; write: number};
}

const STEP_IDS = ['identity', 'user', 'access-key', 'credentials-file', 'config-file', 'zappa-settings', 'deployment-policy',
  'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached', 'verify'];

let sb: Sandbox;
const endpoint = () => ['--endpoint-url', motoUrl()];
const setup = (extra: string[] = []) => runJson<JsonReport>(['setup', '--yes', ...endpoint(), ...extra], {cwd: sb.project, env: sb.env()});
const aws = (args: string[]) => awsCli(args, {env: sb.env(), endpointUrl: motoUrl()});

beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

describe('setup --yes on a fresh account', () => {
  it('reaches every row of the end state, and the AWS CLI sees it', async () => {
    const {code, json} = await setup();
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.account).toBe('123456789012');
    expect(json.steps.map((s) => s.id)).toEqual(STEP_IDS);
    expect(json.steps.filter((s) => s.status === 'failed' || s.status === 'skipped')).toEqual([]);
    expect(json.apiCalls.write).toBeGreaterThan(0);

    const who = await awsCli(['sts', 'get-caller-identity', '--profile', 'serverless'], {env: sb.env(), endpointUrl: motoUrl()});
    expect((who.json as {Arn: string}).Arn).toBe('arn:aws:iam::123456789012:user/serverless');
    expect((await aws(['configure', 'get', 'region', '--profile', 'serverless'])).stdout.trim()).toBe('us-east-1');
    expect((await aws(['configure', 'get', 'output', '--profile', 'serverless'])).stdout.trim()).toBe('json');
    expect(statSync(sb.credentialsPath).mode & 0o777).toBe(0o600);

    const user = (await aws(['iam', 'get-user', '--user-name', 'serverless'])).json as {User: {Tags?: {Key: string; Value: string}[]}};
    expect(user.User.Tags).toContainEqual({Key: 'ManagedBy', Value: 'zappa-iam-wizard'});
    const attached = (await aws(['iam', 'list-attached-user-policies', '--user-name', 'serverless'])).json as {AttachedPolicies: {PolicyName: string}[]};
    expect(attached.AttachedPolicies.map((p) => p.PolicyName)).toEqual(['ZappaLambdaDeploymentPolicy']);

    const role = 'demo-app-dev-ZappaLambdaExecutionRole';
    const roleOut = (await aws(['iam', 'get-role', '--role-name', role])).json as {Role: {AssumeRolePolicyDocument: unknown}};
    expect(JSON.stringify(roleOut.Role.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
    const rolePolicies = (await aws(['iam', 'list-attached-role-policies', '--role-name', role])).json as {AttachedPolicies: {PolicyName: string}[]};
    expect(rolePolicies.AttachedPolicies.map((p) => p.PolicyName)).toEqual(['ZappaLambdaExecutionPolicy']);

    const version = (await aws(['iam', 'get-policy-version', '--policy-arn', 'arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy', '--version-id', 'v1'])).stdout;
    expect(version).toContain('arn:aws:iam::123456789012:role/*-ZappaLambdaExecutionRole');
    expect(version).not.toContain('<ACCOUNT_ID>');

    const stage = JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev;
    expect(stage).toMatchObject({profile_name: 'serverless', aws_region: 'us-east-1', manage_roles: false, role_name: role, app_function: 'app.app'});
    expect(stage.s3_bucket).toMatch(/^zappa-demo-app-[a-z0-9]{10}$/);
  });

  it('never prints the secret access key', async () => {
    const {stdout, stderr} = await setup();
    const plain = await runCli(['setup', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    const secret = /aws_secret_access_key\s*=\s*(\S+)/.exec(readFileSync(sb.credentialsPath, 'utf8'))?.[1];
    expect(secret).toMatch(/^\S{20,}$/);
    for (const out of [stdout, stderr, plain.stdout, plain.stderr]) expect(out).not.toContain(secret);
  });

  it('prints one plain line per step when stdout is not a terminal', async () => {
    const {code, stdout} = await runCli(['setup', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(0);
    const stepLines = stdout.split('\n').filter((l) => /^(✔|•|✖|○) (created|updated|already in place|failed|not run) /.test(l));
    expect(stepLines).toHaveLength(12);
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(stdout).toContain('zappa deploy dev');
  });

  it('honours AWS_ENDPOINT_URL instead of --endpoint-url', async () => {
    const {code, json} = await runJson<JsonReport>(['setup', '--yes'], {cwd: sb.project, env: sb.env({AWS_ENDPOINT_URL: motoUrl()})});
    expect(code).toBe(0);
    expect(json.steps.find((s) => s.id === 'verify')?.detail).toContain(':user/serverless');
  });
});

describe('setup without --yes and without the walk-through', () => {
  it.each([
    [['--json'], '--json prints a report and asks no questions'],
    [[], 'no terminal is attached to confirm them'],
  ])('refuses to apply pending changes (%j): exit 2, nothing changed', async (extra, reason) => {
    const before = readFileSync(sb.settingsPath, 'utf8');
    const out = await runCli(['setup', ...endpoint(), ...extra], {cwd: sb.project, env: sb.env()});
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain(`There are changes to apply, but ${reason}.`);
    expect(out.stderr).toContain('--yes');
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(before);
    expect(((await aws(['iam', 'list-users'])).json as {Users: unknown[]}).Users).toEqual([]);
  });
});

describe('setup --json in a terminal', () => {
  it('asks nothing and applies nothing without --yes', async () => {
    const {TmuxSession} = await import('../helpers/tmux.js');
    const {CLI_BIN} = await import('../helpers/run-cli.js');
    const tmux = new TmuxSession(`node ${CLI_BIN} setup --json --endpoint-url ${motoUrl()}`, {cwd: sb.project, env: sb.env()});
    try {
      expect(await tmux.exitCode(30_000)).toBe(2);
      expect(await tmux.screen()).toContain('--json prints a report and asks no questions');
    } finally {
      await tmux.kill();
    }
    expect(((await aws(['iam', 'list-users'])).json as {Users: unknown[]}).Users).toEqual([]);
  });
});

describe('a second run on a finished setup', () => {
  it('makes no write call, leaves every file byte-identical and reports every step unchanged', async () => {
    expect((await setup()).code).toBe(0);
    const before = [sb.credentialsPath, sb.configPath, sb.settingsPath].map((p) => readFileSync(p));
    const {code, json} = await setup();
    expect(code).toBe(0);
    expect(json.apiCalls.write).toBe(0);
    expect(json.steps.every((s) => s.status === 'unchanged')).toBe(true);
    expect(json.files.every((f) => f.status === 'unchanged')).toBe(true);
    const after = [sb.credentialsPath, sb.configPath, sb.settingsPath].map((p) => readFileSync(p));
    expect(after).toEqual(before);
  });
});

describe("the person's files", () => {
  it('keep comments, other profiles, blank lines and CRLF line endings, with a backup', async () => {
    mkdirSync(join(sb.home, '.aws'), {recursive: true});
    const creds = '# my keys\r\n[default]\r\naws_access_key_id = AKIADEFAULTEXAMPLE1\r\naws_secret_access_key = not-a-real-secret\r\n\r\n; work\r\n[work]\r\naws_access_key_id = AKIAWORKEXAMPLE0001\r\naws_secret_access_key = also-not-real\r\n';
    const config = '[default]\nregion = eu-central-1\n\n[profile work]   # the office\nregion = us-west-2\ns3 =\n  max_concurrent_requests = 20\n';
    writeFileSync(sb.credentialsPath, creds, {mode: 0o600});
    writeFileSync(sb.configPath, config);
    const settings = '{\r\n  "dev": {\r\n    "app_function": "app.app",\r\n    "project_name": "demo-app",\r\n    "aws_region": "us-east-1"\r\n  },\r\n  "prod": {"app_function": "app.app", "profile_name": "prod-deployer"}\r\n}\r\n';
    writeFileSync(sb.settingsPath, settings);

    const {code, json} = await setup(['--stage', 'dev']);
    expect(code).toBe(0);

    const newCreds = readFileSync(sb.credentialsPath, 'utf8');
    expect(newCreds.startsWith(creds)).toBe(true);
    expect(newCreds.slice(creds.length)).toMatch(/^\r\n\[serverless\]\r\naws_access_key_id = AKIA\w+\r\naws_secret_access_key = \S+\r\n$/);
    const newConfig = readFileSync(sb.configPath, 'utf8');
    expect(newConfig.startsWith(config)).toBe(true);
    const newSettings = readFileSync(sb.settingsPath, 'utf8');
    expect(newSettings).toContain('"prod": {"app_function": "app.app", "profile_name": "prod-deployer"}');
    expect(newSettings.split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).toBe(true);

    const settingsReport = json.files.find((f) => f.path === sb.settingsPath);
    expect(settingsReport?.status).toBe('updated');
    expect(readFileSync(settingsReport!.backup!, 'utf8')).toBe(settings);
    expect((await aws(['configure', 'get', 'region', '--profile', 'work'])).stdout.trim()).toBe('us-west-2');
    expect((await aws(['configure', 'get', 'region'])).stdout.trim()).toBe('eu-central-1');
  });

  it('stops with exit 2, the file and the line when a file cannot be parsed, before any AWS write', async () => {
    writeFileSync(sb.settingsPath, '{\n  "dev": {\n    "app_function": "app.app",\n  }\n}\n');
    const before = readFileSync(sb.settingsPath);
    const {code, stderr} = await runCli(['setup', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(2);
    expect(stderr).toContain(sb.settingsPath);
    expect(stderr).toMatch(/line 3, column 30\): trailing comma/);
    expect(readFileSync(sb.settingsPath)).toEqual(before);
    const users = (await aws(['iam', 'list-users'])).json as {Users: unknown[]};
    expect(users.Users).toEqual([]);
  });

  it('refuses a credentials file the AWS CLI could not read, naming its line', async () => {
    mkdirSync(join(sb.home, '.aws'), {recursive: true});
    writeFileSync(sb.credentialsPath, 'aws_access_key_id = AKIAORPHANEXAMPLE01\n[default]\n');
    const {code, stderr} = await runCli(['setup', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(2);
    expect(stderr).toContain(`${sb.credentialsPath} (line 1)`);
  });
});
