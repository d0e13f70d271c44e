/**
 * The walk-through as a person finishes it, at 80×24 in a real terminal
 * (tmux) against moto, from the built CLI (`node scripts/build.mjs` first):
 * the plan and its counts on one screen at the one question, a final screen
 * that ends with the next command, nothing deleted before the yes, a re-run
 * that says at once that nothing is to do, and a "no" that keeps the answers.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {CLI_BIN, runCli} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {TmuxSession} from '../helpers/tmux.js';
import {activeQuestion, pressEnterThrough} from '../helpers/inquirer-screen.js';

const url = motoUrl();
const APPLY = /^Apply \d+ changes?: /;

function wizard(sb: Sandbox, extra = ''): TmuxSession {
  return new TmuxSession(`node ${CLI_BIN} --endpoint-url ${url} ${extra}`, {cwd: sb.project, env: sb.env(), cols: 80, rows: 24});
}

/** The user's key IDs in the order IAM lists them (the order the wizard offers them in). */
const keyIds = async (sb: Sandbox): Promise<string[]> =>
  ((await awsCli(['iam', 'list-access-keys', '--user-name', 'serverless'], {env: sb.env(), endpointUrl: url})).json as {AccessKeyMetadata: {AccessKeyId: string}[]})
    .AccessKeyMetadata.map((k) => k.AccessKeyId);

