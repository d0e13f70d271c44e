/**
 * `teardown` against moto: shows what it will remove and asks (or --yes),
 * removes only what the wizard created unless --force, keeps other profiles
 * and zappa_settings.json, and a second run changes nothing.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl} from '../helpers/moto.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {TmuxSession} from '../helpers/tmux.js';
import {
  aws, awsOk, DEPLOYMENT_ARN, eachTestWithSandboxAndProxy, EXECUTION_ARN, exists, ROLE, setupDone, snapshot, wizard, wizardJson,
} from './lifecycle-helpers.js';

interface TeardownReport {
  command: string;
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  kept: {step: string; what: string; reason: string}[];
  files: {path: string; status: string; backup?: string}[];
  apiCalls: {read: number; write: number};
}

const OTHER_CREDENTIALS = '# my own keys\n[default]\naws_access_key_id = AKIADEFAULTEXAMPLE1\naws_secret_access_key = not-a-real-secret\n';
const OTHER_CONFIG = '[default]\nregion = eu-west-1\n\n[profile work]\nregion = ap-northeast-1\noutput = text\n';

/** The person's own profiles, present before setup. */
function seedProfiles(sb: Sandbox): void {
  mkdirSync(`${sb.home}/.aws`, {recursive: true});
  writeFileSync(sb.credentialsPath, OTHER_CREDENTIALS, {mode: 0o600});
  writeFileSync(sb.configPath, OTHER_CONFIG);
}

/** What is left in IAM, from three AWS CLI listings run side by side. */
async function iamState(sb: Sandbox) {
  const [users, roles, policies] = await Promise.all([
    awsOk(sb, ['iam', 'list-users']),
    awsOk(sb, ['iam', 'list-roles']),
    awsOk(sb, ['iam', 'list-policies', '--scope', 'Local']),
  ]);
  const policyArns = policies.Policies.map((p: {Arn: string}) => p.Arn);
  return {
    user: users.Users.some((u: {UserName: string}) => u.UserName === 'serverless'),
    role: roles.Roles.some((r: {RoleName: string}) => r.RoleName === ROLE),
    deployment: policyArns.includes(DEPLOYMENT_ARN),
    execution: policyArns.includes(EXECUTION_ARN),
  };
}

const ALL_GONE = {user: false, role: false, deployment: false, execution: false};

