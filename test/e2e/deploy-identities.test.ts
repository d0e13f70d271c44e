/**
 * Issue 14, items 1, 2 and 4, against moto and read back with the AWS CLI:
 * seed 003's group, the keyless deploy role, and permissions boundaries.
 * Every kind: a second run makes no write, and plan and doctor judge it with
 * no flag (the kind is recorded on the deployment policy).
 */
import {existsSync, readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

interface Step { id: string; status: string; detail: string }
interface JsonReport { ok: boolean; steps: Step[]; apiCalls: {read: number; write: number}; findings?: {id: string; severity: string}[] }

let sb: Sandbox;
const endpoint = () => ['--endpoint-url', motoUrl()];
const run = (args: string[]) => runJson<JsonReport>([...args, ...endpoint()], {cwd: sb.project, env: sb.env()});
const aws = async (args: string[]) => (await awsCli(args, {env: sb.env(), endpointUrl: motoUrl()})).json as Record<string, unknown>;
const statusOf = (json: JsonReport, id: string) => json.steps.find((s) => s.id === id)?.status;
const BOUNDARY_DOC = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]});

beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

/** The profile's identity as the AWS CLI resolves it, with every call sent to moto (role assumption included). */
async function cliIdentity(profile: string): Promise<string> {
  const out = await awsCli(['sts', 'get-caller-identity', '--profile', profile], {env: sb.env({AWS_ENDPOINT_URL: motoUrl()})});
  expect(out.code, out.stderr).toBe(0);
  return (out.json as {Arn: string}).Arn;
}

async function expectSecondRunWritesNothing(): Promise<void> {
  const again = await run(['setup', '--yes', '--json']);
  expect(again.code).toBe(0);
  expect(again.json.apiCalls.write).toBe(0);
  expect(again.json.steps.every((s) => s.status === 'unchanged')).toBe(true);
  const plan = await run(['plan', '--json']);
  expect(plan.code).toBe(0);
  const doctor = await run(['doctor', '--json']);
  expect(doctor.json.findings?.filter((f) => f.severity === 'problem')).toEqual([]);
  expect(doctor.code).toBe(0);
}

