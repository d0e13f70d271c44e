/**
 * Issue 15, Terraform: the exported module is `terraform fmt`-clean, passes
 * `terraform validate` with the aws provider from the local mirror (no
 * registry), and `terraform apply` against moto makes what setup would:
 * afterwards `plan` finds the IAM rows in place and `setup --yes` writes
 * only the access key and the local files.
 *
 * One `terraform init` for the whole file (the provider is a 700 MB binary):
 * every test exports into the same folder, which also shows that an export
 * overwrites its own files and leaves others (moto_override.tf, .terraform)
 * alone. moto differs from AWS here only in what STS calls the admin user
 * (arn:aws:sts::…:user/moto): the provider needs no setting moto alone wants
 * beyond the endpoints and skip_credentials_validation.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {allUnchanged, expectSetupFindsItInPlace, expectOk, GROUP_ROWS, requireTool, ROLE_ROWS, statusesOf, terraform, terraformCliConfig, writeMotoOverride, type Step} from './iac-tools.js';

const perTest = eachTestWithSandbox();
const BUCKET = 'zappa-demo-app-abc123def4';
let dir: string;
let cliConfig: string;

/** The sandbox's environment (admin keys for moto) plus the mirror-only CLI config; no plugin cache. */
const tfEnv = (): Record<string, string> => perTest.sandbox().env({TF_CLI_CONFIG_FILE: cliConfig, TF_PLUGIN_CACHE_DIR: undefined});

beforeAll(async () => {
  requireTool('terraform');
  requireTool('aws');
  cliConfig = terraformCliConfig();
  dir = mkdtempSync(join(tmpdir(), 'zw-tf-export-'));
  writeMotoOverride(dir, motoUrl());
  // versions.tf alone is enough to install the provider the export asks for.
  const {makeSandbox} = await import('../helpers/sandbox.js');
  const sb = makeSandbox();
  try {
    expectOk(await runCli(['export', '--format', 'terraform', '--output', dir], {cwd: sb.project, env: sb.env()}), 'export');
    expectOk(await terraform(['init', '-input=false', '-backend=false'], dir, {...sb.env({TF_CLI_CONFIG_FILE: cliConfig})}), 'terraform init');
  } finally {
    sb.cleanup();
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true});
});

interface Report { ok: boolean; steps: Step[] }

