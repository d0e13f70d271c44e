/**
 * `plan`: the same checks as setup and no write anywhere, AWS or files.
 * Exit 0 when everything is in place, 3 when something would change.
 */
import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {awsOk, DEPLOYMENT_ARN, eachTestWithSandboxAndProxy, setupDone, snapshot, wizard, wizardJson} from './lifecycle-helpers.js';

interface PlanReport {
  command: string;
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  apiCalls: {read: number; write: number};
}

describe('plan', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  it('exits 3 on a fresh project, lists what setup would create, and writes nothing', async () => {
    const before = snapshot(sb);
    const result = await wizardJson<PlanReport>(sb, ['plan'], proxy.url);
    expect(result.code).toBe(3);
    expect(result.json.command).toBe('plan');
    const status = Object.fromEntries(result.json.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({user: 'created', 'access-key': 'created', 'deployment-policy': 'created', 'execution-role': 'created', identity: 'unchanged'});
    expect(result.json.apiCalls.write).toBe(0);
    expect(result.json.apiCalls.read).toBeGreaterThan(0);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
    expect(existsSync(sb.credentialsPath)).toBe(false);
  });

  it('exits 0 after setup, with every step unchanged, no write call and byte-identical files', async () => {
    await setupDone(sb);
    const before = snapshot(sb);
    const result = await wizardJson<PlanReport>(sb, ['plan'], proxy.url);
    expect(result.code).toBe(0);
    expect(result.json.steps).toHaveLength(12);
    expect(result.json.steps.every((s) => s.status === 'unchanged')).toBe(true);
    expect(result.json.apiCalls.write).toBe(0);
    expect(proxy.calls.length).toBeGreaterThan(0);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
  });

  it('prints the pending change as the walk-through shows it, and exits 3 when one thing drifted', async () => {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'detach-user-policy', '--user-name', 'serverless', '--policy-arn', DEPLOYMENT_ARN]);
    const before = snapshot(sb);
    const result = await wizard(sb, ['plan'], proxy.url);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('Plan: 1 change: 1 to create; 11 already in place.');
    // The walk-through's plan view: the row, then its detail on the next line, indented.
    expect(result.stdout).toMatch(/^ {2}\+ create +ZappaLambdaDeploymentPolicy attached to serverless\n +not attached, so every Zappa call is denied; will attach$/m);
    // No terminal: no colour codes, and no line wrapped.
    expect(result.stdout).not.toContain('\u001b[');
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
  });

  it('says everything is set up in plain text and exits 0', async () => {
    await setupDone(sb);
    const result = await wizard(sb, ['plan'], proxy.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Everything is already set up');
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
  });
});
