import React from 'react';
import {stripVTControlCharacters} from 'node:util';
import chalk from 'chalk';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {Checklist} from '../../src/ui/Checklist.js';
import {ChecklistApp} from '../../src/ui/ChecklistApp.js';
import {RESUME_LINE} from '../../src/ui/Summary.js';
import {useColor} from '../../src/ui/symbols.js';
import type {ChecklistEvent} from '../../src/ui/checklist-state.js';
import {SUMMARY, stateAfter, successEvents, testStore} from './fixtures.js';

const TITLE = 'Setting up stage "dev" for IAM user serverless in account 123456789012';
const plain = (frame: string | undefined) => stripVTControlCharacters(frame ?? '');

function frameOf(events: ChecklistEvent[], props: {width?: number; height?: number; color?: boolean; now?: number} = {}): string {
  const {lastFrame, unmount} = render(
    <Checklist state={stateAfter(events)} title={TITLE} width={props.width ?? 80} height={props.height} now={props.now ?? 5000} color={props.color ?? false} animate={false} />,
  );
  const frame = lastFrame() ?? '';
  unmount();
  return frame;
}

/** Polls until the last frame contains `text` (no fixed sleeps). */
async function waitForFrame(lastFrame: () => string | undefined, text: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const frame = plain(lastFrame());
    if (frame.includes(text)) return frame;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never saw "${text}" in:\n${plain(lastFrame())}`);
}

describe('Checklist frames', () => {
  it('shows waiting, running and finished rows, each with a symbol and a word', () => {
    const frame = frameOf([
      {type: 'step-started', id: 'identity'},
      {type: 'step-finished', id: 'identity', status: 'unchanged', detail: 'signed in as arn:aws:sts::123456789012:user/admin', ms: 8},
      {type: 'step-started', id: 'user'},
      {type: 'step-finished', id: 'user', status: 'created', detail: 'arn:aws:iam::123456789012:user/serverless', ms: 31},
      {type: 'step-started', id: 'zappa-settings'},
    ], {now: 1500});
    expect(plain(frame)).toMatchInlineSnapshot(`
      "Setting up stage "dev" for IAM user serverless in account 123456789012
      • Admin identity in account 123456789012                already in place    8 ms
          signed in as arn:aws:sts::123456789012:user/admin
      ✔ IAM user serverless                                   created            31 ms
          arn:aws:iam::123456789012:user/serverless
      ○ Access key for serverless                             waiting
      ○ [serverless] in the credentials file                  waiting
      ○ [profile serverless] in the config file               waiting
      … Stage "dev" of zappa_settings.json                    working…          450 ms
      ○ Policy ZappaLambdaDeploymentPolicy                    waiting
      ○ ZappaLambdaDeploymentPolicy attached to serverless    waiting
      ○ Policy ZappaLambdaExecutionPolicy                     waiting
      ○ Execution role demo-app-dev-ZappaLambdaExecutionRole  waiting
      ○ ZappaLambdaExecutionPolicy attached to the role       waiting
      ○ Key works as serverless                               waiting"
    `);
  });

  it('shows the wait for IAM to accept a new key as such, with the time so far', () => {
    const frame = frameOf([
      ...successEvents().slice(0, -1),
      {type: 'step-started', id: 'verify'},
      {type: 'step-progress', id: 'verify', message: 'waiting for IAM to accept the new key (6 s)'},
    ], {now: 1000 + 25 * 10 + 6400});
    const lines = plain(frame).split('\n');
    const row = lines.findIndex((l) => l.startsWith('… Key works as serverless'));
    expect(lines[row]).toMatch(/working… +6\.4 s$/);
    expect(lines[row + 1]).toBe('    waiting for IAM to accept the new key (6 s)');
  });

  it('animates the running row with a spinner', () => {
    const {lastFrame, unmount} = render(
      <Checklist state={stateAfter([{type: 'step-started', id: 'identity'}])} title={TITLE} width={80} now={2000} color={false} />,
    );
    expect(plain(lastFrame()).split('\n')[1]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Admin identity/);
    unmount();
  });

  it('on failure: says what failed, the AWS error in plain words and what to do; later rows not run; the last line says re-running resumes', () => {
    const frame = plain(frameOf([
      ...successEvents().slice(0, 12),
      {type: 'step-started', id: 'deployment-policy'},
      {type: 'step-failed', id: 'deployment-policy', ms: 45,
        error: 'iam:CreatePolicy (AccessDenied): the identity is not allowed to do this. User: arn:aws:iam::123456789012:user/ops is not authorized to perform: iam:CreatePolicy',
        hint: 'The admin identity lacks this IAM permission. Use an identity with IAM administrator rights (--admin-profile <name>). Fix this and run again; finished steps are detected and skipped.'},
      {type: 'step-skipped', id: 'deployment-policy-attached', reason: 'not run because an earlier step failed'},
      {type: 'step-skipped', id: 'verify', reason: 'not run because an earlier step failed'},
      {type: 'run-finished', summary: SUMMARY},
    ]));
    expect(frame).toMatchInlineSnapshot(`
      "Setting up stage "dev" for IAM user serverless in account 123456789012
      • Admin identity in account 123456789012                already in place  120 ms
          signed in as arn:aws:sts::123456789012:user/admin
      ✔ IAM user serverless                                   created           120 ms
          arn:aws:iam::123456789012:user/serverless
      ✔ Access key for serverless                             created           120 ms
          new key AKIA…WXYZ written to [serverless]
      ✔ [serverless] in the credentials file                  created           120 ms
          wrote the new key to [serverless] in ~/.aws/credentials (mode 0600)
      ✔ [profile serverless] in the config file               created           120 ms
          added [profile serverless] with region us-east-1 to ~/.aws/config
      ✔ Stage "dev" of zappa_settings.json                    updated           120 ms
          profile_name: missing → "serverless", manage_roles: missing → false,
          role_name: missing → "demo-app-dev-ZappaLambdaExecutionRole", s3_bucket:
          missing → "zappa-demo-app-4hs8d0q2mz"
      ✖ Policy ZappaLambdaDeploymentPolicy                    failed             45 ms
          iam:CreatePolicy (AccessDenied): the identity is not allowed to do this.
          User: arn:aws:iam::123456789012:user/ops is not authorized to perform:
          iam:CreatePolicy
          What to do: The admin identity lacks this IAM permission. Use an identity
          with IAM administrator rights (--admin-profile <name>). Fix this and run
          again; finished steps are detected and skipped.
      ○ ZappaLambdaDeploymentPolicy attached to serverless    not run
      ○ Policy ZappaLambdaExecutionPolicy                     not run
      ○ Execution role demo-app-dev-ZappaLambdaExecutionRole  not run
      ○ ZappaLambdaExecutionPolicy attached to the role       not run
      ○ Key works as serverless                               not run

      ✖ Failed: Policy ZappaLambdaDeploymentPolicy.
        Done: 4 created, 1 updated, 1 already in place. Not run: 5.
        Run the wizard again to resume: finished steps are detected and skipped."
    `);
    expect(frame.split('\n').at(-1)).toBe(`  ${RESUME_LINE}`);
  });

  // The deploy command is not in the frame: the walk-through prints it last, after what now exists.
  it('ends a successful run with a summary and the backups', () => {
    const frame = plain(frameOf([...successEvents(), {type: 'run-finished', summary: SUMMARY}]));
    expect(frame.split('\n').slice(-3)).toEqual([
      '',
      '✔ Done in 250 ms: 9 created, 1 updated, 2 already in place.',
      '  Backups of the files before this run: zappa_settings.json.bak',
    ]);
  });

  it('ends a stopped run with what was done and the resume line', () => {
    const frame = plain(frameOf([...successEvents().slice(0, 6), {type: 'stop-requested'}, {type: 'run-finished', summary: SUMMARY}]));
    expect(frame).toContain('■ Stopped on request after the running step.\n  Done: 2 created, 1 already in place. Not run: 9.');
    expect(frame.split('\n').at(-1)).toBe(`  ${RESUME_LINE}`);
  });

  it('renders at 80 columns with the time column, a long detail wrapped under its row, nothing cut', () => {
    const events: ChecklistEvent[] = [...successEvents(), {type: 'run-finished', summary: SUMMARY}];
    const lines = plain(frameOf(events, {width: 80})).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    for (const title of ['Execution role demo-app-dev-ZappaLambdaExecutionRole', 'ZappaLambdaDeploymentPolicy attached to serverless']) {
      expect(lines.find((l) => l.includes(title))).toMatch(/ (created|updated|already in place) +\d+ ms$/);
    }
    const detail = lines.findIndex((l) => l.includes('profile_name: missing'));
    expect(lines[detail + 1]).toMatch(/^ {4}\S/);
    expect(lines.filter((l) => l.endsWith('…'))).toEqual([]);
  });

  it('at 60 columns (and 50) drops the time column and wraps names instead of cutting them', () => {
    const events: ChecklistEvent[] = [...successEvents(), {type: 'run-finished', summary: SUMMARY}];
    for (const width of [60, 50]) {
      const frame = plain(frameOf(events, {width}));
      const lines = frame.split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(lines.filter((l) => l.endsWith('…'))).toEqual([]);
      expect(lines.filter((l) => /(created|updated|already in place) +[\d.]+ m?s$/.test(l))).toEqual([]);
      // The account ID and the ARNs whole, each on one line.
      expect(lines.some((l) => l.includes('123456789012'))).toBe(true);
      expect(lines.some((l) => l.includes('arn:aws:iam::123456789012:user/serverless'))).toBe(true);
      expect(lines.some((l) => l.includes('demo-app-dev-ZappaLambdaExecutionRole'))).toBe(true);
      // An ARN too long for the indent starts at the margin rather than being broken by the terminal.
      if (width === 60) expect(lines).toContain('arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy');
      expect(lines.find((l) => l.includes('IAM user serverless') && l.startsWith('✔'))).toMatch(/ created$/);
    }
    // The title wraps with a hanging indent under the symbol, the status word stays on its first line.
    const narrow = plain(frameOf(events, {width: 50})).split('\n');
    const row = narrow.findIndex((l) => l.startsWith('✔ Execution role'));
    expect(narrow[row]).toMatch(/created$/);
    expect(narrow[row + 1]).toMatch(/^ {2}demo-app-dev-ZappaLambdaExecutionRole/);
  });

  it('keeps the frame shorter than the terminal by dropping detail lines, "already in place" first', () => {
    const events: ChecklistEvent[] = [...successEvents(), {type: 'run-finished', summary: SUMMARY}];
    const lines = plain(frameOf(events, {height: 24})).split('\n');
    expect(lines.length).toBeLessThanOrEqual(22);
    expect(lines).toContain('    arn:aws:iam::123456789012:user/serverless');
    expect(lines).not.toContain('    signed in as arn:aws:sts::123456789012:user/admin');
    expect(plain(frameOf(events)).split('\n')).toContain('    signed in as arn:aws:sts::123456789012:user/admin');
  });
});

describe('colour', () => {
  let level: typeof chalk.level;
  beforeEach(() => {
    level = chalk.level;
    chalk.level = 1;
  });
  afterEach(() => {
    chalk.level = level;
    vi.unstubAllEnvs();
  });

  it('paints symbols and words when colour is on, and paints nothing under NO_COLOR', () => {
    const events: ChecklistEvent[] = [...successEvents().slice(0, 4), {type: 'step-started', id: 'access-key'}];
    const coloured = frameOf(events, {color: true});
    expect(coloured).toMatch(/\u001b\[32m✔/);
    const uncoloured = frameOf(events, {color: false});
    expect(uncoloured).toBe(plain(uncoloured));
    expect(uncoloured).toBe(plain(coloured));

    const tty = {isTTY: true} as NodeJS.WriteStream;
    vi.stubEnv('NO_COLOR', '');
    expect(useColor(tty)).toBe(true);
    vi.stubEnv('NO_COLOR', '1');
    expect(useColor(tty)).toBe(false);
  });
});

describe('ChecklistApp', () => {
  it('follows the store, turns Ctrl-C and Esc into a stop request, and exits once the run is over', async () => {
    const {store} = testStore();
    const onStop = vi.fn();
    const app = render(<ChecklistApp store={store} title={TITLE} onStop={onStop} color={false} animate={false} width={80} height={40} />);
    store.dispatch({type: 'step-started', id: 'identity'});
    await waitForFrame(app.lastFrame, 'working…');
    app.stdin.write('\u0003');
    app.stdin.write('\u001b');
    await vi.waitFor(() => expect(onStop).toHaveBeenCalledTimes(2));
    store.dispatch({type: 'stop-requested'});
    await waitForFrame(app.lastFrame, 'Stopping after the running step');
    store.dispatch({type: 'step-finished', id: 'identity', status: 'unchanged', detail: 'signed in', ms: 3});
    store.dispatch({type: 'run-finished', summary: SUMMARY});
    const frame = await waitForFrame(app.lastFrame, RESUME_LINE);
    expect(frame).not.toContain('Stopping after');
    expect(frame).toContain('■ Stopped on request after the running step.\n  Done: 1 already in place. Not run: 11.');
  });
});
