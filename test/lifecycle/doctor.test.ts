/**
 * `doctor` against moto: each problem of DESIGN.md's doctor list is found,
 * named with its file or resource and its fix; a healthy setup exits 0; the
 * file rows are checked without admin credentials or network; and doctor
 * never makes a write call or touches a file. The findings are the setup
 * steps' own checks (test/lifecycle/one-verdict.test.ts compares the words).
 */
import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {enableIamAuth, motoUrl} from '../helpers/moto.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {isSupportedRuntime, suggestRuntime} from '../../src/plan/runtimes.js';
import {
  awsOk, DEPLOYMENT_ARN, eachTestWithSandboxAndProxy, EXECUTION_ARN, fileKeyId, otherUsersKey, ROLE, setupDone, snapshot, wizard,
  wizardJson,
} from './lifecycle-helpers.js';

interface Finding { id: string; severity: 'problem' | 'warning' | 'info'; where: string; problem: string; fix: string }
interface DoctorReport {
  command: string;
  ok: boolean;
  findings: Finding[];
  notChecked: {check: string; reason: string}[];
  /** The permission proof's problems (✖). */
  problems?: string[];
  apiCalls: {read: number; write: number};
  steps: {id: string; status: string; detail: string}[];
  files: unknown[];
}

const NO_ADMIN = {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined};
// Nothing listens on port 9 of loopback: every AWS call fails at once, as offline.
const OFFLINE = 'http://127.0.0.1:9';

const ids = (r: DoctorReport) => r.findings.map((f) => f.id).sort();
const byId = (r: DoctorReport, id: string) => r.findings.find((f) => f.id === id);

function editSettings(sb: Sandbox, change: (stage: Record<string, unknown>) => void): void {
  const settings = JSON.parse(readFileSync(sb.settingsPath, 'utf8'));
  change(settings.dev);
  writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
}

function editFile(path: string, from: string | RegExp, to: string): void {
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
}

