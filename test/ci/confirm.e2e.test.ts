/**
 * `ci github` at a terminal without --yes, in tmux against moto: the plan,
 * one question, and nothing changed on "no"; "yes" applies it.
 */
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {CLI_BIN} from '../helpers/run-cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {aws} from './helpers.js';

describe.skipIf(!TmuxSession.available())('ci github at a terminal', () => {
  const each = eachTestWithSandbox();
  const start = () => {
    const sb = each.sandbox();
    const tmux = new TmuxSession(`node ${CLI_BIN} ci github --repo acme/shop --endpoint-url ${motoUrl()}`, {cwd: sb.project, env: sb.env(), cols: 160, rows: 50});
    return {sb, tmux};
  };

  it('shows the plan, asks once, and changes nothing on no (exit 130, as teardown)', async () => {
    const {sb, tmux} = start();
    try {
      const screen = await tmux.waitFor('Apply these changes?', 30_000);
      expect(screen).toContain('ci github will make these changes:');
      expect(screen).toContain('+ GitHub Actions deploy role zappa-github-acme-shop');
      await tmux.type('n');
      await tmux.keys('Enter');
      expect(await tmux.exitCode(30_000)).toBe(130);
      expect(await tmux.screen({scrollback: true})).toContain('Cancelled. Nothing was changed.');
    } finally {
      await tmux.kill();
    }
    expect((await aws<{OpenIDConnectProviderList: unknown[]}>(sb, ['iam', 'list-open-id-connect-providers'])).OpenIDConnectProviderList).toEqual([]);
    expect(existsSync(join(sb.project, '.github'))).toBe(false);
  });

  it('applies the plan on yes', async () => {
    const {sb, tmux} = start();
    try {
      await tmux.waitFor('Apply these changes?', 30_000);
      await tmux.keys('Enter');
      expect(await tmux.exitCode(30_000)).toBe(0);
      expect(await tmux.screen({scrollback: true})).toContain('✔ Done:');
    } finally {
      await tmux.kill();
    }
    expect(existsSync(join(sb.project, '.github/workflows/zappa-deploy.yml'))).toBe(true);
  });
});
