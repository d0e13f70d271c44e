/**
 * "One verdict", part 3, against moto_server: the preset chosen with
 * --policy is recorded on both managed policies (tag zappa-iam-wizard:preset)
 * and kept by later runs that do not name one; --policy always wins and
 * re-tags; a recorded folder that is gone stops the run (exit 2).
 */
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {strictDeploymentPolicy} from '../../src/policy/strict.js';
import {samePolicy, type PolicyDocument} from '../../src/plan/policy.js';
import {awsOk, DEPLOYMENT_ARN, eachTestWithSandboxAndProxy, EXECUTION_ARN, snapshot, wizard, wizardJson} from './lifecycle-helpers.js';

const TAG = 'zappa-iam-wizard:preset';

interface Report {
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  apiCalls: {read: number; write: number};
  policies?: {preset: string; presetSource: string};
  error?: {message: string; hint?: string};
}

describe('the preset chosen with --policy is remembered', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  const writes = () => proxy.calls.filter((c) => c.kind === 'write');

  async function setup(extra: string[] = [], endpoint?: string) {
    const result = await wizardJson<Report>(sb, ['setup', '--yes', ...extra], endpoint);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return result.json;
  }

  async function presetTags(arn: string): Promise<string[]> {
    const json = await awsOk(sb, ['iam', 'list-policy-tags', '--policy-arn', arn]);
    return (json.Tags as {Key: string; Value: string}[]).filter((t) => t.Key === TAG).map((t) => t.Value);
  }

  async function deployedDocument(): Promise<PolicyDocument> {
    const policy = await awsOk(sb, ['iam', 'get-policy', '--policy-arn', DEPLOYMENT_ARN]);
    const version = await awsOk(sb, ['iam', 'get-policy-version', '--policy-arn', DEPLOYMENT_ARN, '--version-id', policy.Policy.DefaultVersionId]);
    const doc = version.PolicyVersion.Document as PolicyDocument | string;
    return typeof doc === 'string' ? (JSON.parse(decodeURIComponent(doc)) as PolicyDocument) : doc;
  }

  it('after setup --policy strict, plan finds nothing to change and says strict was recorded; a plain setup keeps strict', async () => {
    const first = await setup(['--policy', 'strict']);
    expect(first.policies).toMatchObject({preset: 'strict', presetSource: 'flag'});
    const strictDoc = await deployedDocument();

    const plan = await wizardJson<Report>(sb, ['plan'], proxy.url);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.json.policies).toMatchObject({preset: 'strict', presetSource: 'recorded'});
    expect(plan.json.steps.filter((s) => s.status !== 'unchanged')).toEqual([]);

    const text = await wizard(sb, ['plan'], proxy.url);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Policy preset: strict (recorded on ZappaLambdaDeploymentPolicy by an earlier run)');

    const before = snapshot(sb);
    const again = await setup([], proxy.url);
    expect(again.policies).toMatchObject({preset: 'strict', presetSource: 'recorded'});
    expect(again.steps.filter((s) => s.status !== 'unchanged')).toEqual([]);
    expect(again.apiCalls.write).toBe(0);
    expect(writes()).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
    expect(samePolicy(await deployedDocument(), strictDoc)).toBe(true);
  });

  it('records the preset as a tag on both policies, visible to the AWS CLI', async () => {
    await setup(['--policy', 'strict']);
    expect(await presetTags(DEPLOYMENT_ARN)).toEqual(['strict']);
    expect(await presetTags(EXECUTION_ARN)).toEqual(['strict']);
    const tags = (await awsOk(sb, ['iam', 'list-policy-tags', '--policy-arn', DEPLOYMENT_ARN])).Tags;
    expect(tags).toContainEqual({Key: 'ManagedBy', Value: 'zappa-iam-wizard'});
  });

  it('a plain setup records document, and plan names it as the default before anything is recorded', async () => {
    const plan = await wizardJson<Report>(sb, ['plan']);
    expect(plan.json.policies).toMatchObject({preset: 'document', presetSource: 'default'});
    await setup();
    expect(await presetTags(DEPLOYMENT_ARN)).toEqual(['document']);
    const after = await wizardJson<Report>(sb, ['plan']);
    expect(after.code).toBe(0);
    expect(after.json.policies).toMatchObject({preset: 'document', presetSource: 'recorded'});
  });

  it('setup --policy document after strict switches back: new document, both policies re-tagged, and plain runs keep document', async () => {
    await setup(['--policy', 'strict']);
    const strictDoc = await deployedDocument();

    const pending = await wizardJson<Report>(sb, ['plan', '--policy', 'document']);
    expect(pending.code).toBe(3);
    expect(pending.json.policies).toMatchObject({preset: 'document', presetSource: 'flag'});
    expect(pending.json.steps.find((s) => s.id === 'deployment-policy')?.detail).toContain(`records preset strict, will record document (tag ${TAG})`);

    const back = await setup(['--policy', 'document']);
    const status = Object.fromEntries(back.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({'deployment-policy': 'updated', 'execution-policy': 'updated'});
    expect(samePolicy(await deployedDocument(), strictDoc)).toBe(false);
    expect(await presetTags(DEPLOYMENT_ARN)).toEqual(['document']);
    expect(await presetTags(EXECUTION_ARN)).toEqual(['document']);

    const plan = await wizardJson<Report>(sb, ['plan']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.json.policies).toMatchObject({preset: 'document', presetSource: 'recorded'});
  });

  it('only the tag differs: plan shows the policy as drifted and setup re-tags it without a new version', async () => {
    await setup(['--policy', 'strict']);
    await awsOk(sb, ['iam', 'tag-policy', '--policy-arn', EXECUTION_ARN, '--tags', `Key=${TAG},Value=document`]);
    const plan = await wizardJson<Report>(sb, ['plan']);
    expect(plan.code).toBe(3);
    expect(plan.json.steps.find((s) => s.id === 'execution-policy')).toMatchObject({status: 'updated', detail: `records preset document, will record strict (tag ${TAG})`});
    const fixed = await setup([], proxy.url);
    expect(fixed.steps.find((s) => s.id === 'execution-policy')?.status).toBe('updated');
    expect(writes().map((c) => c.action)).toEqual(['TagPolicy']);
    expect(await presetTags(EXECUTION_ARN)).toEqual(['strict']);
  });

  /** A policy folder inside the project: the strict policy for one fixed bucket, which the stage then uses. */
  function projectPolicyFolder(): string {
    const dir = join(sb.project, 'policies');
    mkdirSync(dir);
    writeFileSync(join(dir, 'deployment-policy.json'), JSON.stringify(strictDeploymentPolicy({
      account: '123456789012', partition: 'aws', region: 'us-east-1', projectName: 'demo-app', stage: 'dev',
      roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-fixed-bucket-abc123', settings: {},
    })));
    const settings = JSON.parse(readFileSync(sb.settingsPath, 'utf8')) as {dev: Record<string, unknown>};
    settings.dev.s3_bucket = 'zappa-fixed-bucket-abc123';
    writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
    return dir;
  }

  it('a folder is recorded relative to the project and kept; once deleted, runs stop with exit 2 naming it until --policy chooses again', async () => {
    const dir = projectPolicyFolder();
    await setup(['--policy', 'policies']);
    expect(await presetTags(DEPLOYMENT_ARN)).toEqual(['./policies']);

    const kept = await wizardJson<Report>(sb, ['plan']);
    expect(kept.code, kept.stdout).toBe(0);
    expect(kept.json.policies).toMatchObject({preset: './policies', presetSource: 'recorded'});

    rmSync(dir, {recursive: true});
    const before = snapshot(sb);
    const plan = await wizardJson<Report>(sb, ['plan'], proxy.url);
    expect(plan.code).toBe(2);
    expect(plan.json.error?.message).toContain(dir);
    expect(plan.json.error?.message).toContain('no longer exists');
    expect(plan.json.error?.hint).toContain('--policy');
    const stopped = await wizard(sb, ['setup', '--yes'], proxy.url);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain(dir);
    expect(writes()).toEqual([]);
    expect(snapshot(sb)).toEqual(before);

    const chosen = await setup(['--policy', 'strict']);
    expect(chosen.policies).toMatchObject({preset: 'strict', presetSource: 'flag'});
    expect(await presetTags(DEPLOYMENT_ARN)).toEqual(['strict']);
  });
});
