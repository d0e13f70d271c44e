/**
 * Issue 13, item 10: the demo (scripts/demo.sh, what `npm run demo` runs
 * after the build) leaves no temp folder behind: not after a run, not when
 * a step fails, not after Ctrl-C. Each run gets a TMPDIR of its own, empty
 * before, and must be empty after. Needs the built CLI, moto_server and aws.
 */
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {REPO_ROOT, runProcess} from './helpers/run-cli.js';
import {TmuxSession} from './helpers/tmux.js';

const DEMO = join(REPO_ROOT, 'scripts', 'demo.sh');
const made: string[] = [];
afterEach(() => {
  made.splice(0).forEach((dir) => rmSync(dir, {recursive: true, force: true}));
});

/** A TMPDIR for one demo run, checked empty afterwards. */
function freshTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zw-demo-tmp-'));
  made.push(dir);
  return dir;
}

/** The environment a person runs the demo in: their PATH (node, moto_server, aws), a private TMPDIR. */
function demoEnv(tmp: string, path = process.env.PATH ?? ''): Record<string, string> {
  const env: Record<string, string> = {PATH: path, HOME: process.env.HOME ?? tmp, TMPDIR: tmp, NO_COLOR: '1'};
  for (const name of ['PYENV_ROOT', 'PYENV_VERSION', 'LANG']) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

describe('the demo', () => {
  it('with stdin not a terminal runs setup --yes, and removes its folder when done', async () => {
    const tmp = freshTmp();
    const out = await runProcess('bash', [DEMO], {cwd: REPO_ROOT, env: demoEnv(tmp), timeoutMs: 90_000});
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Run it again to see that a finished setup changes nothing:');
    expect(out.stdout).toMatch(/zappa-iam-wizard-demo\.\w+/);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('removes its folder when a step fails (here the aws CLI)', async () => {
    const tmp = freshTmp();
    const stubs = join(tmp, '..', `${tmp.split('/').at(-1)}-bin`);
    mkdirSync(stubs);
    made.push(stubs);
    writeFileSync(join(stubs, 'aws'), '#!/bin/sh\necho "aws: broken on purpose" >&2\nexit 1\n');
    chmodSync(join(stubs, 'aws'), 0o755);
    const out = await runProcess('bash', [DEMO], {cwd: REPO_ROOT, env: demoEnv(tmp, `${stubs}:${process.env.PATH}`), timeoutMs: 90_000});
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('aws: broken on purpose');
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('removes its folder after Ctrl-C in the walk-through (exit 130)', async () => {
    const tmp = freshTmp();
    const tmux = new TmuxSession(`bash ${DEMO}`, {cwd: REPO_ROOT, env: demoEnv(tmp), cols: 80, rows: 24});
    try {
      await tmux.waitFor(/^\? /m, 60_000);
      expect(readdirSync(tmp)).toHaveLength(1);
      await tmux.keys('C-c');
      expect(await tmux.exitCode(30_000)).toBe(130);
    } finally {
      await tmux.kill();
    }
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});
