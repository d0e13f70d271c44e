/**
 * Issue 15, CloudFormation: the exported template passes cfn-lint with no
 * error or warning, moto's CloudFormation creates the stack, and then the
 * wizard's `plan` finds the IAM rows in place and `setup --yes` writes only
 * the access key (with its tag) and the local files.
 *
 * moto's gaps (what real CloudFormation accepts and moto does not):
 * - AWS::IAM::Group and AWS::IAM::OIDCProvider are not CloudFormation
 *   resources in moto (5.2): a stack with them ends in CREATE_FAILED ("Group
 *   None not found"), so the group and GitHub templates are proven by
 *   cfn-lint here and by `terraform apply` in terraform.test.ts.
 * - moto ignores AWS::IAM::User's Tags and PermissionsBoundary and
 *   AWS::IAM::Role.ManagedPolicyArns; the template attaches through
 *   AWS::IAM::ManagedPolicy's Users/Groups/Roles, which both honour.
 * - AWS::IAM::ManagedPolicy has no Tags in CloudFormation at all (cfn-lint
 *   E3002; real CloudFormation too), so a stack's policies carry neither
 *   ManagedBy nor the preset or identity tags. The wizard reads an untagged
 *   deployment policy as made elsewhere: its document tells the preset
 *   (strict when it is exactly strict's) and what it is attached to tells
 *   the kind, and neither is written back, so the next setup writes nothing
 *   in IAM but the key.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {runJson, runProcess} from '../helpers/run-cli.js';
import {allUnchanged, expectSetupFindsItInPlace, expectOk, IAM_ROWS, requireTool, ROLE_ROWS, statusesOf, type Step} from './iac-tools.js';

const perTest = eachTestWithSandbox();
const BUCKET = 'zappa-demo-app-abc123def4';
const GITHUB = ['--repo', 'acme/shop', '--branch', 'main'];

beforeAll(() => {
  requireTool('cfn-lint');
  requireTool('aws');
});

interface Report { ok: boolean; steps: Step[]; files: {path: string}[] }

async function exportTemplate(args: string[], name = 'zappa-iam.yml'): Promise<string> {
  const sb = perTest.sandbox();
  const path = join(sb.root, name);
  const out = await runJson<Report>(['export', '--format', 'cloudformation', '--output', path, ...args], {cwd: sb.project, env: sb.env()});
  expectOk(out, 'export');
  expect(out.json.ok).toBe(true);
  return path;
}

/** One cfn-lint run for several templates (it starts slowly); exit 0 means no error, no warning, no informational finding. */
async function cfnLint(paths: string[]): Promise<void> {
  expectOk(await runProcess('cfn-lint', paths, {env: perTest.sandbox().env(), timeoutMs: 90_000}), `cfn-lint ${paths.join(' ')}`);
}

