/**
 * Issue 5 through the CLI, against moto_server: the proof after setup
 * (plain and --json), `--policy strict` deployed, and the lint stopping a
 * bad `--policy <folder>` before any AWS write.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import type {Proof} from '../../src/policy/proof.js';
import {strictDeploymentPolicy} from '../../src/policy/strict.js';
import {samePolicy, type PolicyDocument} from '../../src/plan/policy.js';
import type {PolicyAddition} from '../../src/plan/types.js';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {policySetFor} from '../../src/policy/policy-set.js';

interface JsonReport {
  ok: boolean; steps: {id: string; status: string}[]; apiCalls: {read: number; write: number}; proof?: Proof; error?: {message: string; hint?: string};
  problems?: string[]; warnings?: string[]; policies?: {preset: string; additions: PolicyAddition[]; omissions: {actions: string[]; reason: string}[]};
}

let sb: Sandbox;
const endpoint = () => ['--endpoint-url', motoUrl()];
const aws = (args: string[]) => awsCli(args, {env: sb.env(), endpointUrl: motoUrl()});
const setupJson = (extra: string[] = []) => runJson<JsonReport>(['setup', '--yes', ...endpoint(), ...extra], {cwd: sb.project, env: sb.env()});

beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

async function deployedPolicy(): Promise<PolicyDocument> {
  const arn = 'arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy';
  const policy = (await aws(['iam', 'get-policy', '--policy-arn', arn])).json as {Policy: {DefaultVersionId: string}};
  const version = (await aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', policy.Policy.DefaultVersionId])).json as {PolicyVersion: {Document: PolicyDocument | string}};
  const doc = version.PolicyVersion.Document;
  return typeof doc === 'string' ? (JSON.parse(decodeURIComponent(doc)) as PolicyDocument) : doc;
}

describe('the proof after setup', () => {
  it('is in the --json report: per command N/N, what is missing, the refusals', async () => {
    const {code, json} = await setupJson();
    expect(code).toBe(0);
    const proof = json.proof!;
    expect(proof.user).toBe('serverless');
    expect(proof.policies).toEqual(['ZappaLambdaDeploymentPolicy']);
    expect(proof.commands.find((c) => c.command === 'deploy')).toMatchObject({ok: true, missing: []});
    expect(proof.commands.find((c) => c.command === 'update')?.missing).toEqual([expect.objectContaining({action: 'lambda:ListFunctionUrlConfigs', tolerated: true})]);
    expect(proof.denials.find((d) => d.id === 'no-user-or-key-creation')?.holds).toBe(true);
    // The document preset leaves iam:CreateRole, PutRolePolicy and AttachRolePolicy out.
    expect(proof.denials.find((d) => d.id === 'no-role-changes')?.holds).toBe(true);
    expect(proof.denials.find((d) => d.id === 'no-other-roles')?.holds).toBe(false);
    // The execution role is proven too: keep_warm is on by default, so setup made EventBridge trusted.
    expect(proof.role).toMatchObject({role: 'demo-app-dev-ZappaLambdaExecutionRole', checked: true, missingTrust: [], missingPermissions: [], ok: true});
    // Wider than needed is a warning, not a problem: setup succeeds.
    expect(json.ok).toBe(true);
    expect(json.problems).toEqual([]);
    expect(json.warnings).toContain('wider than Zappa needs: no passing roles other than the execution role does not hold');
    expect(json.policies?.preset).toBe('document');
    expect(json.policies?.additions).toEqual([{policy: 'trust', setting: 'keep_warm / events', reason: expect.stringContaining('keep_warm is on'), actions: ['events.amazonaws.com']}]);
    expect(json.policies?.omissions.map((o) => o.actions)).toEqual([['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy']]);
  });

  it('counts a policy someone else attached to the user, read from IAM', async () => {
    await aws(['iam', 'create-user', '--user-name', 'serverless']);
    const extra = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'dynamodb:*', Resource: '*'}]};
    const created = (await aws(['iam', 'create-policy', '--policy-name', 'TeamData', '--policy-document', JSON.stringify(extra)])).json as {Policy: {Arn: string}};
    await aws(['iam', 'attach-user-policy', '--user-name', 'serverless', '--policy-arn', created.Policy.Arn]);
    const {json} = await setupJson();
    expect(json.proof?.policies.sort()).toEqual(['TeamData', 'ZappaLambdaDeploymentPolicy']);
    expect(json.proof?.denials.find((d) => d.id === 'no-other-services')).toMatchObject({holds: false, services: ['dynamodb']});
  });

  it('is one line after the checklist when it finds only warnings; what now exists and the next command follow', async () => {
    const {code, stdout} = await runCli(['setup', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(0);
    // The document preset leaves the role-management actions out; passing other Zappa roles is the one warning.
    expect(stdout).toMatch(/^! Permissions checked offline: every Zappa command is allowed; 1 grant wider than Zappa needs — see `doctor` or `--policy strict`\.$/m);
    // In full only with a problem (doctor shows it on request).
    expect(stdout).not.toMatch(/^Permissions of serverless/m);
    expect(stdout).not.toMatch(/^ {2}✖/m);
    expect(stdout).toMatch(/^✔ Done: 11 changes \(10 created, 1 updated\) applied\.$/m);
    const tail = stdout.slice(stdout.indexOf('What now exists:'));
    expect(tail).toContain('  IAM user serverless\n    arn:aws:iam::123456789012:user/serverless\n    https://console.aws.amazon.com/iam/home#/users/details/serverless\n');
    expect(tail).toMatch(/^ {2}Access key AKIA…\w{4}, in \[serverless\] of the credentials file$/m);
    expect(tail).toContain('    https://console.aws.amazon.com/iam/home#/roles/details/demo-app-dev-ZappaLambdaExecutionRole\n');
    expect(tail).toContain('    arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy\n    arn:aws:iam::123456789012:policy/ZappaLambdaExecutionPolicy\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('Next: zappa deploy dev   (runs as profile serverless)');
  });

  it('a re-run still proves, with no write', async () => {
    await setupJson();
    const again = await setupJson();
    expect(again.json.apiCalls.write).toBe(0);
    expect(again.json.proof?.commands.length).toBe(10);
  });
});

describe('--policy strict', () => {
  it('deploys the policy computed for the stage, which the proof passes in full', async () => {
    const {code, json} = await setupJson(['--policy', 'strict']);
    expect(code).toBe(0);
    const settings = JSON.parse(readFileSync(sb.settingsPath, 'utf8')) as {dev: {s3_bucket: string}};
    const expected = strictDeploymentPolicy({
      account: '123456789012', partition: 'aws', region: 'us-east-1', projectName: 'demo-app', stage: 'dev',
      roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: settings.dev.s3_bucket, settings: settings.dev,
    });
    expect(samePolicy(await deployedPolicy(), expected)).toBe(true);
    expect(json.proof?.ok).toBe(true);
    expect(json.proof?.commands.every((c) => c.allowed === c.total)).toBe(true);
  });

  it('a second strict run changes nothing', async () => {
    await setupJson(['--policy', 'strict']);
    const again = await setupJson(['--policy', 'strict']);
    expect(again.code).toBe(0);
    expect(again.json.apiCalls.write).toBe(0);
  });

  it('switching back to document updates the policy again', async () => {
    await setupJson(['--policy', 'strict']);
    const strictDoc = await deployedPolicy();
    const {code, json} = await setupJson(['--policy', 'document']);
    expect(code).toBe(0);
    expect(json.steps.find((s) => s.id === 'deployment-policy')?.status).toBe('updated');
    // The document preset: the setup document's policy without the three role-management actions.
    const settings = JSON.parse(readFileSync(sb.settingsPath, 'utf8')) as {dev: {s3_bucket: string}};
    const expected = policySetFor('document', DOCUMENT_TEMPLATES, {
      account: '123456789012', partition: 'aws', region: 'us-east-1', projectName: 'demo-app', stage: 'dev',
      roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: settings.dev.s3_bucket, settings: settings.dev,
    }, 'serverless').deployment;
    const deployed = await deployedPolicy();
    expect(samePolicy(deployed, expected)).toBe(true);
    expect(samePolicy(deployed, strictDoc)).toBe(false);
    expect(JSON.stringify(deployed)).toContain('events:ListRules');
    expect(JSON.stringify(deployed)).not.toContain('iam:CreateRole');
  });
});

describe('lint before any AWS write', () => {
  function policyFolder(files: Record<string, unknown>): string {
    const dir = join(sb.root, 'policies');
    mkdirSync(dir);
    for (const [name, doc] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(doc));
    return dir;
  }

  it('an unknown action in a --policy folder stops setup with exit 2, and nothing is written', async () => {
    const folder = policyFolder({'deployment-policy.json': {Version: '2012-10-17', Statement: [
      {Sid: 'Upload', Effect: 'Allow', Action: ['s3:PutObject', 's3:CreateMultipartUpload'], Resource: 'arn:<PARTITION>:s3:::zappa-*/*'},
    ]}});
    const before = readFileSync(sb.settingsPath, 'utf8');
    const {code, json, stderr} = await setupJson(['--policy', folder]);
    expect(code).toBe(2);
    expect(json.error?.message).toContain('ZappaLambdaDeploymentPolicy, statement 1 ("Upload"): "s3:CreateMultipartUpload" is not an IAM action. S3 authorizes every multipart-upload step with s3:PutObject.');
    expect(json.error?.hint).toBe(`Fix the templates in ${folder} (or leave out --policy to use the setup document's) and run again. Nothing was changed.`);
    expect(stderr).toContain('is not an IAM action');
    expect(((await aws(['iam', 'list-users'])).json as {Users: unknown[]}).Users).toEqual([]);
    expect(((await aws(['iam', 'list-policies', '--scope', 'Local'])).json as {Policies: unknown[]}).Policies).toEqual([]);
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(before);
  });

  it('a bad value in extra_permissions stops plan, and the hint points at the settings, not at a bug', async () => {
    sb.cleanup();
    sb = makeSandbox({settings: {dev: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', keep_warm: false,
      extra_permissions: [{Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: 'PUT_ARN_HERE'}]}}});
    const {code, stderr} = await runCli(['plan', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(2);
    expect(stderr).toMatch(/ZappaLambdaExecutionPolicy, statement \d+ \("ExtraPermissions1"\): Resource "PUT_ARN_HERE"/);
    expect(stderr).toContain('comes from the stage\'s settings');
    expect(stderr).not.toContain('a bug in the bundled templates');
  });

  it('a resource that can never match stops plan too', async () => {
    const folder = policyFolder({'execution-policy.json': {Version: '2012-10-17', Statement: [
      {Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:s3:::zappa-*'},
    ]}});
    const {code, stderr} = await runCli(['plan', ...endpoint(), '--policy', folder], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(2);
    expect(stderr).toContain('ZappaLambdaExecutionPolicy, statement 1: Resource "arn:aws:s3:::zappa-*" can never match');
  });

  /** The stage names its bucket, so the wizard keeps it (it is free in moto). */
  function useBucket(bucket: string): void {
    const settings = JSON.parse(readFileSync(sb.settingsPath, 'utf8')) as {dev: Record<string, unknown>};
    settings.dev.s3_bucket = bucket;
    writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
  }

  it('a clean --policy folder goes through', async () => {
    const folder = policyFolder({'deployment-policy.json': strictDeploymentPolicy({
      account: '123456789012', partition: 'aws', region: 'us-east-1', projectName: 'demo-app', stage: 'dev',
      roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-fixed-bucket-abc123', settings: {},
    })});
    // The folder's policy covers that one bucket, so the stage must use it (setup now fails when the proof finds a gap).
    useBucket('zappa-fixed-bucket-abc123');
    const {code, json} = await setupJson(['--policy', folder]);
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.problems).toEqual([]);
    expect(json.proof?.commands.filter((c) => !c.ok)).toEqual([]);
  });

  it('a --policy folder that lacks what the stage needs: every step applied, then setup exits 1 naming the refused calls', async () => {
    const folder = policyFolder({'deployment-policy.json': strictDeploymentPolicy({
      account: '123456789012', partition: 'aws', region: 'us-east-1', projectName: 'demo-app', stage: 'dev',
      roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-fixed-bucket-abc123', settings: {},
    })});
    useBucket('zappa-other-bucket-xyz789');
    const {code, json} = await setupJson(['--policy', folder]);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.steps.filter((s) => s.status === 'failed' || s.status === 'skipped')).toEqual([]);
    expect(json.problems).toEqual([
      expect.stringMatching(/^zappa deploy would fail: serverless may not call .*s3:PutObject/),
      expect.stringMatching(/^zappa update would fail: serverless may not call .*s3:PutObject/),
    ]);
  });

  it('a --policy value that is neither a preset nor a folder is bad usage (exit 2), nothing written', async () => {
    const before = readFileSync(sb.settingsPath, 'utf8');
    const {code, json} = await setupJson(['--policy', 'stricter']);
    expect(code).toBe(2);
    expect(json.error?.message).toBe(`--policy stricter: not a preset (document, strict), and there is no folder ${join(sb.project, 'stricter')}.`);
    expect(((await aws(['iam', 'list-users'])).json as {Users: unknown[]}).Users).toEqual([]);
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(before);
  });
});