/** Polls the whole scrollback (not only the visible screen) until it matches. */
async function waitInScrollback(tmux: TmuxSession, expected: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await tmux.screen({scrollback: true});
    if (expected.test(all)) return all;
    if (Date.now() > deadline) throw new Error(`${String(expected)} not seen:\n${all}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the walk-through a person finishes (80×24)', () => {
  const each = eachTestWithSandbox();

  it('shows every change and the counts on the screen of the question, and ends with the next command, no ✖', async () => {
    const sb = each.sandbox();
    const tmux = wizard(sb);
    let atConfirmation = '';
    const questions = await pressEnterThrough(tmux, {onQuestion: async (question, screen) => {
      if (APPLY.test(question)) atConfirmation = screen;
      return false;
    }});
    expect(questions).toEqual(['What should Zappa deploy as?', 'IAM user for deploying', 'Region', 'Execution role name', 'Deployment bucket (S3)', 'Which deployment policy?', 'Apply 11 changes: 10 to create, 1 to update?']);
    // One screen: the headline, every changed row and the choices are all visible while the question is asked.
    expect(atConfirmation).toContain('Plan: 11 changes: 10 to create, 1 to update; 1 already in place.');
    expect(atConfirmation).toMatch(/^ {2}\+ create +IAM user serverless$/m);
    expect(atConfirmation).toMatch(/^ {2}\+ create +Key works as serverless$/m);
    expect(atConfirmation).toContain('d) Show details');
    // No row says its title twice ("create IAM user serverless / will create user serverless").
    expect(atConfirmation).not.toContain('will create user serverless');
    expect(await tmux.exitCode(30_000)).toBe(0);
    const last = (await tmux.screen()).split('\n');
    await tmux.kill();
    const lines = last.slice(0, last.findIndex((l) => l.startsWith('EXIT=')));
    expect(lines.at(-1)).toBe('Next: zappa deploy dev   (runs as profile serverless)');
    expect(lines.join('\n')).not.toContain('✖');
    expect(lines.join('\n')).toMatch(/Permissions checked offline: every Zappa command is allowed; 1 grant wider\s+than Zappa needs/);
    expect(lines).toContain('What now exists:');
    expect(lines).toContain('    https://console.aws.amazon.com/iam/home#/users/details/serverless');
    // Longer than the terminal: printed whole, folded by the terminal, never cut or indented by the wizard.
    expect(lines.join('\n')).toMatch(/^ {4}https:\/\/console\.aws\.amazon\.com\/iam\/home#\/roles\/details\/demo-app-dev-ZappaLam\nbdaExecutionRole$/m);
    expect(lines.join('\n')).toMatch(/^ {2}Access key AKIA…\w{4}, in \[serverless\] of the credentials file$/m);
  });

  it('"d" shows the details (policy by service, file diffs) and asks the same question again', async () => {
    const sb = each.sandbox();
    const tmux = wizard(sb);
    await pressEnterThrough(tmux, {stopAt: APPLY});
    await tmux.keys('d', 'Enter');
    const all = await waitInScrollback(tmux, /^✔ Apply 11 changes: 10 to create, 1 to update\? Show details[^]*^\? Apply 11 changes: 10 to create, 1 to update\?/m);
    expect(activeQuestion(await tmux.screen())).toBe('Apply 11 changes: 10 to create, 1 to update?');
    const details = all.slice(all.indexOf('✔ Apply 11 changes'));
    expect(details).toContain('It lets the deploy user use:');
    expect(details).toContain('Changes to your files');
    await tmux.keys('C-c');
    expect(await tmux.exitCode()).toBe(130);
  });

  it('at the two-key limit, choosing a key only plans its deletion: declining leaves both keys', async () => {
    const sb = each.sandbox();
    const env = sb.env();
    await awsCli(['iam', 'create-user', '--user-name', 'serverless'], {env, endpointUrl: url});
    for (let i = 0; i < 2; i++) await awsCli(['iam', 'create-access-key', '--user-name', 'serverless'], {env, endpointUrl: url});
    const before = await keyIds(sb);
    const tmux = wizard(sb);
    let atConfirmation = '';
    const questions = await pressEnterThrough(tmux, {onQuestion: async (question, screen) => {
      if (question === 'What should happen?') {
        await tmux.keys('Down', 'Enter');
        return true;
      }
      if (!APPLY.test(question)) return false;
      atConfirmation = screen;
      await tmux.keys('n', 'Enter');
      return true;
    }});
    expect(questions).toContain('What should happen?');
    expect(await tmux.exitCode(30_000)).toBe(130);
    const mask = `${before[0]!.slice(0, 4)}…${before[0]!.slice(-4)}`;
    // The deletion is in the plan, in full, before the one question.
    expect(atConfirmation.replace(/\n +/g, ' ')).toContain(`will delete ${mask} first to make room, as you chose`);
    await tmux.kill();
    expect((await keyIds(sb)).sort()).toEqual([...before].sort());
  });

  it('at the two-key limit, the chosen key is deleted after the yes, and a new one is written', async () => {
    const sb = each.sandbox();
    const env = sb.env();
    await awsCli(['iam', 'create-user', '--user-name', 'serverless'], {env, endpointUrl: url});
    for (let i = 0; i < 2; i++) await awsCli(['iam', 'create-access-key', '--user-name', 'serverless'], {env, endpointUrl: url});
    const [first, second] = await keyIds(sb);
    const tmux = wizard(sb);
    await pressEnterThrough(tmux, {onQuestion: async (question) => {
      if (question !== 'What should happen?') return false;
      // Deleting a key someone may still use is never the default: the first choice stops.
      const choice = (await tmux.screen()).split('\n').find((l) => l.startsWith('❯'));
      expect(choice).toBe('❯ Stop here and change nothing');
      await tmux.keys('Down', 'Enter');
      return true;
    }});
    expect(await tmux.exitCode(30_000)).toBe(0);
    await tmux.kill();
    const keys = await keyIds(sb);
    const inFile = /aws_access_key_id = (\S+)/.exec(readFileSync(sb.credentialsPath, 'utf8'))![1];
    expect(keys).toHaveLength(2);
    expect(keys).toContain(second);
    expect(keys).not.toContain(first);
    expect(keys).toContain(inFile);
  });

  it('a re-run of a finished setup says so first and reaches "nothing to do" in at most two key presses', async () => {
    const sb = each.sandbox();
    const done = await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: sb.project, env: sb.env()});
    expect(done.code, done.stderr).toBe(0);
    const proxy = await each.proxy();
    const tmux = new TmuxSession(`node ${CLI_BIN} --endpoint-url ${proxy.url}`, {cwd: sb.project, env: sb.env(), cols: 80, rows: 24});
    let presses = 0;
    const questions = await pressEnterThrough(tmux, {onQuestion: async (question, screen) => {
      presses += 1;
      if (question === 'Change something?') expect(screen.replace(/\s+/g, ' ')).toContain('✔ Everything is already set up for stage "dev": IAM user serverless, region us-east-1, account 123456789012.');
      return false;
    }});
    expect(questions).toEqual(['Change something?']);
    expect(presses).toBeLessThanOrEqual(2);
    expect(await tmux.exitCode()).toBe(0);
    const screen = await tmux.screen();
    await tmux.kill();
    expect(screen).toMatch(/Change something\? No\nNext: zappa deploy dev/);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
  });

  it('the deploy identity chosen in the walk-through is the one planned: a role takes the user\'s place', async () => {
    const sb = each.sandbox();
    const tmux = wizard(sb);
    let atConfirmation = '';
    await pressEnterThrough(tmux, {onQuestion: async (question, screen) => {
      if (question === 'What should Zappa deploy as?') {
        expect(screen).toContain('❯ IAM user with an access key (the setup document\'s way)');
        await tmux.keys('Down', 'Down', 'Enter');
        return true;
      }
      if (!APPLY.test(question)) return false;
      atConfirmation = screen;
      await tmux.keys('n', 'Enter');
      return true;
    }});
    expect(await tmux.exitCode()).toBe(130);
    await tmux.kill();
    expect(atConfirmation).toMatch(/^ {2}\+ create +Deploy role serverless$/m);
    expect(atConfirmation).not.toMatch(/Access key for serverless/);
  });

  it('"n" at the confirmation prints the one-line command with the answers given, changes nothing, exit 130', async () => {
    const sb = each.sandbox();
    const settings = {
      dev: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: 'us-east-1'},
      production: {extends: 'dev'},
    };
    writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
    const tmux = wizard(sb, '--region ap-south-1');
    const questions = await pressEnterThrough(tmux, {onQuestion: async (question) => {
      if (question.startsWith('Which stages')) {
        // Untick dev (the first, highlighted), keep production.
        await tmux.keys('Space', 'Enter');
        return true;
      }
      if (question === 'What should Zappa deploy as?') {
        await tmux.keys('Down', 'Enter');
        return true;
      }
      if (question === 'IAM user for deploying') {
        await tmux.type('zappa-deployer');
        await tmux.keys('Enter');
        return true;
      }
      if (question === 'Which deployment policy?') {
        await tmux.keys('Down', 'Enter');
        return true;
      }
      if (APPLY.test(question)) {
        await tmux.keys('n', 'Enter');
        return true;
      }
      return false;
    }});
    expect(questions.at(-1)).toMatch(APPLY);
    expect(await tmux.exitCode(30_000)).toBe(130);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(screen).toContain('Cancelled. No changes were made.');
    // The person's answers, as flags; the defaults they kept (role, bucket) are left out. Printed unwrapped: the terminal folds it.
    const tail = screen.slice(screen.lastIndexOf('\n  npx zappa-iam-wizard setup ') + 3, screen.lastIndexOf('\nEXIT='));
    const command = tail.replaceAll('\n', '');
    expect(command).toBe(`npx zappa-iam-wizard setup --stage production --user zappa-deployer --region ap-south-1 --policy strict --identity group --endpoint-url ${url}`);
    const users = (await awsCli(['iam', 'list-users'], {env: sb.env(), endpointUrl: url})).json as {Users: unknown[]};
    expect(users.Users).toEqual([]);
  });
});
