/**
 * Issue 8: profiles that need more than a key. A role profile with
 * mfa_serial asks for the code at the prompt (the SDK's mfaCodeProvider, its
 * AssumeRole sent to moto); an SSO profile without a current sign-in names
 * the command that renews it; a credential_process profile just works.
 * Terminal tests run the built CLI: `node scripts/build.mjs`.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ADMIN_ENV, motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {runCli} from '../helpers/run-cli.js';
import {NO_KEYS, pressEnterThrough, startWizard, unwrap, waitForQuestion, writeAwsFiles} from './helpers.js';

const url = motoUrl();

const MFA_CONFIG = `[profile admin-mfa]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/me
`;
const BASE_CREDENTIALS = `[base]
aws_access_key_id = ${ADMIN_ENV.AWS_ACCESS_KEY_ID}
aws_secret_access_key = ${ADMIN_ENV.AWS_SECRET_ACCESS_KEY}
`;
// An IAM Identity Center profile that was never signed in: no cached token under ~/.aws/sso/cache.
const SSO_CONFIG = `[profile sso-x]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = AdministratorAccess
region = us-east-1

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;
const SSO_SENTENCE = 'The IAM Identity Center (SSO) sign-in of profile sso-x has expired or was never made: renew it with `aws sso login --profile sso-x`.';

const each = eachTestWithSandbox();

describe('a role profile with mfa_serial', () => {
  it('asks for the MFA code in the terminal, checks it has 6 digits, and sets up with the role', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {config: MFA_CONFIG, credentials: BASE_CREDENTIALS});
    const proxy = await each.proxy();
    const tmux = startWizard(sb, ['--endpoint-url', proxy.url, '--admin-profile', 'admin-mfa'], NO_KEYS);
    await waitForQuestion(tmux, 'MFA code for arn:aws:iam::123456789012:mfa/me');
    // Nothing was asked of STS yet: the SDK wants the code first.
    expect(proxy.calls.filter((c) => c.action === 'AssumeRole')).toEqual([]);
    await tmux.type('12ab');
    await tmux.keys('Enter');
    await tmux.waitFor('> An MFA code has 6 digits.');
    await tmux.keys('C-u');
    await tmux.type('918273');
    await tmux.waitFor('? MFA code for arn:aws:iam::123456789012:mfa/me ******');
    await tmux.keys('Enter');
    const signedIn = unwrap(await tmux.waitFor(/assumed-role\/admin\//));
    expect(signedIn).toMatch(/✔ Admin credentials: Profile admin-mfa signed in as arn:aws:sts::123456789012:assumed-role\/admin\/\S+/);
    // The role was assumed at the endpoint the wizard was given, with the base profile's key.
    expect(proxy.calls.map((c) => `${c.service}:${c.action}`).slice(0, 2)).toEqual(['sts:AssumeRole', 'sts:GetCallerIdentity']);

    const questions = await pressEnterThrough(tmux);
    // The code is asked once for the whole run.
    expect(questions).toEqual(['What should Zappa deploy as?', 'IAM user for deploying', 'Region', 'Execution role name', 'Deployment bucket (S3)', 'Which deployment policy?', 'Apply 11 changes: 10 to create, 1 to update?']);
    expect(await tmux.exitCode(30_000)).toBe(0);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    // The credentials file existed (the base profile), so its row is an update.
    expect(screen).toMatch(/✔ Done in [\d.]+ m?s: 9 created, 2 updated, 1 already in place\./);
    expect(screen).not.toContain('918273');
    expect(proxy.calls.filter((c) => c.action === 'AssumeRole')).toHaveLength(1);
    // The person's profiles are kept as they were; the deploy user's is added.
    expect(readFileSync(sb.configPath, 'utf8').startsWith(MFA_CONFIG)).toBe(true);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toMatch(new RegExp(`^${BASE_CREDENTIALS.replace(/[[\]]/g, '\\$&')}\\n?\\[serverless\\]\\n`));
  });

  it('Ctrl-C at the MFA prompt cancels cleanly (exit 130), it is not a sign-in failure', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {config: MFA_CONFIG, credentials: BASE_CREDENTIALS});
    const tmux = startWizard(sb, ['--endpoint-url', url, '--admin-profile', 'admin-mfa'], NO_KEYS);
    await waitForQuestion(tmux, 'MFA code for');
    await tmux.keys('C-c');
    expect(await tmux.exitCode()).toBe(130);
    const screen = await tmux.screen();
    await tmux.kill();
    expect(screen).toContain('Cancelled. No changes were made.');
    expect(screen).not.toContain('✖');
  });

  it('a source profile that does not exist: a sentence after the code, not a crash in the middle of the prompt', async () => {
    const sb = each.sandbox();
    // The SDK starts on the source profile before asking for the code and leaves that failure unawaited meanwhile.
    writeAwsFiles(sb, {config: MFA_CONFIG.replace('source_profile = base', 'source_profile = missing')});
    const tmux = startWizard(sb, ['--endpoint-url', url, '--admin-profile', 'admin-mfa'], NO_KEYS);
    await waitForQuestion(tmux, 'MFA code for');
    await new Promise((r) => setTimeout(r, 300));
    await tmux.type('918273');
    await tmux.keys('Enter');
    expect(await tmux.exitCode()).toBe(2);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(unwrap(screen)).toContain('✖ No usable AWS admin credentials were found in the profile "admin-mfa".');
    expect(screen).not.toMatch(/Warning|    at |CredentialsProviderError/);
  });

  it('with --yes exits 2 before any AWS call, saying the code needs a terminal and how to do without one', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {config: MFA_CONFIG, credentials: BASE_CREDENTIALS});
    const proxy = await each.proxy();
    const out = await runCli(['setup', '--yes', '--endpoint-url', proxy.url, '--admin-profile', 'admin-mfa'], {cwd: sb.project, env: sb.env(NO_KEYS)});
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain('✖ Profile admin-mfa assumes a role that needs an MFA code (arn:aws:iam::123456789012:mfa/me), and only an interactive run can ask for it.');
    expect(out.stderr).toContain('Run the wizard in a terminal without --yes or --json and type the code when asked');
    expect(out.stderr).toContain('eval "$(aws configure export-credentials --profile admin-mfa --format env)"');
    expect(proxy.calls).toEqual([]);
  });
});

describe('an SSO profile without a current sign-in', () => {
  it('offered in the list: says it needs `aws sso login --profile sso-x`, without a network call, and offers the ways in again', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {config: SSO_CONFIG});
    const proxy = await each.proxy();
    const tmux = startWizard(sb, ['--endpoint-url', proxy.url], NO_KEYS);
    const offer = await waitForQuestion(tmux, 'How do you want to sign in?');
    expect(offer).toMatch(/^❯ Profile sso-x$/m);
    expect(offer).toContain('\nIAM Identity Center (SSO), role AdministratorAccess.\n');
    await tmux.keys('Enter');
    const again = await tmux.waitFor(/did not work[\s\S]*\? How do you want to sign in\?/);
    expect(unwrap(again)).toContain(`! Profile sso-x did not work: ${SSO_SENTENCE}`);
    // After a failure Enter no longer retries it; the profile can still be chosen after signing in elsewhere.
    expect(again).toMatch(/^ {2}Profile sso-x {2}\(did not work\)\n❯ Sign in with aws configure sso or aws login first$/m);
    await tmux.keys('Enter');
    expect(await tmux.exitCode()).toBe(2);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(screen).toContain('  aws sso login --profile sso-x   renews the sign-in of profile sso-x');
    expect(proxy.calls).toEqual([]);
  });

  it('named with --admin-profile: stops before the first question with the command (interactive and --yes alike)', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {config: SSO_CONFIG});
    const tmux = startWizard(sb, ['--endpoint-url', url, '--admin-profile', 'sso-x'], NO_KEYS);
    expect(await tmux.exitCode()).toBe(2);
    const screen = await tmux.screen();
    await tmux.kill();
    expect(unwrap(screen)).toContain(`✖ ${SSO_SENTENCE} Then run the wizard again; nothing was changed.`);
    expect(screen).not.toMatch(/^\? /m);

    const yes = await runCli(['setup', '--yes', '--endpoint-url', url, '--admin-profile', 'sso-x'], {cwd: sb.project, env: sb.env(NO_KEYS)});
    expect(yes.code, yes.stderr).toBe(2);
    expect(yes.stderr).toContain(`✖ ${SSO_SENTENCE}`);
  });

  it('as AWS_PROFILE (the default chain): --yes names that profile in the command', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {config: SSO_CONFIG});
    const yes = await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: sb.project, env: sb.env({...NO_KEYS, AWS_PROFILE: 'sso-x'})});
    expect(yes.code, yes.stderr).toBe(2);
    expect(yes.stderr).toContain('`aws sso login --profile sso-x`');
  });
});

describe('a credential_process profile', () => {
  it('provisions with the credentials the program prints (the SDK runs it)', async () => {
    const sb = each.sandbox();
    const program = join(sb.root, 'print-credentials.mjs');
    writeFileSync(program, `console.log(JSON.stringify({Version: 1, AccessKeyId: ${JSON.stringify(ADMIN_ENV.AWS_ACCESS_KEY_ID)}, SecretAccessKey: ${JSON.stringify(ADMIN_ENV.AWS_SECRET_ACCESS_KEY)}}));\n`);
    writeAwsFiles(sb, {config: `[profile from-program]\ncredential_process = node ${program}\n`});
    const out = await runCli(['setup', '--yes', '--endpoint-url', url, '--admin-profile', 'from-program'], {cwd: sb.project, env: sb.env(NO_KEYS)});
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('Next: zappa deploy dev');
  });
});
