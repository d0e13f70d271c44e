/**
 * The remembered preset, in memory: what value a preset is recorded as, which
 * preset is in force (flag, recorded, default), and the managed-policy step
 * treating a stale record as drift that only iam:TagPolicy repairs.
 */
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {presetInForce, presetLine, presetTagFor, recordedFolder} from '../../src/app/preset.js';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {Reads} from '../../src/engine/reads.js';
import type {StepContext} from '../../src/engine/step.js';
import {UserError} from '../../src/errors.js';
import {buildDesiredState, IDENTITY_TAG, PRESET_TAG} from '../../src/plan/desired.js';
import {deploymentPolicyStep} from '../../src/steps/managed-policy.js';
import {FakeAws} from '../fakes/fake-aws.js';

const IDENTITY = {account: '123456789012', partition: 'aws'};
const ARN = 'arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy';
const ANSWERS = {
  stage: 'dev', projectName: 'demo-app', userName: 'serverless', profileName: 'serverless', region: 'eu-west-1',
  roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-demo-app-abc123def4',
};

let root: string;
let project: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zw-preset-'));
  project = join(root, 'project');
  mkdirSync(join(project, 'policies', 'tight'), {recursive: true});
});
afterEach(() => rmSync(root, {recursive: true, force: true}));

describe('the recorded value of a preset', () => {
  it('is the preset name for document and strict', () => {
    expect(presetTagFor('document', project, project)).toEqual({tag: 'document'});
    expect(presetTagFor('strict', project, project)).toEqual({tag: 'strict'});
  });

  it('is ./path for a folder inside the project folder, wherever the run started', () => {
    expect(presetTagFor('policies/tight', project, project)).toEqual({tag: './policies/tight'});
    expect(presetTagFor('project/policies', project, root)).toEqual({tag: './policies'});
    expect(presetTagFor('.', project, project)).toEqual({tag: '.'});
  });

  it('is the absolute path for a folder outside the project folder', () => {
    expect(presetTagFor('../elsewhere', project, project)).toEqual({tag: join(root, 'elsewhere')});
  });

  it('is not recorded, with a warning naming the folder, when IAM cannot hold it in a tag', () => {
    const odd = presetTagFor('policies (v2)', project, project);
    expect(odd.tag).toBeUndefined();
    expect(odd.warning).toContain('./policies (v2) cannot be recorded');
    expect(odd.warning).toContain('pass --policy policies (v2) every time');
    expect(presetTagFor(`p/${'x'.repeat(260)}`, project, project).tag).toBeUndefined();
  });

  it('reads back as the same folder (./ so that a folder named strict is not the preset)', () => {
    mkdirSync(join(project, 'strict'));
    const {tag} = presetTagFor('./strict', project, project);
    expect(tag).toBe('./strict');
    expect(recordedFolder(tag!, project, project)).toEqual({preset: './strict', absolute: join(project, 'strict')});
    expect(recordedFolder(tag!, project, root).preset).toBe('./project/strict');
    expect(presetTagFor(recordedFolder(tag!, project, root).preset, project, root).tag).toBe(tag);
  });
});

