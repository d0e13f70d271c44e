/**
 * Everything a policy update deletes is in the plan (issue 13): the
 * statements someone added by hand to the default version, and the old
 * version IAM's limit of five makes the update delete. In-memory fake.
 */
import {describe, expect, it} from 'vitest';
import {deploymentPolicyStep, droppedStatements} from '../../src/steps/managed-policy.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {engineSandbox} from '../fakes/engine-sandbox.js';
import type {PolicyDocument} from '../../src/plan/policy.js';

const ADDED = {Sid: 'MyReports', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::reports/*'};

describe('the deployment policy row, when the default version was edited by hand', () => {
  const {context} = engineSandbox('zw-policy-plan-');

  it('names the statement the update leaves out, and the old version it deletes at the limit', async () => {
    const aws = new FakeAws();
    const ctx = await context(aws);
    const target = ctx.desired.deploymentPolicy;
    const edited: PolicyDocument = {...target.document, Statement: [...(target.document.Statement as object[]), ADDED] as PolicyDocument['Statement']};
    await aws.createPolicy(target.name, target.document, '', {ManagedBy: 'zappa-iam-wizard'});
    for (let i = 0; i < 4; i++) await aws.createPolicyVersion(target.arn, edited);
    const check = await deploymentPolicyStep.check(ctx);
    expect(check.state).toBe('drifted');
    expect(check.detail).toContain('the new version leaves out statement "MyReports" (Allow s3:GetObject, s3:PutObject) of v5');
    expect(check.detail).toContain('will delete old version v1 to make room (IAM keeps at most 5)');
  });

  it('lists nothing as dropped when the new version has the statement, or changes one with the same Sid', () => {
    const doc: PolicyDocument = {Version: '2012-10-17', Statement: [ADDED]};
    expect(droppedStatements(doc, doc)).toEqual([]);
    expect(droppedStatements(doc, {Version: '2012-10-17', Statement: [{...ADDED, Action: 's3:GetObject'}]})).toEqual([]);
    expect(droppedStatements(doc, {Version: '2012-10-17', Statement: []})).toEqual(['statement "MyReports" (Allow s3:GetObject, s3:PutObject)']);
  });
});
