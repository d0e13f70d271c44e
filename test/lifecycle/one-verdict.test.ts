/**
 * One verdict (DESIGN.md): break one row of a finished setup by hand (the AWS
 * CLI, or an edit of the person's file), and plan, doctor and setup must all
 * name it, in the same words: plan as a change (exit 3), doctor as a ✖ with
 * its fix (exit 1), setup by fixing it. Afterwards doctor is clean (exit 0, no
 * ✖) and plan has nothing to do (exit 0).
 */
import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {Sandbox} from '../helpers/sandbox.js';
import {awsOk, DEPLOYMENT_ARN, EXECUTION_ARN, eachTestWithSandboxAndProxy, fileKeyId, ROLE, setupDone, wizard, wizardJson} from './lifecycle-helpers.js';

interface Finding { id: string; severity: string; where: string; problem: string; fix: string }
interface Report { ok: boolean; steps: {id: string; status: string; detail: string}[]; findings?: Finding[] }

const ONLY_LAMBDA = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
const TOO_LITTLE = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*'}]});

function editFile(path: string, from: string | RegExp, to: string): void {
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  expect(after, `${path} did not contain ${from}`).not.toBe(before);
  writeFileSync(path, after);
}

/** One way to break each row, as a person (or a colleague with the console) might. */
const BREAKS: {row: string; reason: string; brk(sb: Sandbox): Promise<void> | void}[] = [
  {row: 'access-key', reason: 'key-inactive', brk: (sb) => awsOk(sb, ['iam', 'update-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId(sb)!, '--status', 'Inactive'])},
  {row: 'credentials-file', reason: 'credentials-file-mode', brk: (sb) => chmodSync(sb.credentialsPath, 0o644)},
  {row: 'config-file', reason: 'config-profile-drifted', brk: (sb) => editFile(sb.configPath, 'region = us-east-1', 'region = eu-west-1')},
  {row: 'zappa-settings', reason: 'settings-drifted', brk: (sb) => editFile(sb.settingsPath, '"manage_roles": false', '"manage_roles": true')},
  {row: 'deployment-policy', reason: 'deployment-policy-outdated', brk: (sb) => awsOk(sb, ['iam', 'create-policy-version', '--policy-arn', DEPLOYMENT_ARN, '--policy-document', TOO_LITTLE, '--set-as-default'])},
  {row: 'deployment-policy-attached', reason: 'deployment-policy-not-attached', brk: (sb) => awsOk(sb, ['iam', 'detach-user-policy', '--user-name', 'serverless', '--policy-arn', DEPLOYMENT_ARN])},
  {row: 'execution-policy', reason: 'execution-policy-outdated', brk: (sb) => awsOk(sb, ['iam', 'create-policy-version', '--policy-arn', EXECUTION_ARN, '--policy-document', TOO_LITTLE, '--set-as-default'])},
  {row: 'execution-role', reason: 'role-trust', brk: (sb) => awsOk(sb, ['iam', 'update-assume-role-policy', '--role-name', ROLE, '--policy-document', ONLY_LAMBDA])},
  {row: 'execution-policy-attached', reason: 'execution-policy-not-attached', brk: (sb) => awsOk(sb, ['iam', 'detach-role-policy', '--role-name', ROLE, '--policy-arn', EXECUTION_ARN])},
];

describe('one verdict: plan, doctor and setup judge each row with the same check', () => {
  let sb: Sandbox;
  let proxyUrl: string;
  eachTestWithSandboxAndProxy((fresh) => {
    sb = fresh.sb;
    proxyUrl = fresh.proxy.url;
  });

  for (const {row, reason, brk} of BREAKS) {
    it(`${row}: named alike by plan and doctor, fixed by setup, then doctor is clean`, async () => {
      await setupDone(sb);
      await brk(sb);

      const plan = await wizardJson<Report>(sb, ['plan'], proxyUrl);
      expect(plan.code).toBe(3);
      const planned = plan.json.steps.find((s) => s.id === row)!;
      expect(planned.status).not.toBe('unchanged');

      const doctor = await wizardJson<Report>(sb, ['doctor'], proxyUrl);
      expect(doctor.code).toBe(1);
      const problems = doctor.json.findings!.filter((f) => f.severity === 'problem');
      // The broken row, in the check's own words, and nothing else.
      expect(problems.map((f) => f.id)).toEqual([reason]);
      expect(problems[0]!.problem).toBe(planned.detail);

      const doctorText = await wizard(sb, ['doctor'], proxyUrl);
      const planText = await wizard(sb, ['plan'], proxyUrl);
      // Paths are shortened on screen (~, relative), so compare the words after the first path.
      const firstWords = planned.detail.split(/\s+/).filter((w) => !w.includes('/')).slice(0, 4).join(' ');
      expect(doctorText.stdout).toMatch(/^✖ .+: .+ Fix: npx zappa-iam-wizard setup/m);
      expect(doctorText.stdout).toContain(firstWords);
      expect(planText.stdout).toContain(firstWords);

      const setup = await wizardJson<Report>(sb, ['setup', '--yes'], proxyUrl);
      expect(setup.code, JSON.stringify(setup.json)).toBe(0);
      expect(setup.json.steps.find((s) => s.id === row)?.status).toMatch(/created|updated/);

      const after = await wizardJson<Report>(sb, ['doctor'], proxyUrl);
      expect(after.code, JSON.stringify(after.json.findings)).toBe(0);
      expect(after.json.findings!.filter((f) => f.severity === 'problem')).toEqual([]);
      expect((await wizard(sb, ['plan'], proxyUrl)).code).toBe(0);
    });
  }

  it('what setup only warns about, doctor shows as the same warning, and exits 0', async () => {
    // A free bucket name without a random suffix: setup keeps it, and says it may be taken first.
    const settings = JSON.parse(readFileSync(sb.settingsPath, 'utf8'));
    settings.dev.s3_bucket = 'zappa-plain-name';
    writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
    const setup = await wizard(sb, ['setup', '--yes'], proxyUrl);
    expect(setup.code, setup.stderr).toBe(0);
    const warning = setup.stdout.split('\n').find((l) => l.startsWith('! ') && l.includes('zappa-plain-name'));
    expect(warning).toBeDefined();

    const doctor = await wizard(sb, ['doctor'], proxyUrl);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout.split('\n')).toContain(warning);
    expect(doctor.stdout).not.toMatch(/^✖/m);
    const plan = await wizard(sb, ['plan'], proxyUrl);
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n').map((l) => l.trim())).toContain(warning);
  });
});
