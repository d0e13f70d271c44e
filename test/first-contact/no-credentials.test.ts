/**
 * Issue 8: no usable admin credentials, or the wrong identity. In a terminal
 * the wizard says why in one sentence and offers the ways in before any
 * question that would be wasted; with --yes it exits 2 with the same
 * sentence. Terminal tests run the built CLI: `node scripts/build.mjs`.
 */
import {existsSync, readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {offerWaysIn, SignInFirst} from '../../src/app/interactive/credentials-choice.js';
import type {AdminChoice, Preflight, SignedIn} from '../../src/app/interactive/preflight.js';
import type {Narrator} from '../../src/app/interactive/questions.js';
import {LocalFiles} from '../../src/engine/local-files.js';
import {UserError} from '../../src/errors.js';
import {awsCli} from '../helpers/aws-cli.js';
import {enableIamAuth, motoUrl, resetMoto} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {runCli} from '../helpers/run-cli.js';
import {ENTER, ScriptedPrompter} from '../interactive/scripted-prompter.js';
import {activeQuestion, NO_KEYS, startWizard, unwrap, waitForQuestion, writeAwsFiles} from './helpers.js';

const url = motoUrl();
const each = eachTestWithSandbox();
// Some tests here leave IAM enforcement on: reset moto after them too, for whatever file runs next.
afterEach(async () => {
  await resetMoto(url);
});

describe('no admin credentials on this machine, in a terminal', () => {
  it('says so in one sentence, explains the ways in, and "sign in first" exits with the exact commands', async () => {
    const sb = each.sandbox();
    const settingsBefore = readFileSync(sb.settingsPath);
    const proxy = await each.proxy();
    const tmux = startWizard(sb, ['--endpoint-url', proxy.url], NO_KEYS);
    const offer = await waitForQuestion(tmux, 'How do you want to sign in?');
    expect(unwrap(offer)).toContain([
      '! No usable AWS admin credentials were found in the environment, ~/.aws or SSO.',
      ' The wizard needs an administrator\'s credentials to create the IAM user, policies and role. Ways in:',
      '• Sign in with IAM Identity Center (`aws configure sso`) or with your console sign-in (`aws login`), then come back. The safest way: those credentials expire by themselves.',
      '• Paste a temporary access key of an administrator. It stays in memory for this run only, is never written to a file, and you deactivate it afterwards.',
    ].join(' '));
    // No profiles exist, so none is offered; signing in first is what Enter does.
    expect(offer).toMatch(/^❯ Sign in with aws configure sso or aws login first\n {2}Paste a temporary admin access key$/m);
    expect(offer).toContain('Shows the commands and exits; nothing is changed.');
    expect(offer.split('\n').every((l) => l.length <= 80)).toBe(true);
    await tmux.keys('Enter');
    expect(await tmux.exitCode()).toBe(2);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(screen).toContain([
      'To sign in, run one of these, then run the wizard again:',
      '  aws configure sso    IAM Identity Center: sets up a profile and signs you in',
      '  aws login            console sign-in, default profile (AWS CLI 2.32+)',
      'Then run `npx zappa-iam-wizard` again: it lists the new profile (or pass',
      '  --admin-profile <name>).',
    ].join('\n'));
    expect(screen).not.toContain('✖');
    // Nothing was asked of AWS, and nothing was written.
    expect(proxy.calls).toEqual([]);
    expect(readFileSync(sb.settingsPath).equals(settingsBefore)).toBe(true);
    expect(existsSync(sb.credentialsPath) || existsSync(sb.configPath)).toBe(false);
  });

  it('lists the profiles in ~/.aws by name, with what kind each is', async () => {
    const sb = each.sandbox();
    writeAwsFiles(sb, {
      config: '[profile ops]\nregion = eu-west-1\n\n[profile admin-mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = ops\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n',
      credentials: '[ops]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = moto-dummy-secret\n',
    });
    const tmux = startWizard(sb, ['--endpoint-url', url], NO_KEYS);
    // The default chain finds no [default] profile; the named ones are offered, the first one first.
    const offer = await waitForQuestion(tmux, 'How do you want to sign in?');
    expect(unwrap(offer)).toContain('• Use a profile from your AWS files by name: ops, admin-mfa.');
    expect(offer).toMatch(/^❯ Profile ops\n {2}Profile admin-mfa\n {2}Sign in with aws configure sso or aws login first\n {2}Paste a temporary admin access key$/m);
    expect(offer).toContain('Access key AKIA…MPLE.');
    await tmux.keys('Down');
    expect(await tmux.waitFor('Assumes the role admin with a code from your MFA device.')).toMatch(/^❯ Profile admin-mfa$/m);
    await tmux.keys('Up', 'Enter');
    await tmux.waitFor('✔ Signed in as arn:aws:sts::123456789012:user/moto (account 123456789012)');
    expect(activeQuestion(await waitForQuestion(tmux, 'What should Zappa deploy as?'))).toBe('What should Zappa deploy as?');
    await tmux.kill();
  });
});

describe('the wrong identity, found before the first question', () => {
  /** A user without any IAM permission, and moto's IAM enforcement on. */
  async function developerKey(): Promise<Record<string, string>> {
    const sb = each.sandbox();
    const aws = (args: string[]) => awsCli(args, {env: sb.env(), endpointUrl: url});
    await aws(['iam', 'create-user', '--user-name', 'developer']);
    const key = (await aws(['iam', 'create-access-key', '--user-name', 'developer'])).json as {AccessKey: {AccessKeyId: string; SecretAccessKey: string}};
    await enableIamAuth(url, 0);
    return {AWS_ACCESS_KEY_ID: key.AccessKey.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.AccessKey.SecretAccessKey};
  }
  const SENTENCE = /arn:aws:iam::123456789012:user\/developer is not allowed to read what setup needs \(iam:[A-Za-z:, ]+\), so it cannot provision IAM\./;

  it('in the same words as --yes, then the ways in instead of questions that would be wasted', async () => {
    const sb = each.sandbox();
    const env = await developerKey();
    const yes = await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: sb.project, env: sb.env(env)});
    expect(yes.code, yes.stderr).toBe(2);
    const yesSentence = SENTENCE.exec(yes.stderr)?.[0];
    expect(yesSentence).toBeDefined();

    const tmux = startWizard(sb, ['--endpoint-url', url], env);
    const offer = unwrap(await waitForQuestion(tmux, 'How do you want to sign in?'));
    await tmux.kill();
    expect(offer).toContain(`! Default credentials (environment variables) did not work: ${yesSentence}`);
    expect(offer).not.toContain('IAM user for deploying');
  });

  it('named with --admin-profile: exit 2 with the sentence and what to use instead, no question asked', async () => {
    const sb = each.sandbox();
    const env = await developerKey();
    writeAwsFiles(sb, {credentials: `[dev]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n`});
    const tmux = startWizard(sb, ['--endpoint-url', url, '--admin-profile', 'dev'], NO_KEYS);
    expect(await tmux.exitCode()).toBe(2);
    const screen = await tmux.screen();
    await tmux.kill();
    expect(unwrap(screen)).toMatch(new RegExp(`✖ ${SENTENCE.source} Run the wizard with an identity that has IAM administrator rights`));
    expect(screen).not.toMatch(/^\? /m);
    expect(screen).not.toContain(env.AWS_SECRET_ACCESS_KEY!);
  });

  it('the deploy user\'s own key: refused before the first question', async () => {
    const sb = each.sandbox();
    expect((await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: sb.project, env: sb.env()})).code).toBe(0);
    const tmux = startWizard(sb, ['--endpoint-url', url, '--admin-profile', 'serverless'], NO_KEYS);
    expect(await tmux.exitCode()).toBe(2);
    const screen = unwrap(await tmux.screen());
    await tmux.kill();
    expect(screen).toContain('✖ You are signed in as arn:aws:iam::123456789012:user/serverless: the very user this wizard sets up.');
    expect(screen).not.toMatch(/\? /);
  });
});