describe("the setup document's own example settings (keep_warm off, no VPC, no tags)", () => {
  beforeEach(() => {
    sb.cleanup();
    sb = makeSandbox({settings: {dev: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: 'us-east-1', keep_warm: false}}});
  });

  it('plan --json: the document preset adds nothing, leaves the three role-management actions out', async () => {
    const {code, json} = await runJson<JsonReport>(['plan', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(3);
    expect(json.policies).toEqual({preset: 'document', presetSource: 'default', additions: [], omissions: [{actions: ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy'], reason: expect.stringContaining('manage_roles')}]});
  });

  it('setup: the role trusts exactly apigateway and lambda, and the proof passes the role', async () => {
    const {code, json} = await setupJson();
    expect(code).toBe(0);
    expect(json.policies?.additions).toEqual([]);
    const role = (await aws(['iam', 'get-role', '--role-name', 'demo-app-dev-ZappaLambdaExecutionRole'])).json as {Role: {AssumeRolePolicyDocument: PolicyDocument | string}};
    const raw = role.Role.AssumeRolePolicyDocument;
    const trust = typeof raw === 'string' ? (JSON.parse(decodeURIComponent(raw)) as PolicyDocument) : raw;
    const statements = Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement];
    const services = statements.flatMap((st) => {
      const svc = (st.Principal as {Service?: string | string[]} | undefined)?.Service;
      return svc === undefined ? [] : Array.isArray(svc) ? svc : [svc];
    });
    expect(services.sort()).toEqual(['apigateway.amazonaws.com', 'lambda.amazonaws.com']);
    expect(json.proof?.role).toMatchObject({checked: true, missingTrust: [], missingPermissions: [], ok: true});
  });
});
