/**
 * Issue 4: failures on the way. Each write call fails in turn behind a
 * fault-injecting proxy; the run stops at that step, and a plain re-run
 * finishes the job with exactly one access key. The one exception is
 * iam:TagUser, which records the new key on the user after it is in the
 * file: its failure is a warning on the access-key row, never a lost key.
 */
import {readFileSync} from 'node:fs';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {parseIni} from '../../src/files/ini-document.js';
import {parseSettings} from '../../src/files/settings-document.js';
import {SETUP_STEPS} from '../../src/steps/index.js';

interface JsonReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string; hint?: string}[];
  apiCalls: {read: number; write: number};
}

let proxy: AwsProxy;
let sb: Sandbox;
const setup = () => runJson<JsonReport>(['setup', '--yes', '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env()});

beforeAll(async () => {
  proxy = await startAwsProxy({target: motoUrl()});
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto(motoUrl());
  proxy.setFault(undefined);
  proxy.calls.length = 0;
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

/** Every step that needs `id` done first, directly or not: none of them may run after it failed. */
function dependentsOf(id: string): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of SETUP_STEPS) {
      if (!out.has(step.id) && step.dependsOn.some((d) => d === id || out.has(d))) {
        out.add(step.id);
        grew = true;
      }
    }
  }
  return [...out];
}

/** The write calls a fresh setup makes, in order (learned from a clean run). */
async function writeActionsOfFreshSetup(): Promise<string[]> {
  const run = await setup();
  expect(run.code).toBe(0);
  const actions = proxy.calls.filter((c) => c.kind === 'write').map((c) => c.action);
  await resetMoto(motoUrl());
  sb.cleanup();
  sb = makeSandbox();
  return [...new Set(actions)];
}

function filesStillParse(): void {
  for (const path of [sb.credentialsPath, sb.configPath]) {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // not written yet: as it was
    }
    expect(() => parseIni(text!)).not.toThrow();
  }
  expect(() => parseSettings(readFileSync(sb.settingsPath, 'utf8'))).not.toThrow();
}

describe('a write call that keeps failing', () => {
  it('stops the run at that step each time, and a plain re-run finishes with exactly one key', async () => {
    const actions = await writeActionsOfFreshSetup();
    expect(actions).toEqual(expect.arrayContaining(['CreateUser', 'CreateAccessKey', 'CreatePolicy', 'CreateRole', 'AttachUserPolicy', 'AttachRolePolicy']));
    expect(actions).toContain('TagUser');
    for (const action of actions.filter((a) => a !== 'TagUser')) {
      await resetMoto(motoUrl());
      sb.cleanup();
      sb = makeSandbox();
      proxy.setFault((call) => (call.action === action ? {status: 500, code: 'ServiceFailure', message: `injected failure of ${action}`} : undefined));
      const failed = await setup();
      expect(failed.code, `${action}: ${failed.stderr}`).toBe(1);
      const failedStep = failed.json.steps.find((s) => s.status === 'failed');
      expect(failedStep?.detail, action).toContain(`iam:${action} failed with ServiceFailure`);
      for (const id of dependentsOf(failedStep!.id)) {
        expect(failed.json.steps.find((s) => s.id === id)?.status, `${id} after ${action}`).toBe('skipped');
      }
      filesStillParse();

      proxy.setFault(undefined);
      const resumed = await setup();
      expect(resumed.code, `${action} re-run: ${resumed.stderr}`).toBe(0);
      const keys = await awsCli(['iam', 'list-access-keys', '--user-name', 'serverless'], {env: sb.env(), endpointUrl: motoUrl()});
      expect((keys.json as {AccessKeyMetadata: unknown[]}).AccessKeyMetadata, action).toHaveLength(1);
      expect((await setup()).json.apiCalls.write).toBe(0);
    }
  });
});

describe('a failed iam:TagUser', () => {
  it('keeps the new key in the file, warns on the access-key row, and the run still succeeds', async () => {
    proxy.setFault((call) => (call.action === 'TagUser' ? {status: 500, code: 'ServiceFailure', message: 'injected failure of TagUser'} : undefined));
    const run = await setup();
    expect(run.code, run.stderr).toBe(0);
    const step = run.json.steps.find((s) => s.id === 'access-key');
    expect(step?.status).toBe('created');
    expect(step?.detail).toMatch(/warning: could not record AKIA…\w{4} on IAM user serverless/);
    const keyId = /aws_access_key_id = (\S+)/.exec(readFileSync(sb.credentialsPath, 'utf8'))?.[1];
    const keys = await awsCli(['iam', 'list-access-keys', '--user-name', 'serverless'], {env: sb.env(), endpointUrl: motoUrl()});
    expect((keys.json as {AccessKeyMetadata: {AccessKeyId: string; Status: string}[]}).AccessKeyMetadata).toEqual([
      expect.objectContaining({AccessKeyId: keyId, Status: 'Active'}),
    ]);
    expect(run.json.steps.find((s) => s.id === 'verify')?.status).toBe('created');
  });
});

describe('answers AWS gives under load', () => {
  it('retries throttling and finishes', async () => {
    let throttled = 0;
    proxy.setFault((call) => (call.action === 'CreateUser' && throttled++ < 2 ? {status: 400, code: 'Throttling', message: 'Rate exceeded'} : undefined));
    const run = await setup();
    expect(run.code).toBe(0);
    expect(throttled).toBeGreaterThanOrEqual(3);
  });

  it('names the admin identity and the action it lacks', async () => {
    proxy.setFault((call) => (call.action === 'CreateRole' ? {status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:CreateRole'} : undefined));
    const run = await setup();
    expect(run.code).toBe(1);
    const step = run.json.steps.find((s) => s.id === 'execution-role');
    expect(step?.status).toBe('failed');
    expect(step?.detail).toBe('arn:aws:sts::123456789012:user/moto is not allowed to call iam:CreateRole (AccessDenied).');
    expect(step?.hint).toContain('--admin-profile');
  });
});
