/**
 * Issue 16, item 9: a role_arn/source_profile, sso_…, credential_process or
 * web_identity_token_file in the deploy profile makes the AWS CLI and boto3
 * deploy as something else while the key itself works. The rows must see
 * the profile as the AWS CLI resolves it, setup removes those keys (--yes is
 * the yes; the plan names them), and afterwards the AWS CLI itself, against
 * moto, deploys with the user's key.
 */
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {eachTestWithSandboxAndProxy, setupDone, snapshot} from '../lifecycle/lifecycle-helpers.js';
import {awsAs, awsOk, callerOf, read, stepOf, wizard, wizardJson, writeAws} from './profiles-helpers.js';

const USER_ARN = 'arn:aws:iam::123456789012:user/serverless';
const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/admin-role';

describe('a deploy profile that the AWS CLI would resolve to something else', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  /** After a finished setup, the person's admin profile and a role_arn in [profile serverless] that assumes a role with it. */
  async function roleInConfig(): Promise<string> {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'create-role', '--role-name', 'admin-role', '--assume-role-policy-document', '{"Version":"2012-10-17","Statement":[]}']);
    writeAws(sb.credentialsPath, `${read(sb.credentialsPath)}\n[admin]\naws_access_key_id = AKIAADMINEXAMPLE0001\naws_secret_access_key = not-real\n`);
    const before = read(sb.configPath);
    writeAws(sb.configPath, before.replace('output = json\n', `output = json\n# set by hand\nrole_arn = ${ADMIN_ROLE}\nsource_profile = admin\n`));
    return before;
  }

  it('role_arn and source_profile in the config file: plan and doctor name them, setup --yes removes them, the AWS CLI then uses the key', async () => {
    const clean = await roleInConfig();
    expect(await callerOf(sb, 'serverless')).toMatch(/assumed-role\/admin-role\//);

    const plan = await wizardJson(sb, ['plan'], proxy.url);
    expect(plan.code).toBe(3);
    for (const id of ['config-file', 'verify']) {
      expect(stepOf(plan.json, id)).toMatchObject({status: 'updated', detail: expect.stringContaining(`assume role ${ADMIN_ROLE} with the credentials of profile admin`)});
    }
    const doctor = await wizardJson(sb, ['doctor'], proxy.url);
    expect(doctor.code).toBe(1);
    expect(doctor.json.findings?.filter((f) => f.id === 'profile-redirected').map((f) => f.problem)).toEqual([
      expect.stringContaining('has role_arn and source_profile'), expect.stringContaining('role_arn and source_profile in [profile serverless]'),
    ]);

    const setup = await wizardJson(sb, ['setup', '--yes'], proxy.url);
    expect(setup.code, JSON.stringify(setup.json.steps, null, 1)).toBe(0);
    expect(stepOf(setup.json, 'verify')?.detail).toContain(`answers as ${USER_ARN}`);
    // Only the two lines went: the comment above them, and every other byte, stay.
    expect(read(sb.configPath)).toBe(clean.replace('output = json\n', 'output = json\n# set by hand\n'));

    expect(await callerOf(sb, 'serverless')).toBe(USER_ARN);
    const listed = await awsAs(sb, ['configure', 'list', '--profile', 'serverless'], {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined});
    expect(listed.stdout).toMatch(/access_key\s+\S+\s+shared-credentials-file/);
    expect((await wizard(sb, ['plan'], proxy.url)).code).toBe(0);
  });

  it('role_arn in the credentials file: the verify row removes it, then proves the key', async () => {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'create-role', '--role-name', 'admin-role', '--assume-role-policy-document', '{"Version":"2012-10-17","Statement":[]}']);
    const clean = read(sb.credentialsPath);
    writeAws(sb.credentialsPath, `${clean}role_arn = ${ADMIN_ROLE}\ncredential_source = Environment\n`);
    // With the admin's keys in the environment, the AWS CLI assumes the role with them instead of using the key.
    expect(((await awsAs(sb, ['sts', 'get-caller-identity', '--profile', 'serverless'])).json as {Arn: string}).Arn).toMatch(/assumed-role\/admin-role\//);

    const setup = await wizardJson(sb, ['setup', '--yes'], proxy.url);
    expect(setup.code, JSON.stringify(setup.json.steps, null, 1)).toBe(0);
    expect(stepOf(setup.json, 'verify')).toMatchObject({status: 'updated', detail: expect.stringContaining(`removed role_arn and credential_source from [serverless] in ${sb.credentialsPath}; answers as ${USER_ARN}`)});
    expect(read(sb.credentialsPath)).toBe(clean);
    expect(await callerOf(sb, 'serverless')).toBe(USER_ARN);
  });

  it('sso_… and credential_process: named without showing the command, and removed', async () => {
    await setupDone(sb);
    const config = read(sb.configPath);
    writeAws(sb.configPath, `${config}sso_session = corp\nsso_account_id = 111122223333\nsso_role_name = AdministratorAccess\ncredential_process = /usr/local/bin/creds --token hunter2\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n`);
    const plan = await wizard(sb, ['plan'], proxy.url);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('sign in through IAM Identity Center as role AdministratorAccess in account 111122223333');
    expect(plan.stdout).not.toContain('hunter2');

    const setup = await wizard(sb, ['setup', '--yes'], proxy.url);
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    expect(setup.stdout).not.toContain('hunter2');
    // The sso-session section is another section: it stays.
    expect(read(sb.configPath)).toBe(`${config}\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n`);
    expect(await callerOf(sb, 'serverless')).toBe(USER_ARN);
  });

  it('a profile the wizard did not write that signs in through SSO is left alone under --yes', async () => {
    const config = '[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n';
    writeAws(sb.configPath, config);
    const before = snapshot(sb);
    proxy.calls.length = 0;
    const run = await wizardJson(sb, ['setup', '--yes', '--profile', 'default'], proxy.url);
    expect(run.code).toBe(1);
    // Said once, on the key row; the config row leaves the section alone too (profiles-once.test.ts).
    expect(stepOf(run.json, 'access-key')).toMatchObject({status: 'failed', detail: expect.stringContaining('profile default is set up for another identity')});
    expect(stepOf(run.json, 'config-file')).toMatchObject({status: 'failed', detail: expect.stringContaining('left as it is: profile default')});
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
  });
});
