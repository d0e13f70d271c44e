/**
 * `ci github` against moto: the account's OIDC provider (created, or reused
 * with the STS audience added), the deploy role and its pinned trust, the
 * deployment policy on it, and a second run that writes nothing.
 */
import {describe, expect, it} from 'vitest';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {runProcess} from '../helpers/run-cli.js';
import {webIdentityDecision} from '../../src/policy/web-identity-trust.js';
import {aws, ciJson, ciPlain, githubToken, setupYes} from './helpers.js';

const t = eachTestWithSandbox();
const HOST = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${HOST}`;
const ROLE = 'zappa-github-acme-shop';
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE}`;
const CI_IDS = ['identity', 'oidc-provider', 'deployment-policy', 'ci-role', 'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached', 'workflow-file'];

type Providers = {OpenIDConnectProviderList: {Arn: string}[]};
type Provider = {Url: string; ClientIDList: string[]; Tags?: {Key: string; Value: string}[]};
type Role = {Role: {Arn: string; AssumeRolePolicyDocument: {Statement: {Effect: string; Principal: {Federated: string}; Action: string; Condition: Record<string, Record<string, string>>}[]}; Tags?: {Key: string; Value: string}[]; PermissionsBoundary?: {PermissionsBoundaryArn: string}}};

describe('ci github', () => {
  it('creates the OIDC provider, a role only main of acme/shop may assume, with the deployment policy, and converges', async () => {
    const sb = t.sandbox();
    expect((await setupYes(sb)).code).toBe(0);
    const first = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.json.steps.map((s) => s.id)).toEqual(CI_IDS);
    expect(first.json.steps.find((s) => s.id === 'oidc-provider')!.status).toBe('created');
    expect(first.json.steps.find((s) => s.id === 'ci-role')!.status).toBe('created');
    expect(first.json.ci).toMatchObject({repo: 'acme/shop', subject: 'repo:acme/shop:ref:refs/heads/main', roleArn: ROLE_ARN, providerArn: PROVIDER});

    const providers = await aws<Providers>(sb, ['iam', 'list-open-id-connect-providers']);
    expect(providers.OpenIDConnectProviderList.map((p) => p.Arn)).toEqual([PROVIDER]);
    const provider = await aws<Provider>(sb, ['iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', PROVIDER]);
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com']);
    expect(provider.Tags).toContainEqual({Key: 'ManagedBy', Value: 'zappa-iam-wizard'});

    const role = await aws<Role>(sb, ['iam', 'get-role', '--role-name', ROLE]);
    expect(role.Role.Tags).toContainEqual({Key: 'ManagedBy', Value: 'zappa-iam-wizard'});
    const [statement, ...others] = role.Role.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({Effect: 'Allow', Principal: {Federated: PROVIDER}, Action: 'sts:AssumeRoleWithWebIdentity'});
    expect(statement!.Condition).toEqual({StringEquals: {[`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: 'repo:acme/shop:ref:refs/heads/main'}});
    // The trust as IAM stores it, judged offline (moto itself checks no condition).
    const judge = (sub: string) => webIdentityDecision(role.Role.AssumeRolePolicyDocument, {providerArn: PROVIDER, host: HOST, claims: {sub, aud: 'sts.amazonaws.com'}});
    expect(judge('repo:acme/shop:ref:refs/heads/main')).toBe('allowed');
    expect(judge('repo:acme/shop:ref:refs/heads/dev')).toBe('implicit-deny');

    const attached = await aws<{AttachedPolicies: {PolicyArn: string}[]}>(sb, ['iam', 'list-attached-role-policies', '--role-name', ROLE]);
    expect(attached.AttachedPolicies.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy']);

    const second = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.apiCalls.write).toBe(0);
    expect(second.json.steps.every((s) => s.status === 'unchanged'), JSON.stringify(second.json.steps)).toBe(true);
  });

  it('reuses the account\'s provider when there is one (one per account), and leaves it as it is', async () => {
    const sb = t.sandbox();
    // moto 5.2 has no AddClientIDToOpenIDConnectProvider: adding a missing audience is tested against the fake (steps.test.ts).
    await aws(sb, ['iam', 'create-open-id-connect-provider', '--url', `https://${HOST}`, '--client-id-list', 'sigstore', 'sts.amazonaws.com', '--thumbprint-list', '6938fd4d98bab03faadb97b34396831e3780aea1']);
    const out = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.json.steps.find((s) => s.id === 'oidc-provider')).toMatchObject({status: 'unchanged'});
    const providers = await aws<Providers>(sb, ['iam', 'list-open-id-connect-providers']);
    expect(providers.OpenIDConnectProviderList).toHaveLength(1);
    const provider = await aws<Provider>(sb, ['iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', PROVIDER]);
    expect(provider.ClientIDList.sort()).toEqual(['sigstore', 'sts.amazonaws.com']);
    // Not the wizard's: teardown must not take it for its own.
    expect(provider.Tags ?? []).not.toContainEqual({Key: 'ManagedBy', Value: 'zappa-iam-wizard'});
    const role = await aws<Role>(sb, ['iam', 'get-role', '--role-name', ROLE]);
    expect(role.Role.AssumeRolePolicyDocument.Statement[0]!.Principal.Federated).toBe(PROVIDER);
  });

  it('lets STS hand out the role for a token of the pinned subject', async () => {
    const sb = t.sandbox();
    expect((await ciJson(sb, ['--repo', 'acme/shop'])).code).toBe(0);
    const out = await runProcess('aws', ['sts', 'assume-role-with-web-identity', '--role-arn', ROLE_ARN, '--role-session-name', 'github-actions',
      '--web-identity-token', githubToken('repo:acme/shop:ref:refs/heads/main'), '--endpoint-url', motoUrl(), '--output', 'json'], {env: sb.env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined})});
    expect(out.code, out.stderr).toBe(0);
    const answer = JSON.parse(out.stdout) as {Credentials: {AccessKeyId: string}; AssumedRoleUser: {Arn: string}};
    expect(answer.AssumedRoleUser.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/${ROLE}/github-actions`);
    expect(answer.Credentials.AccessKeyId).toMatch(/^ASIA/);
  });

  it('pins an environment instead of a branch with --environment', async () => {
    const sb = t.sandbox();
    const out = await ciJson(sb, ['--repo', 'acme/shop', '--environment', 'production']);
    expect(out.code, out.stderr).toBe(0);
    const role = await aws<Role>(sb, ['iam', 'get-role', '--role-name', ROLE]);
    expect(role.Role.AssumeRolePolicyDocument.Statement[0]!.Condition.StringEquals![`${HOST}:sub`]).toBe('repo:acme/shop:environment:production');
  });

  it('replaces a looser trust on its role with the pinned one, keeping nothing of it', async () => {
    const sb = t.sandbox();
    expect((await ciJson(sb, ['--repo', 'acme/shop'])).code).toBe(0);
    const loose = {Version: '2012-10-17', Statement: [
      {Effect: 'Allow', Principal: {Federated: PROVIDER}, Action: 'sts:AssumeRoleWithWebIdentity', Condition: {StringLike: {[`${HOST}:sub`]: 'repo:acme/*'}}},
      {Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'sts:AssumeRole'},
    ]};
    await aws(sb, ['iam', 'update-assume-role-policy', '--role-name', ROLE, '--policy-document', JSON.stringify(loose)]);
    const out = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(out.code, out.stderr).toBe(0);
    const step = out.json.steps.find((s) => s.id === 'ci-role')!;
    expect(step.status).toBe('updated');
    expect(step.detail).toContain('only repo:acme/shop:ref:refs/heads/main');
    const role = await aws<Role>(sb, ['iam', 'get-role', '--role-name', ROLE]);
    expect(role.Role.AssumeRolePolicyDocument.Statement).toHaveLength(1);
    expect(role.Role.AssumeRolePolicyDocument.Statement[0]!.Condition).toEqual({StringEquals: {[`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: 'repo:acme/shop:ref:refs/heads/main'}});
  });

  it('sets --permissions-boundary on the role it creates and keeps it on a run without the flag', async () => {
    const sb = t.sandbox();
    const boundary = (await aws<{Policy: {Arn: string}}>(sb, ['iam', 'create-policy', '--policy-name', 'OrgBoundary',
      '--policy-document', JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]})])).Policy.Arn;
    expect((await ciJson(sb, ['--repo', 'acme/shop', '--permissions-boundary', boundary])).code).toBe(0);
    const role = await aws<Role>(sb, ['iam', 'get-role', '--role-name', ROLE]);
    expect(role.Role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
    const again = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(again.json.apiCalls.write).toBe(0);
    expect((await aws<Role>(sb, ['iam', 'get-role', '--role-name', ROLE])).Role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
  });

  it('refuses to take over a role of that name it did not create', async () => {
    const sb = t.sandbox();
    await aws(sb, ['iam', 'create-role', '--role-name', ROLE, '--assume-role-policy-document',
      JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]})]);
    const out = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(out.code).toBe(1);
    expect(out.json.steps.find((s) => s.id === 'ci-role')).toMatchObject({status: 'failed'});
    expect(out.json.apiCalls.write).toBe(0);
    const plain = await ciPlain(sb, ['--repo', 'acme/shop']);
    expect(plain.stdout).toContain(`role ${ROLE} exists, was not created by the wizard`);
  });
});

describe('ci github: bad usage is exit 2 with a sentence, before any AWS call', () => {
  it.each([
    [[], 'ci github needs the repository that deploys: --repo OWNER/NAME.'],
    [['--repo', 'acme'], '"acme" is not a GitHub repository as OWNER/NAME'],
    [['--repo', 'acme/shop/extra'], 'is not a GitHub repository as OWNER/NAME'],
    [['--repo', 'acme/shop', '--branch', 'main', '--environment', 'prod'], '--branch and --environment name two different things'],
    [['--repo', 'acme/shop', '--branch', 'a b'], 'holds a character git does not allow'],
  ])('%j', async (args, sentence) => {
    const sb = t.sandbox();
    const out = await ciPlain(sb, args);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain(sentence);
  });
});
