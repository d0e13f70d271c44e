/** doctor shows the offline permission proof of what is attached in IAM (issue 5, in doctor). */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

describe('doctor after setup', () => {
  it('proves per Zappa command what the attached policies allow, with no write call', async () => {
    const env = sb.env();
    expect((await runCli(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env})).code).toBe(0);
    const plain = await runCli(['doctor', '--endpoint-url', motoUrl()], {cwd: sb.project, env});
    expect(plain.code, `${plain.stdout}\n${plain.stderr}`).toBe(0);
    expect(plain.stdout).toMatch(/✔ deploy\s+34\/34 allowed/);
    expect(plain.stdout).toContain('No IAM user or access key creation');
    const json = await runJson<{apiCalls: {write: number}; proof?: {commands: unknown[]}}>(['doctor', '--endpoint-url', motoUrl()], {cwd: sb.project, env});
    expect(json.json.apiCalls.write).toBe(0);
    expect(json.json.proof?.commands.length).toBeGreaterThan(5);
  });

  it('has nothing to prove when the user does not exist yet', async () => {
    const out = await runCli(['doctor', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(out.code).toBe(1);
    expect(out.stdout).not.toContain('allowed');
  });
});