describe('choosing a way in (scripted)', () => {
  function narrator(): Narrator & {lines: string[]} {
    const lines: string[] = [];
    return {lines, paragraph: (t) => lines.push(t), line: (t) => lines.push(t)};
  }
  const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/admin', partition: 'aws'};

  async function preflight(profiles: string[], signIn: (choice: AdminChoice) => Promise<SignedIn>): Promise<Preflight> {
    const sb = each.sandbox();
    const files = await LocalFiles.load({credentials: `${sb.home}/none`, config: `${sb.home}/none2`, settings: sb.settingsPath});
    return {
      files, settings: files.settings(), stages: ['dev'], signIn,
      choices: profiles.map((profile) => ({profile, label: `Profile ${profile}`})),
      problem: 'No usable AWS admin credentials were found in the environment, ~/.aws or SSO.',
    };
  }

  it('a profile that fails is explained and marked; Enter then moves on, and pasting works from memory', async () => {
    const tried: AdminChoice[] = [];
    const pre = await preflight(['broken', 'good'], async (choice) => {
      tried.push(choice);
      if (choice.profile === 'broken') throw new UserError('it is broken.');
      return {choice, provider: async () => ({accessKeyId: 'x', secretAccessKey: 'y'}), identity};
    });
    const prompter = new ScriptedPrompter([
      {kind: 'select', message: 'How do you want to sign in?', answers: [ENTER]},
      {kind: 'select', message: 'How do you want to sign in?', answers: [ENTER]},
    ]);
    const say = narrator();
    const signedIn = await offerWaysIn(pre, prompter, say);
    prompter.done();
    expect(tried.map((c) => c.profile)).toEqual(['broken', 'good']);
    expect(signedIn.choice.profile).toBe('good');
    expect(prompter.asked.map((q) => q.default)).toEqual(['0', '1']);
    expect(prompter.asked[1]!.choices).toEqual(['Profile broken  (did not work)', 'Profile good', 'Sign in with aws configure sso or aws login first', 'Paste a temporary admin access key']);
    expect(say.lines).toContain('! Profile broken did not work: it is broken.');
    expect(say.lines).toContain('✔ Signed in as arn:aws:iam::123456789012:user/admin (account 123456789012)');
  });

  it('a rejected pasted key leaves "paste" as the default; "sign in first" ends the run with SignInFirst (exit 2)', async () => {
    let attempts = 0;
    const pre = await preflight([], async (choice) => {
      attempts++;
      expect(choice.pasted).toEqual({id: 'AKIAZ7QEXAMPLE2KEY9X', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'});
      expect(choice.label).toBe('Pasted key AKIA…EY9X');
      throw new UserError('AWS did not accept the pasted key AKIA…EY9X (InvalidClientTokenId): check that it is active and was copied whole.');
    });
    const prompter = new ScriptedPrompter([
      {kind: 'select', message: 'How do you want to sign in?', answers: ['paste']},
      {kind: 'password', message: 'Access key ID', answers: ['AKIAZ7QEXAMPLE2KEY9X']},
      {kind: 'password', message: 'Secret access key', answers: ['wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY']},
      {kind: 'select', message: 'How do you want to sign in?', answers: ['sign-in']},
    ]);
    const say = narrator();
    const err = await offerWaysIn(pre, prompter, say).catch((e: unknown) => e);
    prompter.done();
    expect(err).toBeInstanceOf(SignInFirst);
    expect((err as SignInFirst).exitCode).toBe(2);
    expect(attempts).toBe(1);
    expect(prompter.asked.map((q) => q.default)).toEqual(['sign-in', undefined, undefined, 'paste']);
    expect(say.lines.join('\n')).not.toMatch(/AKIAZ7QEXAMPLE2KEY9X|wJalrXUtnFEMI/);
    expect(say.lines).toContain('  aws configure sso    IAM Identity Center: sets up a profile and signs you in');
  });
});
