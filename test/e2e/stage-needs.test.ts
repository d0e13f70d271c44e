/**
 * DESIGN.md "What real AWS requires, beyond the calls Zappa makes", against
 * moto: for each family of stage settings, under both presets (`document`,
 * the default, and `strict`), `setup --yes` gives the execution role the
 * trust principals and permissions the settings need, gives the deploy user
 * AWS's implicit checks, and says so in the --json report. Everything is read
 * back with the AWS CLI; a second setup writes nothing and doctor is clean.
 */
import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:demo-app-dev`;
const DEPLOYMENT_POLICY = 'ZappaLambdaDeploymentPolicy';
const EXECUTION_POLICY = 'ZappaLambdaExecutionPolicy';
const DEFAULT_ROLE = 'demo-app-dev-ZappaLambdaExecutionRole';
const ROLE_MANAGEMENT = ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy'];

const PRESETS = ['document', 'strict'] as const;
type Preset = (typeof PRESETS)[number];

const LAMBDA = 'lambda.amazonaws.com';
const APIGATEWAY = 'apigateway.amazonaws.com';
const EVENTS = 'events.amazonaws.com';

/** The stage every case starts from; each case adds the settings it is about. */
const BASE_STAGE = {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: REGION};
const VPC_CONFIG = {SubnetIds: ['subnet-0123456789abcdef0'], SecurityGroupIds: ['sg-0123456789abcdef0']};

interface Addition { policy: string; setting: string; reason: string; actions: string[] }
interface SetupReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string; hint?: string}[];
  apiCalls: {read: number; write: number};
  warnings: string[];
  problems?: string[];
  policies: {preset: string; additions: Addition[]; omissions: {actions: string[]; reason: string}[]};
  proof?: {
    commands: {command: string; ok: boolean; missing: {action: string; resource: string; tolerated?: boolean}[]}[];
    role?: {role: string; checked: boolean; reason?: string; ok: boolean; missingTrust: unknown[]; missingPermissions: unknown[]};
  };
}

interface Statement { Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: string | string[]; NotResource?: unknown; Condition?: unknown; Principal?: {Service?: string | string[]} }
interface PolicyDocument { Version?: string; Statement: Statement[] | Statement }

let sb: Sandbox;
beforeEach(async () => {
  await resetMoto(motoUrl());
});
afterEach(() => sb?.cleanup());

// ---------------------------------------------------------------- helpers

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statements = (doc: PolicyDocument): Statement[] => list(doc.Statement);

/** IAM documents come back as JSON, or URL-encoded JSON from some back ends. */
function decodeDocument(raw: unknown): PolicyDocument {
  if (typeof raw !== 'string') return raw as PolicyDocument;
  return JSON.parse(raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw)) as PolicyDocument;
}

/** IAM's wildcards: `*` any run of characters, `?` one. */
function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

const statementMatches = (s: Statement, action: string, resource: string): boolean =>
  list(s.Action).some((a) => globMatches(a, action, true)) && list(s.Resource).some((r) => globMatches(r, resource, false));

/**
 * An independent, deliberately simple reading of an identity policy: some
 * unconditional Allow statement names the action and the resource, and no
 * Deny does. Statements with conditions or Not* elements never allow here.
 */
function allows(doc: PolicyDocument, action: string, resource: string): boolean {
  const all = statements(doc);
  const denied = all.some((s) => s.Effect === 'Deny' && statementMatches(s, action, resource));
  const allowed = all.some((s) => s.Effect === 'Allow' && !s.Condition && !s.NotAction && !s.NotResource && statementMatches(s, action, resource));
  return allowed && !denied;
}

/** Every action listed in an Allow statement, as written. */
const allowedActions = (doc: PolicyDocument): string[] =>
  statements(doc).filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));

/** The services a trust policy lets assume the role, sorted. */
const trustedServices = (doc: PolicyDocument): string[] =>
  statements(doc).filter((s) => s.Effect === 'Allow' && list(s.Action).includes('sts:AssumeRole'))
    .flatMap((s) => list(s.Principal?.Service)).sort();

async function aws(args: string[]): Promise<Record<string, any>> {
  const result = await awsCli(args, {env: sb.env(), endpointUrl: motoUrl()});
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.json as Record<string, any>;
}

/** The default version of a customer managed policy, read with get-policy + get-policy-version. */
async function policyDocument(name: string): Promise<PolicyDocument> {
  const arn = `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  const policy = await aws(['iam', 'get-policy', '--policy-arn', arn]);
  const version = await aws(['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', policy.Policy.DefaultVersionId]);
  return decodeDocument(version.PolicyVersion.Document);
}