async function createStack(path: string, parameters: string[] = []): Promise<void> {
  const aws = (args: string[]) => awsCli(args, {env: perTest.sandbox().env(), endpointUrl: motoUrl()});
  const created = await aws(['cloudformation', 'create-stack', '--stack-name', 'zappa-iam', '--template-body', `file://${path}`,
    '--capabilities', 'CAPABILITY_NAMED_IAM', ...(parameters.length ? ['--parameters', ...parameters] : [])]);
  expectOk(created, 'create-stack');
  let status = '';
  for (let i = 0; i < 50 && !status.endsWith('_COMPLETE') && !status.endsWith('_FAILED'); i++) {
    const described = await aws(['cloudformation', 'describe-stacks', '--stack-name', 'zappa-iam']);
    status = (described.json as {Stacks: {StackStatus: string}[]}).Stacks[0]!.StackStatus;
    if (!status.endsWith('_COMPLETE')) await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe('CREATE_COMPLETE');
}

const wizard = (args: string[]) => runJson<Report>([...args, '--endpoint-url', motoUrl()], {cwd: perTest.sandbox().project, env: perTest.sandbox().env()});

describe('export --format cloudformation, applied to moto', () => {
  it('document preset, user: cfn-lint clean, the stack created, plan finds the IAM rows unchanged, setup --yes writes only the key and the files', async () => {
    const path = await exportTemplate([]);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/\d{12}/);
    expect(text).toContain('${AWS::Partition}');
    expect(text).not.toMatch(/arn:aws:/);
    await createStack(path);

    await expectSetupFindsItInPlace(wizard);
  });

  it('strict preset, user: the stack holds the strict documents, and plan and setup with no --policy keep them as they are', async () => {
    const path = await exportTemplate(['--policy', 'strict', '--bucket', BUCKET]);
    await createStack(path);

    // The stage names no bucket: --bucket gives setup the one the stack's strict policy was exported for.
    const plan = await wizard(['plan', '--bucket', BUCKET]);
    expect(statusesOf(plan.json.steps, IAM_ROWS), plan.stderr).toEqual(allUnchanged(IAM_ROWS));
    const setup = await wizard(['setup', '--yes', '--bucket', BUCKET]);
    expectOk(setup, 'setup --yes');
    expect(statusesOf(setup.json.steps, IAM_ROWS)).toEqual(allUnchanged(IAM_ROWS));
    expect(setup.json.steps.find((s) => s.id === 'access-key')?.status).toBe('created');
    const after = await wizard(['plan', '--bucket', BUCKET]);
    expect(statusesOf(after.json.steps)).toEqual(allUnchanged());
  });

  it('role kind with a boundary: moto creates the deploy role with its trust and the boundary; plan finds it in place', async () => {
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    // --endpoint-url: export asks STS (moto here) who will assume the role.
    const path = await exportTemplate(['--identity', 'role', '--permissions-boundary', boundary, '--endpoint-url', motoUrl()]);
    await createStack(path);
    const role = await awsCli(['iam', 'get-role', '--role-name', 'serverless'], {env: perTest.sandbox().env(), endpointUrl: motoUrl()});
    expectOk(role, 'get-role');
    const got = (role.json as {Role: {AssumeRolePolicyDocument: {Statement: {Principal: {AWS: string}; Condition: unknown}[]}; PermissionsBoundary?: {PermissionsBoundaryArn: string}}}).Role;
    expect(got.AssumeRolePolicyDocument.Statement[0]!.Principal.AWS).toBe('arn:aws:iam::123456789012:root');
    // The sandbox's admin is moto's user (moto names it arn:aws:sts::…:user/moto where AWS says arn:aws:iam::…): the role trusts exactly that identity.
    expect(JSON.stringify(got.AssumeRolePolicyDocument.Statement[0]!.Condition)).toContain('::123456789012:user/moto');
    expect(got.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
    const attached = await awsCli(['iam', 'list-attached-role-policies', '--role-name', 'serverless'], {env: perTest.sandbox().env(), endpointUrl: motoUrl()});
    expect(JSON.stringify(attached.json)).toContain('ZappaLambdaDeploymentPolicy');

    // With no flag: the untagged deployment policy is attached to role serverless, so that is the kind in force.
    const plan = await wizard(['plan']);
    expect(statusesOf(plan.json.steps, ROLE_ROWS), plan.stderr).toEqual(allUnchanged(ROLE_ROWS));
    const setup = await wizard(['setup', '--yes']);
    expectOk(setup, 'setup --yes');
    expect(statusesOf(setup.json.steps, ROLE_ROWS)).toEqual(allUnchanged(ROLE_ROWS));
    const after = await wizard(['plan']);
    expect(statusesOf(after.json.steps, ROLE_ROWS)).toEqual(allUnchanged(ROLE_ROWS));
  });

  it('every preset and kind is cfn-lint clean, the group and GitHub ones too (moto\'s CloudFormation has neither resource)', async () => {
    const variants: [string, string[]][] = [
      ['document-user.yml', []],
      ['strict-user.yml', ['--policy', 'strict', '--bucket', BUCKET]],
      ['document-group.yml', ['--identity', 'group', '--group', 'ZappaGroup']],
      ['strict-group.yml', ['--identity', 'group', '--policy', 'strict', '--bucket', BUCKET]],
      ['role-boundary.yml', ['--identity', 'role', '--permissions-boundary', 'arn:aws:iam::aws:policy/PowerUserAccess']],
      ['strict-github.yml', ['--policy', 'strict', '--bucket', BUCKET, ...GITHUB]],
      ['role-github-environment.yml', ['--identity', 'role', '--repo', 'acme/shop', '--environment', 'production']],
    ];
    const paths = [];
    for (const [name, args] of variants) paths.push(await exportTemplate(args, name));
    await cfnLint(paths);
    const github = readFileSync(paths[5]!, 'utf8');
    expect(github).toContain('repo:acme/shop:ref:refs/heads/main');
    expect(github).toContain('CreatesGithubOidcProvider');
    expect(readFileSync(paths[6]!, 'utf8')).toContain('repo:acme/shop:environment:production');
    for (const path of paths) expect(readFileSync(path, 'utf8'), path).not.toMatch(/\d{12}|arn:aws:iam::\d|SecretAccessKey|AccessKeyId/);
  });
});