/** Export into the shared folder, check fmt and validate, and apply to a fresh state (moto was reset). */
async function exportAndApply(args: string[], vars: string[] = []): Promise<void> {
  const sb = perTest.sandbox();
  const out = await runJson<{ok: boolean; files: {path: string}[]}>(['export', '--format', 'terraform', '--output', dir, ...args], {cwd: sb.project, env: sb.env()});
  expectOk(out, 'export');
  expect(out.json.files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
  rmSync(join(dir, 'terraform.tfstate'), {force: true});
  expectOk(await terraform(['fmt', '-check', '-diff'], dir, tfEnv()), 'terraform fmt -check');
  expectOk(await terraform(['validate'], dir, tfEnv()), 'terraform validate');
  expectOk(await terraform(['apply', '-auto-approve', '-input=false', ...vars.flatMap((v) => ['-var', v])], dir, tfEnv(), 180_000), 'terraform apply');
}

const wizard = (args: string[]) => runJson<Report>([...args, '--endpoint-url', motoUrl()], {cwd: perTest.sandbox().project, env: perTest.sandbox().env()});
const aws = async <T>(args: string[]): Promise<T> => {
  const out = await awsCli(args, {env: perTest.sandbox().env(), endpointUrl: motoUrl()});
  expectOk(out, `aws ${args.join(' ')}`);
  return out.json as T;
};

// A terraform run starts the provider (a 700 MB binary) each time: about 10 s on a quiet machine, more on a busy one.
describe('export --format terraform, applied to moto', {timeout: 240_000}, () => {
  it('document preset, user: fmt-clean, valid, applied; plan finds the IAM rows unchanged and setup --yes writes only the key and the files', async () => {
    await exportAndApply([]);
    const main = readFileSync(join(dir, 'main.tf'), 'utf8');
    expect(main).not.toMatch(/\d{12}|arn:aws:/);
    expect(readFileSync(join(dir, 'versions.tf'), 'utf8')).toContain('version = ">= 5.0, < 7.0"');

    await expectSetupFindsItInPlace(wizard);
  });

  it('strict preset, group, GitHub OIDC created: the group holds the policy, the user is a member, the preset is recorded, the CI role is pinned', async () => {
    await exportAndApply(['--identity', 'group', '--policy', 'strict', '--bucket', BUCKET, '--repo', 'acme/shop', '--branch', 'main']);
    const groups = await aws<{Groups: {GroupName: string}[]}>(['iam', 'list-groups-for-user', '--user-name', 'serverless']);
    expect(groups.Groups.map((g) => g.GroupName)).toEqual(['ZappaGroup']);
    const onGroup = await aws<{AttachedPolicies: {PolicyName: string}[]}>(['iam', 'list-attached-group-policies', '--group-name', 'ZappaGroup']);
    expect(onGroup.AttachedPolicies.map((p) => p.PolicyName)).toEqual(['ZappaLambdaDeploymentPolicy']);
    const onUser = await aws<{AttachedPolicies: unknown[]}>(['iam', 'list-attached-user-policies', '--user-name', 'serverless']);
    expect(onUser.AttachedPolicies).toEqual([]);
    const providers = await aws<{OpenIDConnectProviderList: {Arn: string}[]}>(['iam', 'list-open-id-connect-providers']);
    expect(providers.OpenIDConnectProviderList.map((p) => p.Arn)).toEqual(['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com']);
    const ci = await aws<{Role: {AssumeRolePolicyDocument: unknown}}>(['iam', 'get-role', '--role-name', 'zappa-github-acme-shop']);
    expect(JSON.stringify(ci.Role.AssumeRolePolicyDocument)).toContain('repo:acme/shop:ref:refs/heads/main');

    // The documents, the preset and the kind are what setup computes and records: plan needs no --policy or --identity.
    const plan = await wizard(['plan', '--bucket', BUCKET]);
    expect(statusesOf(plan.json.steps, GROUP_ROWS), plan.stderr).toEqual(allUnchanged(GROUP_ROWS));
    const setup = await wizard(['setup', '--yes', '--bucket', BUCKET]);
    expectOk(setup, 'setup --yes');
    expect(statusesOf(setup.json.steps, GROUP_ROWS)).toEqual(allUnchanged(GROUP_ROWS));
    expect(setup.json.steps.find((s) => s.id === 'access-key')?.status).toBe('created');
  });

  it('role kind with a boundary, reusing an existing GitHub OIDC provider through the data source', async () => {
    await aws(['iam', 'create-open-id-connect-provider', '--url', 'https://token.actions.githubusercontent.com',
      '--client-id-list', 'sts.amazonaws.com', '--thumbprint-list', '6938fd4d98bab03faadb97b34396831e3780aea1']);
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    await exportAndApply(['--identity', 'role', '--permissions-boundary', boundary, '--repo', 'acme/shop', '--environment', 'production', '--endpoint-url', motoUrl()],
      ['create_github_oidc_provider=false']);
    const providers = await aws<{OpenIDConnectProviderList: unknown[]}>(['iam', 'list-open-id-connect-providers']);
    expect(providers.OpenIDConnectProviderList).toHaveLength(1);
    const deploy = await aws<{Role: {PermissionsBoundary?: {PermissionsBoundaryArn: string}; AssumeRolePolicyDocument: unknown}}>(['iam', 'get-role', '--role-name', 'serverless']);
    expect(deploy.Role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
    expect(JSON.stringify(deploy.Role.AssumeRolePolicyDocument)).toContain('::123456789012:user/moto');
    const ci = await aws<{Role: {AssumeRolePolicyDocument: unknown; PermissionsBoundary?: {PermissionsBoundaryArn: string}}}>(['iam', 'get-role', '--role-name', 'zappa-github-acme-shop']);
    expect(JSON.stringify(ci.Role.AssumeRolePolicyDocument)).toContain('repo:acme/shop:environment:production');
    expect(ci.Role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
    for (const role of ['serverless', 'zappa-github-acme-shop']) {
      const attached = await aws<{AttachedPolicies: {PolicyName: string}[]}>(['iam', 'list-attached-role-policies', '--role-name', role]);
      expect(attached.AttachedPolicies.map((p) => p.PolicyName), role).toEqual(['ZappaLambdaDeploymentPolicy']);
    }

    // The kind is recorded on the deployment policy, and the trust names the identity plan runs as.
    const plan = await wizard(['plan']);
    expect(statusesOf(plan.json.steps, ROLE_ROWS), plan.stderr).toEqual(allUnchanged(ROLE_ROWS));
    const setup = await wizard(['setup', '--yes']);
    expectOk(setup, 'setup --yes');
    expect(statusesOf(setup.json.steps, ROLE_ROWS)).toEqual(allUnchanged(ROLE_ROWS));
    expect(setup.json.steps.map((s) => s.id)).not.toContain('access-key');
  });
});
