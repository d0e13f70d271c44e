/**
 * The walk-through with a row that cannot be brought into place (the stage's
 * role_arn names a role this account lacks), in tmux against moto: like
 * `setup --yes`, it shows the plan and stops before any change, instead of
 * asking to apply a plan that would stop half-way.
 */
import {writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {pressEnterThrough} from '../helpers/inquirer-screen.js';

describe('the walk-through with a blocked row', () => {
  const each = eachTestWithSandbox();

  it('shows the plan, changes nothing, asks no confirmation, and exits 1', async () => {
    const sb = each.sandbox();
    const settings = {dev: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: 'us-east-1', role_arn: 'arn:aws:iam::123456789012:role/not-there'}};
    writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
    const before = JSON.stringify(settings, null, 4);
    const tmux = new TmuxSession(`node ${CLI_BIN} --endpoint-url ${motoUrl()}`, {cwd: sb.project, env: sb.env(), cols: 100, rows: 50});
    const questions = await pressEnterThrough(tmux);
    expect(questions.some((q) => /^Apply \d+ change/.test(q))).toBe(false);
    expect(await tmux.exitCode(30_000)).toBe(1);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(screen).toContain('Nothing was changed. Fix the row marked "blocked" above and run again.');
    const users = (await awsCli(['iam', 'list-users'], {env: sb.env(), endpointUrl: motoUrl()})).json as {Users: unknown[]};
    expect(users.Users).toEqual([]);
    expect((await import('node:fs')).readFileSync(sb.settingsPath, 'utf8').trimEnd()).toBe(before);
  });
});