describe('teardown', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  it('without a terminal and without --yes: shows the plan, exits 2 naming --yes, removes nothing', async () => {
    await setupDone(sb);
    const before = snapshot(sb);
    const result = await wizard(sb, ['teardown'], proxy.url);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Will remove (9):');
    expect(result.stdout).toContain('  - delete user serverless');
    expect(result.stdout).toContain(`  - delete role ${ROLE}`);
    expect(result.stderr).toContain('--yes');
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
    expect(await iamState(sb)).toEqual({user: true, role: true, deployment: true, execution: true});
  });

  it('with --yes removes everything setup made, keeps other profiles and zappa_settings.json, and says so', async () => {
    seedProfiles(sb);
    await setupDone(sb);
    const settings = readFileSync(sb.settingsPath, 'utf8');
    const result = await wizardJson<TeardownReport>(sb, ['teardown', '--yes'], proxy.url);
    expect(result.code, JSON.stringify(result.json, null, 2)).toBe(0);
    expect(await iamState(sb)).toEqual(ALL_GONE);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(OTHER_CREDENTIALS);
    expect(readFileSync(sb.configPath, 'utf8')).toBe(OTHER_CONFIG);
    // Backups hold what the files were just before teardown.
    expect(readFileSync(`${sb.credentialsPath}.bak`, 'utf8')).toContain('[serverless]');
    expect(readFileSync(`${sb.configPath}.bak`, 'utf8')).toContain('[profile serverless]');
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(settings);

    expect(result.json.ok).toBe(true);
    const status = Object.fromEntries(result.json.steps.map((s) => [s.id, s.status]));
    expect(status).toEqual({
      'deployment-policy': 'updated', 'execution-policy': 'updated', 'access-key': 'updated', user: 'updated',
      'execution-role': 'updated', 'credentials-file': 'updated', 'config-file': 'updated', 'zappa-settings': 'unchanged',
    });
    expect(result.json.steps.find((s) => s.id === 'zappa-settings')?.detail).toContain('as it is');
    // The AWS CLI still reads the person's own profiles.
    const region = await aws(sb, ['configure', 'get', 'region', '--profile', 'work']);
    expect(region.stdout.trim()).toBe('ap-northeast-1');
  });

  it('a second teardown changes nothing, makes no write call and exits 0', async () => {
    await setupDone(sb);
    expect((await wizard(sb, ['teardown', '--yes'], proxy.url)).code).toBe(0);
    const before = snapshot(sb);
    proxy.calls.length = 0;
    const again = await wizardJson<TeardownReport>(sb, ['teardown', '--yes'], proxy.url);
    expect(again.code).toBe(0);
    expect(again.json.apiCalls.write).toBe(0);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
    expect(again.json.steps.filter((s) => s.id !== 'zappa-settings').every((s) => s.status === 'unchanged')).toBe(true);
    const text = await wizard(sb, ['teardown'], proxy.url);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Nothing to remove');
  });

  it('leaves a user it did not create (and its profile) unless --force', async () => {
    await awsOk(sb, ['iam', 'create-user', '--user-name', 'serverless']);
    await setupDone(sb);
    const result = await wizardJson<TeardownReport>(sb, ['teardown', '--yes'], proxy.url);
    expect(result.code).toBe(0);
    expect(await iamState(sb)).toEqual({user: true, role: false, deployment: false, execution: false});
    expect(result.json.kept.map((k) => k.what)).toEqual([
      'user serverless and its access keys', '[serverless] in the credentials file', '[profile serverless] in the config file',
    ]);
    expect(result.json.kept[0]?.reason).toContain('ManagedBy=zappa-iam-wizard');
    expect(readFileSync(sb.credentialsPath, 'utf8')).toContain('[serverless]');
    // The user lost the policy teardown deleted, and keeps its key.
    expect((await awsOk(sb, ['iam', 'list-attached-user-policies', '--user-name', 'serverless'])).AttachedPolicies).toEqual([]);
    expect((await awsOk(sb, ['iam', 'list-access-keys', '--user-name', 'serverless'])).AccessKeyMetadata).toHaveLength(1);

    const forced = await wizard(sb, ['teardown', '--yes', '--force'], proxy.url);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(await iamState(sb)).toEqual(ALL_GONE);
    expect(readFileSync(sb.credentialsPath, 'utf8')).not.toContain('[serverless]');
  });

  it('leaves a policy that is also attached elsewhere unless --force, and deletes old policy versions', async () => {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'create-role', '--role-name', 'other-role', '--assume-role-policy-document', '{"Version":"2012-10-17","Statement":[]}']);
    await awsOk(sb, ['iam', 'attach-role-policy', '--role-name', 'other-role', '--policy-arn', EXECUTION_ARN]);
    await awsOk(sb, ['iam', 'create-policy-version', '--policy-arn', DEPLOYMENT_ARN, '--policy-document',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}']);

    const result = await wizard(sb, ['teardown', '--yes'], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('policy ZappaLambdaExecutionPolicy: also attached to role other-role');
    expect(result.stdout).toContain('✔ delete version v2 of ZappaLambdaDeploymentPolicy');
    expect(await iamState(sb)).toEqual({user: false, role: false, deployment: false, execution: true});
    expect((await awsOk(sb, ['iam', 'list-attached-role-policies', '--role-name', 'other-role'])).AttachedPolicies).toHaveLength(1);
    const deleteVersion = proxy.calls.findIndex((c) => c.action === 'DeletePolicyVersion');
    expect(deleteVersion).toBeGreaterThan(-1);
    expect(deleteVersion).toBeLessThan(proxy.calls.findIndex((c) => c.action === 'DeletePolicy'));

    const forced = await wizard(sb, ['teardown', '--yes', '--force'], proxy.url);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('✔ detach ZappaLambdaExecutionPolicy from role other-role');
    expect(await exists(sb, ['iam', 'get-policy', '--policy-arn', EXECUTION_ARN])).toBe(false);
    expect(await exists(sb, ['iam', 'get-role', '--role-name', 'other-role'])).toBe(true);
  });

  it('stops at a failure, exits 1, and a re-run finishes the job', async () => {
    await setupDone(sb);
    proxy.setFault((call) => (call.action === 'DeleteUser' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined));
    const result = await wizardJson<TeardownReport>(sb, ['teardown', '--yes'], proxy.url);
    expect(result.code).toBe(1);
    expect(result.json.ok).toBe(false);
    expect(result.json.steps.find((s) => s.id === 'user')).toMatchObject({status: 'failed', detail: expect.stringContaining('delete user serverless')});
    expect(result.json.steps.find((s) => s.id === 'execution-role')?.status).toBe('skipped');
    expect(await iamState(sb)).toEqual({user: true, role: true, deployment: false, execution: false});
    expect(existsSync(sb.credentialsPath) && readFileSync(sb.credentialsPath, 'utf8')).toContain('[serverless]');

    proxy.setFault(undefined);
    const again = await wizard(sb, ['teardown', '--yes'], proxy.url);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await iamState(sb)).toEqual(ALL_GONE);
  });

  describe.skipIf(!TmuxSession.available())('in a terminal', () => {
    let session: TmuxSession | undefined;
    afterEach(() => session?.kill());

    const start = () => new TmuxSession(`node ${CLI_BIN} teardown --endpoint-url ${motoUrl()}`, {env: sb.env(), cwd: sb.project});

    it('asks once; answering no removes nothing', async () => {
      await setupDone(sb);
      session = start();
      await session.waitFor('Remove these 9 items?');
      await session.type('n');
      await session.keys('Enter');
      expect(await session.exitCode()).toBe(130);
      expect(await session.screen()).toContain('Cancelled. Nothing was removed.');
      expect(await iamState(sb)).toEqual({user: true, role: true, deployment: true, execution: true});
    });

    it('asks once; answering yes removes everything', async () => {
      await setupDone(sb);
      session = start();
      await session.waitFor('Remove these 9 items?');
      await session.type('y');
      await session.keys('Enter');
      expect(await session.exitCode()).toBe(0);
      expect(await session.screen()).toContain('Done: 9 change(s).');
      expect(await iamState(sb)).toEqual(ALL_GONE);
    });
  });
});
