/**
 * Issue 13, items 6 and 7: in a narrow terminal nothing is cut. At 60
 * columns the checklist drops its milliseconds and wraps instead of cutting,
 * so the account ID, role names and ARNs stay whole; questions wrap at
 * spaces, not inside a word. At 80×24 the time column stays. Runs the built
 * CLI (`node scripts/build.mjs`) against moto in tmux.
 */
import {describe, expect, it} from 'vitest';
import {ADMIN_ENV, motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {TmuxSession} from '../helpers/tmux.js';
import {pressEnterThrough} from '../helpers/inquirer-screen.js';
import {writeAwsFiles} from '../first-contact/helpers.js';

const url = motoUrl();
const each = eachTestWithSandbox();
const ACCOUNT = '123456789012';
const ROLE = 'demo-app-dev-ZappaLambdaExecutionRole';
const ROW = /^[✔•○✖…] /;

function startWizard(sb: Sandbox, cols: number, rows: number): TmuxSession {
  return new TmuxSession(`node ${CLI_BIN} --endpoint-url ${url}`, {cwd: sb.project, env: sb.env(), cols, rows});
}

/** The live checklist as it was left on screen: from its title to the line that says how the run ended. */
function checklistOf(screen: string): string[] {
  const lines = screen.split('\n');
  const start = lines.map((l) => l.startsWith('Setting up')).lastIndexOf(true);
  const end = lines.findIndex((l, i) => i > start && /^✔ Done in /.test(l));
  expect(start, screen).toBeGreaterThanOrEqual(0);
  return lines.slice(start, end > start ? end : undefined);
}

describe('a 60-column terminal', () => {
  it('keeps the account ID, role and ARNs whole, shows no milliseconds, and wraps a long question at a space', async () => {
    const sb = each.sandbox();
    // A second admin profile, so the wizard asks which credentials to use (its longest question).
    writeAwsFiles(sb, {credentials: `[ops]\naws_access_key_id = ${ADMIN_ENV.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${ADMIN_ENV.AWS_SECRET_ACCESS_KEY}\n`});
    const tmux = startWizard(sb, 60, 40);
    const questions = await pressEnterThrough(tmux);
    expect(questions.length).toBeGreaterThan(3);
    expect(await tmux.exitCode(30_000)).toBe(0);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();

    // The question is wrapped at a space and indented under its text, not broken inside "policies".
    expect(screen).toContain('Which credentials should create the IAM user, policies\n  and role?');

    const checklist = checklistOf(screen);
    expect(checklist.every((l) => l.length <= 60), checklist.join('\n')).toBe(true);
    expect(checklist.filter((l) => /\d+ ms$|\d\.\d s$/.test(l))).toEqual([]);
    expect(checklist.filter((l) => l.endsWith('…'))).toEqual([]);
    // Whole, each on one line of its own or beside its words.
    expect(checklist.filter((l) => l.includes(ACCOUNT)).length).toBeGreaterThan(0);
    expect(checklist.some((l) => /^✔ IAM user serverless +created$/.test(l))).toBe(true);
    expect(checklist.some((l) => l.trim() === ROLE || l.includes(` ${ROLE}`))).toBe(true);
    for (const line of checklist.filter((l) => l.includes('arn:aws:'))) expect(line).toMatch(/arn:aws:(iam|sts)::123456789012:\S+\w$/);
    expect(checklist.filter((l) => ROW.test(l)).length).toBeGreaterThanOrEqual(12);
  });
});

describe('an 80×24 terminal', () => {
  it('keeps the time column and the whole account ID in the checklist rows', async () => {
    const sb = each.sandbox();
    const tmux = startWizard(sb, 80, 24);
    await pressEnterThrough(tmux);
    expect(await tmux.exitCode(30_000)).toBe(0);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    const rows = checklistOf(screen).filter((l) => ROW.test(l));
    expect(rows.find((l) => l.startsWith('• Admin identity'))).toMatch(new RegExp(`in account ${ACCOUNT} +already in place +\\d+ ms$`));
    expect(rows.find((l) => l.startsWith(`✔ Execution role ${ROLE}`))).toMatch(/created +[\d.]+ m?s$/);
    expect(rows.every((l) => l.length <= 80)).toBe(true);
  });
});