async function roleTrust(roleName: string): Promise<string[]> {
  const role = await aws(['iam', 'get-role', '--role-name', roleName]);
  return trustedServices(decodeDocument(role.Role.AssumeRolePolicyDocument));
}

async function attachedTo(roleName: string): Promise<string[]> {
  const out = await aws(['iam', 'list-attached-role-policies', '--role-name', roleName]);
  return (out.AttachedPolicies as {PolicyName: string}[]).map((p) => p.PolicyName).sort();
}

async function roleNames(): Promise<string[]> {
  const out = await aws(['iam', 'list-roles']);
  return (out.Roles as {RoleName: string}[]).map((r) => r.RoleName).sort();
}

const endpoint = () => ['--endpoint-url', motoUrl()];
const stageSettings = (): Record<string, unknown> => JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev;

/** A fresh sandbox whose only stage is BASE_STAGE plus `extra`. */
function sandboxWith(extra: Record<string, unknown>): void {
  sb = makeSandbox({settings: {dev: {...BASE_STAGE, ...extra}}});
}

async function setup(preset: Preset): Promise<{code: number; json: SetupReport; stderr: string}> {
  return runJson<SetupReport>(['setup', '--yes', '--policy', preset, ...endpoint()], {cwd: sb.project, env: sb.env()});
}

/** The first setup's report is clean: exit 0, no problems, every Zappa command proven. */
function expectCleanSetup(result: {code: number; json: SetupReport; stderr: string}): void {
  const {code, json} = result;
  expect(code, `setup exit; problems: ${JSON.stringify(json.problems)}; steps: ${JSON.stringify(json.steps)}`).toBe(0);
  expect(json.ok).toBe(true);
  expect(json.problems).toEqual([]);
  const commands = json.proof?.commands ?? [];
  expect(commands.length).toBeGreaterThan(0);
  expect(commands.filter((c) => !c.ok).map((c) => ({command: c.command, missing: c.missing}))).toEqual([]);
}

/** Setup again writes nothing, and doctor with the same preset finds nothing to fix. */
async function expectSettled(preset: Preset): Promise<void> {
  const again = await setup(preset);
  expect(again.code, JSON.stringify(again.json.steps)).toBe(0);
  expect(again.json.apiCalls.write, JSON.stringify(again.json.steps.filter((s) => s.status !== 'unchanged'))).toBe(0);
  const doctor = await runCli(['doctor', '--policy', preset, ...endpoint()], {cwd: sb.project, env: sb.env()});
  expect(doctor.code, `doctor --policy ${preset}\n${doctor.stdout}\n${doctor.stderr}`).toBe(0);
}

const additionsFor = (json: SetupReport, setting: string): Addition[] => json.policies.additions.filter((a) => a.setting === setting);

// ---------------------------------------------------------------- trust

describe('trust of the execution role: keep_warm, events and API Gateway', () => {
  it.each(PRESETS)('keep_warm left at its default: events, lambda and apigateway may assume the role (--policy %s)', async (preset) => {
    sandboxWith({});
    const first = await setup(preset);
    expectCleanSetup(first);
    expect(await roleTrust(DEFAULT_ROLE)).toEqual([APIGATEWAY, EVENTS, LAMBDA]);
    expect(stageSettings().role_name).toBe(DEFAULT_ROLE);
    if (preset === 'document') {
      // The document's trust lacks events: the addition is named with its reason.
      expect(first.json.policies.additions).toContainEqual(expect.objectContaining({policy: 'trust', actions: [EVENTS], setting: 'keep_warm / events'}));
      expect(additionsFor(first.json, 'keep_warm / events').find((a) => a.policy === 'trust')?.reason).toContain('keep_warm');
    }
    await expectSettled(preset);
  });

  it.each(PRESETS)('keep_warm false and no events: no events principal, exactly apigateway and lambda (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false});
    const first = await setup(preset);
    expectCleanSetup(first);
    expect(await roleTrust(DEFAULT_ROLE)).toEqual([APIGATEWAY, LAMBDA]);
    expect(first.json.policies.additions.filter((a) => a.policy === 'trust')).toEqual([]);
    await expectSettled(preset);
  });

  it('apigateway_enabled false and keep_warm false under strict: only lambda may assume the role', async () => {
    sandboxWith({keep_warm: false, apigateway_enabled: false});
    const first = await setup('strict');
    expectCleanSetup(first);
    expect(await roleTrust(DEFAULT_ROLE)).toEqual([LAMBDA]);
    await expectSettled('strict');
  });

  it.each(PRESETS)('events with an expression (keep_warm false): events may assume the role (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, events: [{function: 'app.tick', expression: 'rate(5 minutes)'}]});
    const first = await setup(preset);
    expectCleanSetup(first);
    expect(await roleTrust(DEFAULT_ROLE)).toContain(EVENTS);
    expect(await roleTrust(DEFAULT_ROLE)).toEqual([APIGATEWAY, EVENTS, LAMBDA]);
    if (preset === 'document') {
      expect(first.json.policies.additions).toContainEqual(expect.objectContaining({policy: 'trust', actions: [EVENTS]}));
    }
    await expectSettled(preset);
  });
});

