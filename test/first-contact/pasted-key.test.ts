/**
 * Issue 8: someone with console access only pastes a temporary admin key.
 * The key is typed into masked prompts, checked for shape, verified with
 * STS first, used from memory only, and the person is reminded to
 * deactivate it. Terminal tests run the built CLI: `node scripts/build.mjs`.
 */
import {mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {
  aboutPastedKey, askPastedKey, deactivationReminder, validateAccessKeyId, validateSecretAccessKey, validateSessionToken,
} from '../../src/app/interactive/pasted-key.js';
import {awsCli} from '../helpers/aws-cli.js';
import {enableIamAuth, motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {ScriptedPrompter} from '../interactive/scripted-prompter.js';
import {filesContaining, NO_KEYS, pressEnterThrough, startWizard, unwrap, waitForQuestion} from './helpers.js';

// Shapes of real keys; the values are made up.
const ID = 'AKIAZ7QEXAMPLE2KEY9X';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('checking the shape of a pasted key', () => {
  it('takes AKIA/ASIA and 16 capitals or digits as an access key ID, trimming what a paste adds', () => {
    expect(validateAccessKeyId(ID)).toBe(true);
    expect(validateAccessKeyId(`  ${ID}\t`)).toBe(true);
    expect(validateAccessKeyId('ASIAZ7QEXAMPLE2KEY9X')).toBe(true);
    for (const bad of ['', 'AKIA123', 'AKIAz7qexample2key9x', 'AIDAZ7QEXAMPLE2KEY9X', `${ID}A`]) {
      expect(validateAccessKeyId(bad), bad).toMatch(/AKIA or ASIA/);
    }
  });

  it('takes 40 characters of letters, digits, / and + as a secret, and says when the ID was pasted instead', () => {
    expect(validateSecretAccessKey(SECRET)).toBe(true);
    expect(validateSecretAccessKey(`${SECRET}\n`)).toBe(true);
    expect(validateSecretAccessKey(SECRET.slice(1))).toBe('A secret access key is 40 letters, digits, / and + (this has 39 characters).');
    expect(validateSecretAccessKey(`${SECRET.slice(1)}-`)).toMatch(/^A secret access key is 40 letters/);
    expect(validateSecretAccessKey(ID)).toMatch(/looks like the access key ID/);
  });

  it('requires a one-line session token', () => {
    expect(validateSessionToken('IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJH')).toBe(true);
    expect(validateSessionToken('  ')).toMatch(/session token/);
    expect(validateSessionToken('abc def')).toMatch(/one line/);
  });

  it('asks for a session token only with a temporary (ASIA) key, in masked prompts', async () => {
    const longTerm = new ScriptedPrompter([
      {kind: 'password', message: 'Access key ID', answers: ['AKIA1', ` ${ID} `]},
      {kind: 'password', message: 'Secret access key', answers: [SECRET]},
    ]);
    expect(await askPastedKey(longTerm)).toEqual({id: ID, secret: SECRET});
    longTerm.done();
    expect(longTerm.asked[0]!.refusals).toEqual(['An access key ID is AKIA or ASIA followed by 16 capital letters and digits (20 characters in all).']);

    const temporary = new ScriptedPrompter([
      {kind: 'password', message: 'Access key ID', answers: ['ASIAZ7QEXAMPLE2KEY9X']},
      {kind: 'password', message: 'Secret access key', answers: [SECRET]},
      {kind: 'password', message: 'Session token', answers: ['', 'token-value']},
    ]);
    expect(await askPastedKey(temporary)).toEqual({id: 'ASIAZ7QEXAMPLE2KEY9X', secret: SECRET, sessionToken: 'token-value'});
    temporary.done();
    expect(temporary.asked[2]!.refusals).toHaveLength(1);
  });

  it('reminds how to deactivate the key: masked in the sentence, whole in the one-line command to paste', () => {
    const user = deactivationReminder(ID, {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops/alice', partition: 'aws'});
    expect(user).toEqual([
      '! Now deactivate the access key you pasted (AKIA…EY9X of alice): the wizard no longer needs it.',
      '  In the IAM console: Users → alice → Security credentials → Access keys → Actions → Deactivate.',
      '  Or with the AWS CLI:',
      `    aws iam update-access-key --access-key-id ${ID} --status Inactive --user-name alice`,
    ]);
    const root = deactivationReminder(ID, {account: '123456789012', arn: 'arn:aws:iam::123456789012:root', partition: 'aws'}).join('\n');
    expect(root).toContain('(AKIA…EY9X of the root user)');
    expect(root).toContain('your account name (top right) → Security credentials');
    expect(root).not.toContain('--user-name');
    expect(deactivationReminder('ASIAZ7QEXAMPLE2KEY9X', {account: '1', arn: 'arn:aws:sts::1:assumed-role/a/b', partition: 'aws'}).join(' '))
      .toMatch(/temporary: it stops working by itself/);
    // The whole ID only inside the commands; nowhere else.
    expect([...user, ...root.split('\n'), ...aboutPastedKey()].filter((l) => !l.trimStart().startsWith('aws ')).join('\n')).not.toContain(ID);
  });
});

describe('pasting a temporary admin key in a terminal', () => {
  const url = motoUrl();
  const each = eachTestWithSandbox();

  it('signs in with it from memory only, finishes setup, and reminds to deactivate it', async () => {
    const sb = each.sandbox();
    // An administrator's key, made in moto (IAM enforcement off): the one the person pastes.
    await awsCli(['iam', 'create-user', '--user-name', 'admin'], {env: sb.env(), endpointUrl: url});
    const made = (await awsCli(['iam', 'create-access-key', '--user-name', 'admin'], {env: sb.env(), endpointUrl: url})).json as {AccessKey: {AccessKeyId: string; SecretAccessKey: string}};
    const {AccessKeyId: id, SecretAccessKey: secret} = made.AccessKey;
    const masked = `${id.slice(0, 4)}…${id.slice(-4)}`;
    // Temp files would land inside the sandbox too, where the scan below looks.
    const tmp = join(sb.root, 'tmp');
    mkdirSync(tmp);
    const proxy = await each.proxy();

    // No AWS_* credentials in the environment and no ~/.aws at all.
    const tmux = startWizard(sb, ['--endpoint-url', proxy.url], {...NO_KEYS, TMPDIR: tmp});
    const offer = unwrap(await waitForQuestion(tmux, 'How do you want to sign in?'));
    expect(offer).toContain('! No usable AWS admin credentials were found in the environment, ~/.aws or SSO.');
    expect(offer).toContain('• Paste a temporary access key of an administrator.');
    expect(proxy.calls).toEqual([]);
    await tmux.keys('Down');
    await tmux.waitFor('❯ Paste a temporary admin access key');
    await tmux.keys('Enter');

    // Format is checked in the prompt: a truncated ID is refused with the reason.
    await waitForQuestion(tmux, 'Access key ID');
    await tmux.type(id.slice(0, 12));
    await tmux.keys('Enter');
    await tmux.waitFor('> An access key ID is AKIA or ASIA followed by 16 capital letters');
    await tmux.keys('C-u');
    await tmux.type(id);
    await tmux.keys('Enter');
    await waitForQuestion(tmux, 'Secret access key');
    await tmux.type(secret);
    await tmux.waitFor(`? Secret access key ${'*'.repeat(40)}`);
    await tmux.keys('Enter');

    // STS answers before anything else is asked or read.
    await tmux.waitFor('✔ Signed in as arn:aws:iam::123456789012:user/admin (account 123456789012)');
    expect(proxy.calls[0]).toEqual({service: 'sts', action: 'GetCallerIdentity', kind: 'read'});
    const questions = await pressEnterThrough(tmux);
    expect(questions).toEqual(['What should Zappa deploy as?', 'IAM user for deploying', 'Region', 'Execution role name', 'Deployment bucket (S3)', 'Which deployment policy?', 'Apply 11 changes: 10 to create, 1 to update?']);
    expect(await tmux.exitCode(30_000)).toBe(0);

    const screen = await tmux.screen({scrollback: true});
    const joined = await tmux.screen({scrollback: true, joined: true});
    await tmux.kill();
    expect(screen).toMatch(/✔ Done in [\d.]+ m?s: 10 created, 1 updated, 1 already in place\./);
    // The reminder comes last: the key masked in the sentence, whole in the command (a key ID is not a secret).
    const tail = unwrap(screen.slice(screen.lastIndexOf('Done in')));
    expect(tail).toContain(`! Now deactivate the access key you pasted (${masked} of admin): the wizard no longer needs it.`);
    expect(tail).toContain('In the IAM console: Users → admin → Security credentials → Access keys → Actions → Deactivate.');
    // One line as printed (the terminal may wrap it, as it does any long line).
    expect(joined).toContain(`    aws iam update-access-key --access-key-id ${id} --status Inactive --user-name admin\n`);
    // Never on screen, never in a file: not the secret; the whole ID only in that command.
    expect(screen).not.toContain(secret);
    expect(joined.split(id)).toHaveLength(2);
    expect(filesContaining(sb.root, [id, secret])).toEqual([]);
    // The deploy user got a key of its own (and the scan does find a key where there is one).
    const written = /^\[serverless\]\naws_access_key_id = (AKIA\w{16})\naws_secret_access_key = \S{40}\n$/.exec(readFileSync(sb.credentialsPath, 'utf8'));
    expect(written).not.toBeNull();
    expect(filesContaining(sb.root, [written![1]!])).toEqual([sb.credentialsPath]);
    const adminKeys = (await awsCli(['iam', 'list-access-keys', '--user-name', 'admin'], {env: sb.env(), endpointUrl: url})).json as {AccessKeyMetadata: Array<{AccessKeyId: string; Status: string}>};
    expect(adminKeys.AccessKeyMetadata).toEqual([expect.objectContaining({AccessKeyId: id, Status: 'Active'})]);
  });

  it('says so when AWS rejects the pasted key, shows it masked only, and offers the ways in again', async () => {
    const sb = each.sandbox();
    // With IAM enforcement on, moto rejects a key it never issued, as AWS does.
    await enableIamAuth(url, 0);
    const tmux = startWizard(sb, ['--endpoint-url', url], NO_KEYS);
    await waitForQuestion(tmux, 'How do you want to sign in?');
    await tmux.keys('Down', 'Enter');
    await waitForQuestion(tmux, 'Access key ID');
    await tmux.type(ID);
    await tmux.keys('Enter');
    await waitForQuestion(tmux, 'Secret access key');
    await tmux.type(SECRET);
    await tmux.keys('Enter');
    const screen = await tmux.waitFor(/did not work[\s\S]*\? How do you want to sign in\?/);
    expect(unwrap(screen)).toContain('! Pasted key AKIA…EY9X did not work: AWS does not know the pasted key AKIA…EY9X: it was deleted or deactivated, or is mistyped; check that it is active and was copied whole.');
    // Pasting again is what Enter now does.
    expect(screen).toContain('❯ Paste a temporary admin access key');
    await tmux.keys('C-c');
    expect(await tmux.exitCode()).toBe(130);
    const all = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(ID);
    expect(all).not.toContain('Now deactivate');
  });
});