describe('the preset in force', () => {
  const settings = () => join(project, 'zappa_settings.json');
  async function withRecorded(value: string | undefined): Promise<Reads> {
    const aws = new FakeAws();
    await aws.createPolicy('ZappaLambdaDeploymentPolicy', {Version: '2012-10-17', Statement: []}, '', value === undefined ? {} : {[PRESET_TAG]: value});
    return new Reads(aws);
  }

  it('is --policy when given, whatever is recorded', async () => {
    const reads = await withRecorded('strict');
    expect(await presetInForce({flag: 'document', settings: settings(), documentsMatter: true, reads, identity: IDENTITY}))
      .toEqual({preset: 'document', source: 'flag', tag: 'document'});
  });

  it('is the recorded one without --policy, else document', async () => {
    const query = {settings: settings(), documentsMatter: true, identity: IDENTITY};
    expect(await presetInForce({...query, reads: await withRecorded('strict')})).toEqual({preset: 'strict', source: 'recorded', tag: 'strict'});
    expect(await presetInForce({...query, reads: await withRecorded(undefined)})).toEqual({preset: 'document', source: 'default', tag: 'document'});
    expect(await presetInForce({...query, reads: new Reads(new FakeAws())})).toEqual({preset: 'document', source: 'default', tag: 'document'});
  });

  it('is a recorded folder, resolved from the project folder', async () => {
    const found = await presetInForce({settings: settings(), documentsMatter: true, identity: IDENTITY, reads: await withRecorded('./policies/tight')});
    expect(found.source).toBe('recorded');
    expect(found.tag).toBe('./policies/tight');
    expect(resolve(found.preset)).toBe(join(project, 'policies', 'tight'));
  });

  it('stops (UserError) when the recorded folder is gone, naming it and --policy', async () => {
    const reads = await withRecorded('./policies/gone');
    const err = await presetInForce({settings: settings(), documentsMatter: true, identity: IDENTITY, reads}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain(join(project, 'policies', 'gone'));
    expect((err as UserError).hint).toContain('--policy');
    // teardown and rotate-key do not judge the documents: they go on.
    expect(await presetInForce({settings: settings(), documentsMatter: false, identity: IDENTITY, reads})).toEqual({preset: 'document', source: 'default'});
  });

  it('is named with its reason for the plan', () => {
    expect(presetLine({preset: 'strict', presetSource: 'recorded'})).toBe('Policy preset: strict (recorded on ZappaLambdaDeploymentPolicy by an earlier run)');
    expect(presetLine({preset: 'strict', presetSource: 'flag'})).toBe('Policy preset: strict (from --policy)');
    expect(presetLine({preset: 'document', presetSource: 'default'})).toBe('Policy preset: document (the default: the setup document\'s policies)');
  });
});

describe('the managed-policy step and the recorded preset', () => {
  function ctxFor(aws: FakeAws, tag: string | undefined): StepContext {
    const desired = buildDesiredState(ANSWERS, IDENTITY, DOCUMENT_TEMPLATES, {source: 'flag', ...(tag === undefined ? {} : {tag})});
    return {desired, reads: new Reads(aws), aws, files: undefined as never, run: {}, setup: 'npx zappa-iam-wizard setup', progress: () => {}, sleep: async () => {}};
  }

  it('creates the policy with the preset (and the deploy identity\'s kind) recorded beside ManagedBy', async () => {
    const aws = new FakeAws();
    const ctx = ctxFor(aws, 'strict');
    const check = await deploymentPolicyStep.check(ctx);
    expect(check.state).toBe('missing');
    await deploymentPolicyStep.apply(ctx, check);
    expect(aws.policies.get(ARN)?.tags).toEqual({ManagedBy: 'zappa-iam-wizard', [PRESET_TAG]: 'strict', [IDENTITY_TAG]: 'user'});
  });

  it('reports a stale record as drift, and repairs it with TagPolicy alone', async () => {
    const aws = new FakeAws();
    await deploymentPolicyStep.apply(ctxFor(aws, 'document'), {state: 'missing', detail: ''});
    const ctx = ctxFor(aws, 'strict');
    const check = await deploymentPolicyStep.check(ctx);
    expect(check).toMatchObject({state: 'drifted', detail: `records preset document, will record strict (tag ${PRESET_TAG})`});
    aws.calls = [];
    const result = await deploymentPolicyStep.apply(ctx, check);
    expect(result.status).toBe('updated');
    expect(aws.writes()).toEqual(['tagPolicy']);
    expect(aws.policies.get(ARN)?.tags[PRESET_TAG]).toBe('strict');
    expect((await deploymentPolicyStep.check(ctxFor(aws, 'strict'))).state).toBe('present');
  });

  it('counts a policy without the tag as recording document', async () => {
    const aws = new FakeAws();
    await deploymentPolicyStep.apply(ctxFor(aws, undefined), {state: 'missing', detail: ''});
    expect(aws.policies.get(ARN)?.tags[PRESET_TAG]).toBeUndefined();
    expect((await deploymentPolicyStep.check(ctxFor(aws, 'document'))).state).toBe('present');
    expect((await deploymentPolicyStep.check(ctxFor(aws, 'strict'))).state).toBe('drifted');
    // A preset that cannot be recorded leaves the tag alone.
    expect((await deploymentPolicyStep.check(ctxFor(aws, undefined))).state).toBe('present');
  });
});