describe('doctor', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  async function doctor(env?: Record<string, string | undefined>, endpoint = proxy.url) {
    const before = snapshot(sb);
    const result = await wizardJson<DoctorReport>(sb, ['doctor'], endpoint, env);
    expect(snapshot(sb), 'doctor changed a file').toEqual(before);
    expect(result.json.apiCalls.write).toBe(0);
    expect(proxy.calls.filter((c) => c.kind === 'write'), 'doctor made a write call').toEqual([]);
    return result;
  }

  it('finds nothing after setup: exit 0, read calls only, files untouched', async () => {
    await setupDone(sb);
    const result = await doctor();
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({command: 'doctor', ok: true, findings: [], notChecked: []});
    expect(result.json.steps).toHaveLength(12);
    expect(result.json.steps.every((s) => s.status === 'unchanged')).toBe(true);
    expect(result.json.apiCalls.read).toBeGreaterThan(5);
    expect(proxy.calls.length).toBe(result.json.apiCalls.read);

    const text = await wizard(sb, ['doctor'], proxy.url);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('✔ No problems found.');
  });

  it('checks the files offline and without admin credentials, and says what it could not check', async () => {
    await setupDone(sb);
    editFile(sb.configPath, '[profile serverless]', '[serverless]');
    editFile(sb.credentialsPath, '[serverless]', '[profile serverless]');
    editSettings(sb, (s) => Object.assign(s, {s3_bucket: 'my-bucket', role_name: 'my-role', runtime: 'python3.7', manage_roles: true}));

    const result = await doctor(NO_ADMIN, OFFLINE);
    expect(result.code).toBe(1);
    expect(ids(result.json)).toEqual([
      'config-profile-missing', 'config-section-unprefixed', 'credentials-profile-missing', 'credentials-section-prefixed',
      'fixed-role-name', 'fixed-s3-bucket', 'key-not-working', 'runtime-blocked', 'settings-drifted',
    ]);
    expect(byId(result.json, 'config-section-unprefixed')).toMatchObject({severity: 'warning', where: `${sb.configPath} [serverless]`});
    expect(byId(result.json, 'credentials-section-prefixed')).toMatchObject({severity: 'warning', where: `${sb.credentialsPath} [profile serverless]`});
    expect(byId(result.json, 'settings-drifted')).toMatchObject({severity: 'problem', problem: expect.stringContaining('manage_roles: true → false')});
    expect(byId(result.json, 'fixed-s3-bucket')).toMatchObject({severity: 'info', problem: expect.stringContaining('"my-bucket" → "zappa-')});
    // python3.7: Lambda blocks creating functions with it (since 2024-01-09), so it is a problem, not a warning.
    const runtime = byId(result.json, 'runtime-blocked');
    expect(runtime).toMatchObject({severity: 'problem', where: `${sb.settingsPath} stage "dev"`, problem: expect.stringContaining('runtime python3.7 reached the end of Lambda support')});
    // The smallest step up that Lambda still fully supports today (python3.10 was deprecated on 2026-10-31).
    expect(isSupportedRuntime(suggestRuntime('python3.7'))).toBe(true);
    expect(runtime?.problem).toContain(`Pass --runtime ${suggestRuntime('python3.7')} `);
    expect(runtime?.fix).toMatch(/^npx zappa-iam-wizard setup.* --runtime <python3\.x>$/);
    expect(result.json.notChecked.length).toBeGreaterThan(0);
    expect(result.json.notChecked.every((n) => n.reason.includes('No usable AWS admin credentials'))).toBe(true);
    expect(result.json.notChecked.map((n) => n.check)).toContain('IAM user serverless');

    const text = await wizard(sb, ['doctor'], OFFLINE, NO_ADMIN);
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n').filter((l) => l.startsWith('✖ '));
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^✖ \S.*: .+ Fix: .+/);
    expect(text.stdout).toMatch(/\? Not checked: .*IAM user serverless.*Why: No usable AWS admin credentials/);
  });

  it('judges a profile_name typo, a region mismatch and a plain bucket name by the rows setup would change', async () => {
    await setupDone(sb);
    editFile(sb.configPath, /region = us-east-1/, 'region = eu-west-1');
    editSettings(sb, (s) => Object.assign(s, {profile_name: 'serverles', s3_bucket: 'zappa-demo'}));

    const result = await doctor();
    expect(result.code).toBe(1);
    expect(ids(result.json)).toEqual(['bucket-suffix', 'config-profile-drifted', 'settings-drifted']);
    expect(byId(result.json, 'settings-drifted')?.problem).toBe('profile_name: "serverles" → "serverless"');
    expect(byId(result.json, 'config-profile-drifted')?.problem).toBe('region: "eu-west-1" → "us-east-1"');
    // Free today, so setup keeps it: a warning, not a problem.
    expect(byId(result.json, 'bucket-suffix')?.severity).toBe('warning');
  });

  it('on a project never set up: no credentials, no profile, and nothing in IAM', async () => {
    const result = await doctor();
    expect(result.code).toBe(1);
    expect(ids(result.json)).toEqual([
      'config-profile-missing', 'credentials-profile-missing', 'deployment-policy-missing', 'deployment-policy-not-attached',
      'execution-policy-missing', 'execution-policy-not-attached', 'key-missing', 'key-not-working', 'role-missing', 'settings-drifted', 'user-missing',
    ]);
    expect(byId(result.json, 'role-missing')?.where).toBe(`Execution role ${ROLE}`);
    expect(result.json.findings.every((f) => f.severity === 'problem' && f.fix.includes('npx zappa-iam-wizard setup'))).toBe(true);
    expect(result.json.notChecked.map((n) => n.check)).toEqual(['what Zappa may call (the permission proof)']);
  });

  it('finds an inactive key, a detached policy, a policy still holding <ACCOUNT_ID>, and a broken role', async () => {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'update-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId(sb)!, '--status', 'Inactive']);
    await awsOk(sb, ['iam', 'detach-user-policy', '--user-name', 'serverless', '--policy-arn', DEPLOYMENT_ARN]);
    const template = readFileSync(new URL('../../templates/deployment-policy.json', import.meta.url), 'utf8').replaceAll('<PARTITION>', 'aws');
    await awsOk(sb, ['iam', 'create-policy-version', '--policy-arn', DEPLOYMENT_ARN, '--policy-document', template, '--set-as-default']);
    await awsOk(sb, ['iam', 'detach-role-policy', '--role-name', ROLE, '--policy-arn', EXECUTION_ARN]);
    await awsOk(sb, ['iam', 'update-assume-role-policy', '--role-name', ROLE, '--policy-document',
      JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]})]);

    const result = await doctor();
    expect(result.code).toBe(1);
    expect(ids(result.json)).toEqual(['deployment-policy-not-attached', 'deployment-policy-placeholder', 'execution-policy-not-attached', 'key-inactive', 'role-trust']);
    expect(byId(result.json, 'deployment-policy-placeholder')).toMatchObject({
      where: 'Policy ZappaLambdaDeploymentPolicy', problem: expect.stringContaining('still holds <ACCOUNT_ID>'),
    });
    expect(byId(result.json, 'key-inactive')?.problem).toContain(`key AKIA…${fileKeyId(sb)!.slice(-4)} in [serverless] is Inactive`);
    expect(JSON.stringify(result.json)).not.toContain(fileKeyId(sb));
    expect(byId(result.json, 'role-trust')?.problem).toMatch(/^trust policy lacks apigateway; events \(keep_warm/);
  });

  it('finds a missing role, and a deployment policy edited to pass only other roles', async () => {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'detach-role-policy', '--role-name', ROLE, '--policy-arn', EXECUTION_ARN]);
    await awsOk(sb, ['iam', 'delete-role', '--role-name', ROLE]);
    let result = await doctor();
    // The role's policy cannot be attached to a role that is not there: both rows say so.
    expect(ids(result.json)).toEqual(['execution-policy-not-attached', 'role-missing']);

    // A deployment policy edited to pass only prod roles: the dev role is no longer passable.
    const doc = JSON.parse(readFileSync(new URL('../../templates/deployment-policy.json', import.meta.url), 'utf8').replaceAll('<PARTITION>', 'aws').replaceAll('<ACCOUNT_ID>', '123456789012'));
    doc.Statement[0].Resource = ['arn:aws:iam::123456789012:role/*-prod-ZappaLambdaExecutionRole'];
    await awsOk(sb, ['iam', 'create-policy-version', '--policy-arn', DEPLOYMENT_ARN, '--policy-document', JSON.stringify(doc), '--set-as-default']);
    proxy.calls.length = 0;
    result = await doctor();
    expect(ids(result.json)).toEqual(['deployment-policy-outdated', 'execution-policy-not-attached', 'role-missing']);
    expect(byId(result.json, 'deployment-policy-outdated')?.problem).toMatch(/^default version v2 differs from the template: /);
  });

  it('exits 1 on a proof problem alone: a Deny of the person\'s that refuses a call Zappa needs', async () => {
    await setupDone(sb);
    const deny = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Deny', Action: 'lambda:CreateFunction', Resource: '*'}]});
    const created = await awsOk(sb, ['iam', 'create-policy', '--policy-name', 'NoNewFunctions', '--policy-document', deny]);
    await awsOk(sb, ['iam', 'attach-user-policy', '--user-name', 'serverless', '--policy-arn', created.Policy.Arn]);

    const result = await doctor();
    expect(result.code).toBe(1);
    expect(result.json.ok).toBe(false);
    expect(result.json.findings).toEqual([]);
    expect(result.json.problems).toEqual(['zappa deploy would fail: serverless may not call lambda:CreateFunction']);

    const text = await wizard(sb, ['doctor'], proxy.url);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^ {2}✖ deploy +\d+\/\d+ allowed \(missing lambda:CreateFunction: Zappa stops there\)$/m);
    // (src/lifecycle/doctor/render.ts prints two spaces here when there are no findings: reported, tolerated by ' +'.)
    expect(text.stdout).toMatch(/^1 problem found\. Zappa would be refused the ✖ permissions above: run setup to put the policies and the role back in line with the stage\.$/m);
    expect(text.stdout).not.toContain('No problems found');
  });

  it('finds a key that belongs to another user', async () => {
    await setupDone(sb);
    const other = await otherUsersKey(sb);
    editFile(sb.credentialsPath, /aws_access_key_id = \S+/, `aws_access_key_id = ${other.id}`);
    editFile(sb.credentialsPath, /aws_secret_access_key = \S+/, `aws_secret_access_key = ${other.secret}`);
    const result = await doctor();
    // The access-key row names the key; the verify row says whom it answers as instead.
    expect(ids(result.json)).toEqual(['key-not-users', 'key-not-working']);
    expect(byId(result.json, 'key-not-users')?.problem).toContain("is not one of serverless's keys");
  });

  it('without admin credentials, still proves the profile key with STS and exits 0 when all is well', async () => {
    await setupDone(sb);
    const result = await doctor(NO_ADMIN);
    expect(result.code).toBe(0);
    expect(result.json.findings).toEqual([]);
    expect(result.json.notChecked.length).toBeGreaterThan(0);
    expect(proxy.calls.filter((c) => c.service === 'sts')).toHaveLength(1);
    const text = await wizard(sb, ['doctor'], proxy.url, NO_ADMIN);
    expect(text.stdout).toContain('No problems found in what could be checked.');
  });

  it('finds a deleted key (moto with IAM auth on, as AWS refuses unknown keys)', async () => {
    await setupDone(sb);
    // An admin moto knows, so that IAM reads still work once auth is enforced.
    await awsOk(sb, ['iam', 'create-user', '--user-name', 'admin']);
    await awsOk(sb, ['iam', 'put-user-policy', '--user-name', 'admin', '--policy-name', 'all',
      '--policy-document', JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]})]);
    const admin = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'admin'])).AccessKey;
    await awsOk(sb, ['iam', 'delete-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId(sb)!]);
    await enableIamAuth(motoUrl(), 0);

    const result = await doctor({AWS_ACCESS_KEY_ID: admin.AccessKeyId, AWS_SECRET_ACCESS_KEY: admin.SecretAccessKey});
    expect(ids(result.json)).toEqual(['key-not-users', 'key-not-working']);
    expect(byId(result.json, 'key-not-users')?.fix).toBe('npx zappa-iam-wizard setup');
  });

  it('exits 2 on bad usage, before any AWS call', async () => {
    const result = await wizard(sb, ['doctor', '--stage', 'nope'], proxy.url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no stage "nope"');
    expect(proxy.calls).toEqual([]);
  });

  it('reports a credentials file others may read', async () => {
    await setupDone(sb);
    chmodSync(sb.credentialsPath, 0o644);
    const result = await doctor();
    expect(ids(result.json)).toEqual(['credentials-file-mode']);
    expect(byId(result.json, 'credentials-file-mode')).toMatchObject({severity: 'problem', problem: expect.stringContaining('readable by others (mode 644)'), fix: 'npx zappa-iam-wizard setup'});
  });

  it('reports a profile section without keys', async () => {
    await setupDone(sb);
    writeFileSync(sb.credentialsPath, '[serverless]\nregion = us-east-1\n', {mode: 0o600});
    const result = await doctor();
    expect(ids(result.json)).toEqual(['credentials-profile-missing', 'key-missing', 'key-not-working']);
    expect(byId(result.json, 'credentials-profile-missing')?.problem).toContain('has no [serverless] with both key fields');
  });
});
