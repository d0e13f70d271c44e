/**
 * The walk-through over a file with several stages, in a real terminal
 * (tmux) against moto: every stage is ticked, so Enter through the questions
 * sets up all of them under one user. Needs the built CLI.
 */
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {pressEnterThrough} from '../helpers/inquirer-screen.js';

const THREE = {
  dev: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: 'us-east-1'},
  staging: {extends: 'dev'},
  prod: {extends: 'dev', memory_size: 1024},
};

/** The stages as Python's json module reads them, each with extends applied as Zappa applies it. */
function effectiveStages(path: string): Record<string, Record<string, unknown>> {
  const script = 'import json,sys\nd=json.load(open(sys.argv[1]))\ndef eff(s):\n  o=d[s]\n  return {**eff(o["extends"]), **o} if "extends" in o else dict(o)\nprint(json.dumps({s: eff(s) for s in d}))';
  return JSON.parse(spawnSync('python3', ['-c', script, path], {encoding: 'utf8'}).stdout) as Record<string, Record<string, unknown>>;
}

describe('the walk-through with several stages', () => {
  const each = eachTestWithSandbox();

  it('ticks every stage, asks for the user once, and sets up all three', async () => {
    const sb = each.sandbox();
    writeFileSync(sb.settingsPath, `${JSON.stringify(THREE, null, 4)}\n`);
    const tmux = new TmuxSession(`node ${CLI_BIN} --endpoint-url ${motoUrl()}`, {cwd: sb.project, env: sb.env(), cols: 100, rows: 50});
    const questions = await pressEnterThrough(tmux);
    expect(questions[0]).toMatch(/^Which stages of zappa_settings\.json should deploy as this user\?/);
    expect(questions.slice(1, 3)).toEqual(['What should Zappa deploy as?', 'IAM user for deploying']);
    expect(questions.at(-1)).toMatch(/^Apply \d+ changes: \d+ to create, \d+ to update\?$/);
    expect(await tmux.exitCode(40_000)).toBe(0);
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    expect(screen).toContain('Setting up stages "dev", "staging", "prod" for IAM user serverless');
    expect(screen).toContain('Next: zappa deploy dev · zappa deploy staging · zappa deploy prod');
    const stages = effectiveStages(sb.settingsPath);
    for (const name of ['dev', 'staging', 'prod']) {
      expect(stages[name]).toMatchObject({profile_name: 'serverless', manage_roles: false, role_name: `demo-app-${name}-ZappaLambdaExecutionRole`});
    }
    const roles = (await awsCli(['iam', 'list-roles'], {env: sb.env(), endpointUrl: motoUrl()})).json as {Roles: {RoleName: string}[]};
    expect(roles.Roles.map((r) => r.RoleName).sort()).toEqual(['demo-app-dev-ZappaLambdaExecutionRole', 'demo-app-prod-ZappaLambdaExecutionRole', 'demo-app-staging-ZappaLambdaExecutionRole']);
  });
});
