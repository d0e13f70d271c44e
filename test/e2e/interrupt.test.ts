/**
 * Issue 4: a run killed with SIGKILL at any moment leaves every file either
 * as it was or as it should be, never empty or half-written, and a re-run
 * converges.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {CLI_BIN, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {parseIni} from '../../src/files/ini-document.js';
import {parseSettings} from '../../src/files/settings-document.js';

let slow: AwsProxy;
beforeAll(async () => {
  // Latency spreads the run over a few hundred milliseconds, so the kills land mid-run.
  slow = await startAwsProxy({target: motoUrl(), latencyMs: 25});
});
afterAll(() => slow.close());

function killAfter(sb: Sandbox, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, 'setup', '--yes', '--endpoint-url', slow.url], {cwd: sb.project, env: sb.env(), stdio: 'ignore'});
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function seedFiles(sb: Sandbox): Record<string, string> {
  mkdirSync(join(sb.home, '.aws'), {recursive: true});
  writeFileSync(sb.credentialsPath, '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE1\naws_secret_access_key = not-real\n', {mode: 0o600});
  writeFileSync(sb.configPath, '[default]\nregion = eu-west-1\n');
  return Object.fromEntries([sb.credentialsPath, sb.configPath, sb.settingsPath].map((p) => [p, readFileSync(p, 'utf8')]));
}

describe('killed mid-run', () => {
  it.each([150, 250, 350, 450, 600, 800])('after %i ms: files intact, and a re-run converges', async (ms) => {
    await resetMoto(motoUrl());
    const sb = makeSandbox();
    try {
      const original = seedFiles(sb);
      await killAfter(sb, ms);
      for (const [path, before] of Object.entries(original)) {
        expect(existsSync(path)).toBe(true);
        const now = readFileSync(path, 'utf8');
        if (path.endsWith('.json')) {
          // Either untouched, or the whole new file: the stage keeps every key it had.
          expect(parseSettings(now).dev).toMatchObject(parseSettings(before).dev!);
        } else {
          // Our section is appended: the person's text stays in front, byte for byte.
          expect(now.startsWith(before), path).toBe(true);
          expect(() => parseIni(now)).not.toThrow();
        }
      }
      const resumed = await runJson<{ok: boolean}>(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
      expect(resumed.code, resumed.stderr).toBe(0);
      const who = await awsCli(['sts', 'get-caller-identity', '--profile', 'serverless'], {env: sb.env(), endpointUrl: motoUrl()});
      expect((who.json as {Arn: string}).Arn).toMatch(/:user\/serverless$/);
    } finally {
      sb.cleanup();
    }
  });
});