describe('--identity group (seed 003)', () => {
  it('attaches the deployment policy to ZappaGroup, makes the user a member, and converges', async () => {
    const {code, json} = await run(['setup', '--yes', '--json', '--identity', 'group']);
    expect(code).toBe(0);
    expect(json.steps.map((s) => s.id)).toEqual(['identity', 'user', 'group', 'group-membership', 'access-key', 'credentials-file',
      'config-file', 'zappa-settings', 'deployment-policy', 'deployment-policy-attached', 'execution-policy', 'execution-role',
      'execution-policy-attached', 'verify']);
    const groupPolicies = await aws(['iam', 'list-attached-group-policies', '--group-name', 'ZappaGroup']) as {AttachedPolicies: {PolicyName: string}[]};
    expect(groupPolicies.AttachedPolicies.map((p) => p.PolicyName)).toEqual(['ZappaLambdaDeploymentPolicy']);
    const userPolicies = await aws(['iam', 'list-attached-user-policies', '--user-name', 'serverless']) as {AttachedPolicies: unknown[]};
    expect(userPolicies.AttachedPolicies).toEqual([]);
    const groups = await aws(['iam', 'list-groups-for-user', '--user-name', 'serverless']) as {Groups: {GroupName: string}[]};
    expect(groups.Groups.map((g) => g.GroupName)).toEqual(['ZappaGroup']);
    expect(await cliIdentity('serverless')).toBe('arn:aws:iam::123456789012:user/serverless');
    await expectSecondRunWritesNothing();
  });

  it('moves a user setup to the group: the direct attachment goes only after the group grants the same', async () => {
    expect((await run(['setup', '--yes', '--json'])).code).toBe(0);
    const {code, json} = await run(['setup', '--yes', '--json', '--identity', 'group', '--group', 'Deployers']);
    expect(code).toBe(0);
    expect(statusOf(json, 'group')).toBe('created');
    expect(json.steps.find((s) => s.id === 'deployment-policy-attached')?.detail).toBe('attached to Deployers, then detached from serverless');
    // The row that detaches waits for the membership row: by then the user holds the rights through the group.
    const order = json.steps.map((s) => s.id);
    expect(order.indexOf('group-membership')).toBeLessThan(order.indexOf('deployment-policy-attached'));
    const userPolicies = await aws(['iam', 'list-attached-user-policies', '--user-name', 'serverless']) as {AttachedPolicies: unknown[]};
    expect(userPolicies.AttachedPolicies).toEqual([]);
    await expectSecondRunWritesNothing();
  });

  it('teardown removes the membership and the group it emptied', async () => {
    expect((await run(['setup', '--yes', '--json', '--identity', 'group'])).code).toBe(0);
    const down = await runCli(['teardown', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('remove user serverless from group ZappaGroup');
    const groups = await aws(['iam', 'list-groups']) as {Groups: unknown[]};
    expect(groups.Groups).toEqual([]);
    const users = await aws(['iam', 'list-users']) as {Users: unknown[]};
    expect(users.Users).toEqual([]);
  });
});

describe('--identity role (no long-term key)', () => {
  it('creates a role the admin assumes through [profile serverless], with nothing in the credentials file', async () => {
    const {code, json} = await run(['setup', '--yes', '--json', '--identity', 'role']);
    expect(code).toBe(0);
    expect(json.steps.map((s) => s.id)).toEqual(['identity', 'deploy-role', 'config-file', 'zappa-settings', 'deployment-policy',
      'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached', 'verify']);
    expect(existsSync(sb.credentialsPath) ? readFileSync(sb.credentialsPath, 'utf8') : '').not.toContain('[serverless]');
    const config = readFileSync(sb.configPath, 'utf8');
    expect(config).toContain('role_arn = arn:aws:iam::123456789012:role/serverless');
    // The sandbox's admin credentials are environment variables.
    expect(config).toContain('credential_source = Environment');
    const role = await aws(['iam', 'get-role', '--role-name', 'serverless']) as {Role: {AssumeRolePolicyDocument: unknown; Tags?: unknown[]}};
    expect(JSON.stringify(role.Role.AssumeRolePolicyDocument)).toContain('aws:PrincipalArn');
    expect(role.Role.Tags).toContainEqual({Key: 'ManagedBy', Value: 'zappa-iam-wizard'});
    const attached = await aws(['iam', 'list-attached-role-policies', '--role-name', 'serverless']) as {AttachedPolicies: {PolicyName: string}[]};
    expect(attached.AttachedPolicies.map((p) => p.PolicyName)).toEqual(['ZappaLambdaDeploymentPolicy']);
    expect(await cliIdentity('serverless')).toMatch(/^arn:aws:sts::123456789012:assumed-role\/serverless\//);
    expect(json.steps.find((s) => s.id === 'verify')?.detail).toMatch(/assumed-role\/serverless\//);
    await expectSecondRunWritesNothing();
  });

  it('switching a user setup to the role deactivates the old key and removes [serverless] only in that run, and says so in the plan', async () => {
    expect((await run(['setup', '--yes', '--json'])).code).toBe(0);
    const keyId = /aws_access_key_id\s*=\s*(\S+)/.exec(readFileSync(sb.credentialsPath, 'utf8'))![1]!;
    const plan = await runCli(['plan', '--identity', 'role', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/will remove \[serverless\] with its key AKIA…\w{4} from .*credentials and deactivate that key/);
    const before = await aws(['iam', 'list-access-keys', '--user-name', 'serverless']) as {AccessKeyMetadata: {Status: string}[]};
    expect(before.AccessKeyMetadata.map((k) => k.Status)).toEqual(['Active']);

    const {code} = await run(['setup', '--yes', '--json', '--identity', 'role']);
    expect(code).toBe(0);
    expect(readFileSync(sb.credentialsPath, 'utf8')).not.toContain(keyId);
    const after = await aws(['iam', 'list-access-keys', '--user-name', 'serverless']) as {AccessKeyMetadata: {Status: string}[]};
    expect(after.AccessKeyMetadata.map((k) => k.Status)).toEqual(['Inactive']);
    expect(await cliIdentity('serverless')).toMatch(/assumed-role\/serverless\//);
    await expectSecondRunWritesNothing();
  });

  it('rotate-key has nothing to rotate; teardown removes the role and the profile', async () => {
    expect((await run(['setup', '--yes', '--json', '--identity', 'role'])).code).toBe(0);
    const rotate = await runCli(['rotate-key', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toContain('there is no access key to rotate');
    const down = await runCli(['teardown', '--yes', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('delete deploy role serverless');
    const roles = await aws(['iam', 'list-roles']) as {Roles: unknown[]};
    expect(roles.Roles).toEqual([]);
    expect(readFileSync(sb.configPath, 'utf8')).not.toContain('[profile serverless]');
  });
});

describe('--permissions-boundary', () => {
  // moto ignores a user's boundary (CreateUser drops it, PutUserPermissionsBoundary answers 500), so the
  // user's is tested against the in-memory fake (test/steps/boundary.test.ts); real IAM honours both.
  it('is set on the roles the wizard creates, kept by a run without it, and repaired when removed', async () => {
    const policy = await aws(['iam', 'create-policy', '--policy-name', 'OrgBoundary', '--policy-document', BOUNDARY_DOC]) as {Policy: {Arn: string}};
    const boundary = policy.Policy.Arn;
    const {code} = await run(['setup', '--yes', '--json', '--identity', 'role', '--permissions-boundary', boundary]);
    expect(code).toBe(0);
    const boundaryOf = async (role: string) =>
      ((await aws(['iam', 'get-role', '--role-name', role])) as {Role: {PermissionsBoundary?: {PermissionsBoundaryArn: string}}}).Role.PermissionsBoundary?.PermissionsBoundaryArn;
    expect(await boundaryOf('serverless')).toBe(boundary);
    expect(await boundaryOf('demo-app-dev-ZappaLambdaExecutionRole')).toBe(boundary);
    // A later run without the flag keeps the boundary and writes nothing.
    await expectSecondRunWritesNothing();

    await aws(['iam', 'delete-role-permissions-boundary', '--role-name', 'demo-app-dev-ZappaLambdaExecutionRole']);
    const doctor = await run(['doctor', '--json', '--permissions-boundary', boundary]);
    expect(doctor.code).toBe(1);
    expect(doctor.json.findings?.map((f) => f.id)).toContain('role-boundary');
    const repair = await run(['setup', '--yes', '--json', '--permissions-boundary', boundary]);
    expect(repair.code).toBe(0);
    expect(statusOf(repair.json, 'execution-role')).toBe('updated');
    expect(await boundaryOf('demo-app-dev-ZappaLambdaExecutionRole')).toBe(boundary);
  });

  it('a malformed boundary ARN is exit 2 before any AWS call', async () => {
    const out = await runCli(['setup', '--yes', '--permissions-boundary', 'OrgBoundary', ...endpoint()], {cwd: sb.project, env: sb.env()});
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('is not a managed policy ARN');
  });
});
