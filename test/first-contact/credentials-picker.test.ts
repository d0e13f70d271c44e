/**
 * Issue 13, item 5: the credentials picker offers each usable source once
 * ("Default credentials" and "Profile default" are one when the default
 * chain reads [default]), leaves out profiles with no credentials, marks a
 * source that failed and never preselects it, and says in words what failed
 * (never a bare "(ExpiredToken)"). Terminal tests run the built CLI:
 * `node scripts/build.mjs`.
 */
import {describe, expect, it} from 'vitest';
import {chainProfile} from '../../src/app/interactive/preflight.js';
import {credentialSourceOf, rejectedInWords} from '../../src/aws/credentials.js';
import {ADMIN_ENV} from '../helpers/moto.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {NO_KEYS, startWizard, unwrap, waitForQuestion, writeAwsFiles} from './helpers.js';

const each = eachTestWithSandbox();

const ADMIN_KEY = `aws_access_key_id = ${ADMIN_ENV.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${ADMIN_ENV.AWS_SECRET_ACCESS_KEY}\n`;
// [default] holds a temporary key (with its session token), [ops] a long-term one; [profile tools] only sets a region.
const CREDENTIALS = `[default]
aws_access_key_id = ASIAZ7QEXAMPLE2TEMP1
aws_secret_access_key = temporary-secret-for-the-test-only
aws_session_token = session-token-for-the-test

[ops]
${ADMIN_KEY}`;
const CONFIG = `[default]
region = us-east-1

[profile tools]
region = eu-west-1
output = json
`;
const EXPIRED_SENTENCE = 'The temporary key in [default] has expired: copy a new one (for example from your AWS access portal) into ~/.aws/credentials, or sign in with `aws configure sso` instead.';

describe('where credentials come from, in words', () => {
  it('knows a profile with credentials from one with only a region', () => {
    expect(credentialSourceOf({region: 'eu-west-1', output: 'json'})).toBeUndefined();
    expect(credentialSourceOf({aws_access_key_id: 'AKIA…', aws_secret_access_key: 's'})).toBe('key');
    expect(credentialSourceOf({aws_access_key_id: 'ASIA…', aws_secret_access_key: 's', aws_session_token: 't'})).toBe('temporary-key');
    expect(credentialSourceOf({sso_session: 'corp', sso_role_name: 'Admin'})).toBe('sso');
    expect(credentialSourceOf({role_arn: 'arn:aws:iam::1:role/a', source_profile: 'base'})).toBe('role');
    expect(credentialSourceOf({credential_process: '/bin/creds'})).toBe('process');
  });

  it('the default chain is a profile when no key is in the environment', () => {
    expect(chainProfile(['default', 'ops'], {})).toBe('default');
    expect(chainProfile(['default', 'ops'], {AWS_PROFILE: 'ops'})).toBe('ops');
    expect(chainProfile(['default', 'ops'], {AWS_ACCESS_KEY_ID: 'AKIA…'})).toBeUndefined();
    expect(chainProfile(['ops'], {})).toBeUndefined();
  });

  it('says what was rejected and what to do, per cause, without the bare error code', () => {
    const said = [
      rejectedInWords('ExpiredToken', {profile: 'default', source: 'temporary-key'}),
      rejectedInWords('ExpiredToken', {profile: 'corp', source: 'sso'}),
      rejectedInWords('ExpiredTokenException', {fromEnv: true}),
      rejectedInWords('InvalidClientTokenId', {profile: 'ops', source: 'key'}),
      rejectedInWords('SignatureDoesNotMatch', {profile: 'ops', source: 'key'}),
      rejectedInWords('InvalidClientTokenId', {named: 'the pasted key AKIA…EY9X'}),
    ];
    expect(`${said[0]}.`).toBe(EXPIRED_SENTENCE);
    expect(said[1]).toBe('The IAM Identity Center (SSO) sign-in of [corp] has expired: renew it with `aws sso login --profile corp`');
    expect(said[2]).toMatch(/^The temporary key in the environment variables .* has expired: export a new one/);
    expect(said[3]).toBe('AWS does not know the access key in [ops]: it was deleted or deactivated, or is mistyped; put a working one there (`aws configure --profile ops`)');
    expect(said[4]).toMatch(/^The access key in \[ops\] does not match its secret key/);
    expect(said[5]).toMatch(/^AWS does not know the pasted key AKIA…EY9X: .*check that it is active and was copied whole$/);
    for (const s of said) expect(s).not.toMatch(/ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch|\(\w+\)$/);
  });
});

describe('the picker in a terminal (80×24)', () => {
  it('[default] with an expired key: offered once, marked, not preselected, the failure in words; no profile without credentials', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {credentials: CREDENTIALS, config: CONFIG});
    const proxy = await each.proxy();
    // The first call, STS with the [default] key, is refused as AWS refuses an expired session token.
    proxy.setFault((call, index) => (index === 0 && call.action === 'GetCallerIdentity'
      ? {status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired'} : undefined));
    const tmux = new TmuxSession(`node ${CLI_BIN} --endpoint-url ${proxy.url}`, {cwd: sb.project, env: sb.env(NO_KEYS), cols: 80, rows: 24});
    const offer = await waitForQuestion(tmux, 'How do you want to sign in?');
    expect(unwrap(offer)).toContain(`! Profile default (your default credentials) did not work: ${EXPIRED_SENTENCE}`);
    expect(offer).not.toContain('ExpiredToken');
    // Each source once, the failed one marked and not where Enter goes; [profile tools] has no credentials and is not offered.
    expect(offer).toMatch(/^ {2}Profile default {2}\(did not work\)\n❯ Profile ops\n {2}Sign in with aws configure sso or aws login first$/m);
    expect(offer).not.toContain('Default credentials');
    expect(offer).not.toContain('tools');
    // Highlighting the failed one says what failed, in words.
    await tmux.keys('Up');
    const marked = unwrap(await tmux.waitFor('Did not work:'));
    expect(marked).toContain(`Did not work: ${EXPIRED_SENTENCE}`);
    await tmux.keys('Down', 'Enter');
    await tmux.waitFor('✔ Signed in as arn:aws:');
    await tmux.kill();
  });

  it('[default] that works: "Default credentials" and "Profile default" are one choice', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {credentials: `[default]\n${ADMIN_KEY}\n[ops]\n${ADMIN_KEY}`, config: CONFIG});
    const tmux = startWizard(sb, ['--endpoint-url', (await each.proxy()).url], NO_KEYS);
    const asked = await waitForQuestion(tmux, 'Which credentials should create');
    await tmux.kill();
    expect(asked).toMatch(/^❯ Profile default \(your default credentials\)\n {2}Profile ops$/m);
    expect(asked.match(/Profile default/g)).toHaveLength(1);
    expect(asked).not.toContain('Default credentials');
    expect(asked).not.toContain('tools');
  });
});