// ---------------------------------------------------------------- VPC and EFS

describe('vpc_config and efs_config', () => {
  it.each(PRESETS)('vpc_config: the deployer may describe the network, the role may manage its interfaces (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, vpc_config: VPC_CONFIG});
    const first = await setup(preset);
    expectCleanSetup(first);
    const [deployment, execution, attached] = await Promise.all([policyDocument(DEPLOYMENT_POLICY), policyDocument(EXECUTION_POLICY), attachedTo(DEFAULT_ROLE)]);
    expect(attached).toEqual([EXECUTION_POLICY]);
    for (const action of ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs']) {
      expect(allows(deployment, action, '*'), `deployment policy allows ${action}`).toBe(true);
    }
    for (const action of ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']) {
      expect(allows(execution, action, '*'), `execution policy allows ${action}`).toBe(true);
    }
    const vpc = additionsFor(first.json, 'vpc_config');
    expect(vpc.find((a) => a.policy === 'execution')?.actions).toContain('ec2:CreateNetworkInterface');
    if (preset === 'document') {
      const deployer = vpc.find((a) => a.policy === 'deployment');
      expect(deployer?.actions).toEqual(expect.arrayContaining(['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs']));
      expect(deployer?.reason).toMatch(/\w+ \w+/);
      expect(vpc.every((a) => a.reason.length > 0)).toBe(true);
    }
    await expectSettled(preset);
  });

  it.each(PRESETS)('efs_config with vpc_config: the role may mount the file system (--policy %s)', async (preset) => {
    sandboxWith({
      keep_warm: false,
      vpc_config: VPC_CONFIG,
      efs_config: [{Arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-0123456789abcdef0`, LocalMountPath: '/mnt/efs'}],
    });
    const first = await setup(preset);
    expectCleanSetup(first);
    const execution = await policyDocument(EXECUTION_POLICY);
    const fileSystem = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;
    expect(allows(execution, 'elasticfilesystem:ClientMount', fileSystem)).toBe(true);
    expect(allows(execution, 'elasticfilesystem:ClientWrite', fileSystem)).toBe(true);
    expect(allows(execution, 'ec2:CreateNetworkInterface', '*')).toBe(true);
    expect(additionsFor(first.json, 'efs_config').find((a) => a.policy === 'execution')?.actions).toContain('elasticfilesystem:ClientMount');
    await expectSettled(preset);
  });
});

// ---------------------------------------------------------------- X-Ray

describe('xray_tracing', () => {
  it.each(PRESETS)('xray_tracing true: the role may send traces (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, xray_tracing: true});
    const first = await setup(preset);
    expectCleanSetup(first);
    const execution = await policyDocument(EXECUTION_POLICY);
    expect(allows(execution, 'xray:PutTraceSegments', '*')).toBe(true);
    expect(allows(execution, 'xray:PutTelemetryRecords', '*')).toBe(true);
    expect(additionsFor(first.json, 'xray_tracing')).toEqual([expect.objectContaining({policy: 'execution', actions: expect.arrayContaining(['xray:PutTraceSegments'])})]);
    await expectSettled(preset);
  });
});

// ---------------------------------------------------------------- S3 at cold start

describe('slim_handler and remote_env', () => {
  it.each(PRESETS)('slim_handler true: the role may read the stage bucket\'s objects (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, slim_handler: true});
    const first = await setup(preset);
    expectCleanSetup(first);
    const bucket = stageSettings().s3_bucket as string;
    expect(bucket).toMatch(/^zappa-demo-app-[a-z0-9]{10}$/);
    const execution = await policyDocument(EXECUTION_POLICY);
    expect(allows(execution, 's3:GetObject', `arn:aws:s3:::${bucket}/*`)).toBe(true);
    expect(allows(execution, 's3:GetObject', `arn:aws:s3:::${bucket}/demo-app_dev_current_project.tar.gz`)).toBe(true);
    // Scoped to the stage's bucket, not any bucket.
    expect(allows(execution, 's3:GetObject', 'arn:aws:s3:::someone-elses-bucket/secrets.json')).toBe(false);
    expect(additionsFor(first.json, 'slim_handler').find((a) => a.policy === 'execution')?.actions).toEqual(['s3:GetObject']);
    await expectSettled(preset);
  });

  it.each(PRESETS)('remote_env s3://my-config-bucket/dev.json: the role may read that object (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, remote_env: 's3://my-config-bucket/dev.json'});
    const first = await setup(preset);
    expectCleanSetup(first);
    const execution = await policyDocument(EXECUTION_POLICY);
    expect(allows(execution, 's3:GetObject', 'arn:aws:s3:::my-config-bucket/dev.json')).toBe(true);
    expect(allows(execution, 's3:GetObject', 'arn:aws:s3:::my-config-bucket/prod.json')).toBe(false);
    expect(additionsFor(first.json, 'remote_env').find((a) => a.policy === 'execution')?.actions).toEqual(['s3:GetObject']);
    await expectSettled(preset);
  });
});

// ---------------------------------------------------------------- deployer's implicit checks

describe('tags and function_url_enabled', () => {
  it.each(PRESETS)('tags: the deployer may tag the function and list its tags (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, tags: {team: 'web', env: 'dev'}});
    const first = await setup(preset);
    expectCleanSetup(first);
    const deployment = await policyDocument(DEPLOYMENT_POLICY);
    expect(allows(deployment, 'lambda:TagResource', FUNCTION_ARN)).toBe(true);
    expect(allows(deployment, 'lambda:ListTags', FUNCTION_ARN)).toBe(true);
    if (preset === 'document') {
      const tags = additionsFor(first.json, 'tags').find((a) => a.policy === 'deployment' && a.actions.includes('lambda:ListTags'));
      expect(tags?.actions).toEqual(expect.arrayContaining(['lambda:ListTags', 'lambda:TagResource']));
      expect(tags?.reason).toContain('ListTags');
    }
    await expectSettled(preset);
  });

  it.each(PRESETS)('function_url_enabled true: the deployer may create the function URL (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, function_url_enabled: true});
    const first = await setup(preset);
    expectCleanSetup(first);
    const deployment = await policyDocument(DEPLOYMENT_POLICY);
    expect(allows(deployment, 'lambda:CreateFunctionUrlConfig', FUNCTION_ARN)).toBe(true);
    // Both resource-policy statements of a public URL go through AddPermission.
    expect(allows(deployment, 'lambda:AddPermission', FUNCTION_ARN)).toBe(true);
    if (preset === 'document') {
      expect(additionsFor(first.json, 'function_url_enabled').flatMap((a) => a.actions)).toContain('lambda:CreateFunctionUrlConfig');
    }
    await expectSettled(preset);
  });
});

// ---------------------------------------------------------------- role_arn

const PERSON_ROLE = 'my-app-runner';
const PERSON_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${PERSON_ROLE}`;
const LAMBDA_ONLY_TRUST = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: LAMBDA}, Action: 'sts:AssumeRole'}]});

describe('role_arn', () => {
  it.each(PRESETS)('a role in this account: used as it is, trust completed, execution policy attached, passable by the user (--policy %s)', async (preset) => {
    sandboxWith({role_arn: PERSON_ROLE_ARN});
    await aws(['iam', 'create-role', '--role-name', PERSON_ROLE, '--assume-role-policy-document', LAMBDA_ONLY_TRUST]);
    const first = await setup(preset);
    expectCleanSetup(first);

    const [roles, trust, attached, deployment] = await Promise.all([roleNames(), roleTrust(PERSON_ROLE), attachedTo(PERSON_ROLE), policyDocument(DEPLOYMENT_POLICY)]);
    expect(roles).toEqual([PERSON_ROLE]);
    // keep_warm is on by default: events joins apigateway and the lambda principal the person wrote.
    expect(trust).toEqual([APIGATEWAY, EVENTS, LAMBDA]);
    expect(attached).toEqual([EXECUTION_POLICY]);
    const stage = stageSettings();
    expect(stage).not.toHaveProperty('role_name');
    expect(stage.role_arn).toBe(PERSON_ROLE_ARN);

    expect(allows(deployment, 'iam:PassRole', PERSON_ROLE_ARN)).toBe(true);
    const deploy = first.json.proof?.commands.find((c) => c.command === 'deploy');
    expect(deploy?.ok).toBe(true);
    expect(deploy?.missing.filter((m) => m.action === 'iam:PassRole')).toEqual([]);
    expect(first.json.proof?.role).toMatchObject({role: PERSON_ROLE, checked: true, ok: true, missingTrust: [], missingPermissions: []});
    if (preset === 'strict') {
      expect(allows(deployment, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/SomeOtherRole`)).toBe(false);
    }
    await expectSettled(preset);
    expect(await roleNames()).toEqual([PERSON_ROLE]);
  });

  it.each(PRESETS)('a role that does not exist in this account: exit 1 naming role_arn, no role created (--policy %s)', async (preset) => {
    const missingArn = `arn:aws:iam::${ACCOUNT}:role/no-such-role`;
    sandboxWith({keep_warm: false, role_arn: missingArn});
    const first = await setup(preset);
    expect(first.code).toBe(1);
    expect(first.json.ok).toBe(false);
    const failed = first.json.steps.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.id)).toEqual(['execution-role']);
    expect(failed[0]?.detail).toContain('role_arn');
    expect(failed[0]?.detail).toContain(missingArn);
    expect(await roleNames()).toEqual([]);
    // Still refused on a second run, still nothing created; doctor reports it.
    const again = await setup(preset);
    expect(again.code).toBe(1);
    expect(await roleNames()).toEqual([]);
    const doctor = await runCli(['doctor', '--policy', preset, ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(doctor.code).toBe(1);
  });

  it.each(PRESETS)('a role in another account: exit 0, nothing created, reported as not checked (--policy %s)', async (preset) => {
    const foreignArn = 'arn:aws:iam::210987654321:role/their-role';
    sandboxWith({keep_warm: false, role_arn: foreignArn});
    const first = await setup(preset);
    expectCleanSetup(first);
    expect(await roleNames()).toEqual([]);
    expect(first.json.proof?.role?.checked).toBe(false);
    expect(first.json.warnings.some((w) => w.includes('their-role') && w.includes('not checked'))).toBe(true);
    expect(stageSettings()).not.toHaveProperty('role_name');
    await expectSettled(preset);
    expect(await roleNames()).toEqual([]);
  });
});

// ---------------------------------------------------------------- extra_permissions

describe('extra_permissions', () => {
  const grant = {Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/things`};

  it.each(PRESETS)('the grant is in the execution policy (--policy %s)', async (preset) => {
    sandboxWith({keep_warm: false, extra_permissions: [grant]});
    const first = await setup(preset);
    expectCleanSetup(first);
    const execution = await policyDocument(EXECUTION_POLICY);
    expect(statements(execution)).toContainEqual(expect.objectContaining({Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: grant.Resource}));
    expect(allows(execution, 'dynamodb:GetItem', grant.Resource)).toBe(true);
    expect(allows(execution, 'dynamodb:GetItem', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/other`)).toBe(false);
    expect(additionsFor(first.json, 'extra_permissions')).toEqual([expect.objectContaining({policy: 'execution', actions: ['dynamodb:GetItem']})]);
    await expectSettled(preset);
  });
});

// ---------------------------------------------------------------- the document's own example

describe('the setup document\'s own example settings', () => {
  // examples/demo-project/zappa_settings.json, with keep_warm turned off.
  const example = {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: 'eu-west-1', exclude: ['*.md'], keep_warm: false};

  it.each(PRESETS)('nothing is added, role management is left out, trust is exactly apigateway and lambda (--policy %s)', async (preset) => {
    sb = makeSandbox({settings: {dev: example}});
    const first = await setup(preset);
    expectCleanSetup(first);
    expect(first.json.policies.preset).toBe(preset);
    expect(first.json.policies.additions).toEqual([]);
    if (preset === 'document') {
      expect(first.json.policies.omissions).toEqual([expect.objectContaining({actions: ROLE_MANAGEMENT})]);
    }
    const [deployment, trust] = await Promise.all([policyDocument(DEPLOYMENT_POLICY), roleTrust(DEFAULT_ROLE)]);
    const actions = allowedActions(deployment).map((a) => a.toLowerCase());
    for (const omitted of ROLE_MANAGEMENT) expect(actions, `deployment policy lists ${omitted}`).not.toContain(omitted.toLowerCase());
    expect(allows(deployment, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/${DEFAULT_ROLE}`)).toBe(false);
    expect(allows(deployment, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/${DEFAULT_ROLE}`)).toBe(true);
    expect(trust).toEqual([APIGATEWAY, LAMBDA]);
    await expectSettled(preset);
  });
});
