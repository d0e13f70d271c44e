/**
 * Issue 5, part 4: the permissions in plain words, grouped by service, with
 * why Zappa needs each group and what strict removes.
 */
import {describe, expect, it} from 'vitest';
import {explainPolicy} from '../../src/policy/explain.js';
import {strictDeploymentPolicy} from '../../src/policy/strict.js';
import {documentPolicy, target} from './fixtures.js';

describe('explainPolicy', () => {
  const groups = explainPolicy(documentPolicy(), strictDeploymentPolicy(target()));
  const group = (service: string) => groups.find((g) => g.service === service)!;

  it('groups the setup document by service, IAM first, each with a reason', () => {
    expect(groups.map((g) => g.service)).toEqual(['iam', 'lambda', 's3', 'apigateway', 'cloudformation', 'events', 'logs', 'cloudwatch']);
    for (const g of groups) {
      expect(g.why.length, g.service).toBeGreaterThan(30);
      expect(g.why, g.service).not.toBe('Zappa does not call this service for these settings.');
    }
    expect(group('lambda')).toMatchObject({title: 'AWS Lambda', resources: ['*']});
    expect(group('iam').actions).toEqual(['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:GetRole', 'iam:PassRole', 'iam:PutRolePolicy']);
  });

  it('marks what strict removes, narrows and adds', () => {
    expect(group('iam')).toMatchObject({removedByStrict: ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy'], narrowedByStrict: true});
    expect(group('s3').removedByStrict).toEqual(['s3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts']);
    expect(group('events').removedByStrict).toEqual(['events:ListRules']);
    expect(group('lambda')).toMatchObject({removedByStrict: [], narrowedByStrict: true, addedByStrict: ['lambda:ListFunctionUrlConfigs']});
    expect(group('cloudwatch')).toMatchObject({actions: [], addedByStrict: ['cloudwatch:GetMetricStatistics']});
  });

  it('without a strict document, only explains', () => {
    for (const g of explainPolicy(documentPolicy())) expect(g).toMatchObject({removedByStrict: [], narrowedByStrict: false, addedByStrict: []});
  });

  it('strict explained against itself removes nothing', () => {
    const strict = strictDeploymentPolicy(target());
    for (const g of explainPolicy(strict, strict)) expect(g).toMatchObject({removedByStrict: [], narrowedByStrict: false, addedByStrict: []});
  });

  it('calls out wildcards and services Zappa does not use', () => {
    const broad = explainPolicy({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['*'], Resource: '*'}, {Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '*'}]}, strictDeploymentPolicy(target()));
    expect(broad[0]).toMatchObject({service: '*', title: 'Every AWS service', removedByStrict: ['*']});
    expect(broad.find((g) => g.service === 'dynamodb')).toMatchObject({removedByStrict: ['dynamodb:Scan']});
  });
});

describe('explainDeploymentPolicy', () => {
  it('explains the desired deployment policy against strict for the same stage', async () => {
    const {buildDesiredState} = await import('../../src/plan/desired.js');
    const {DOCUMENT_TEMPLATES} = await import('../../src/app/templates.js');
    const {explainDeploymentPolicy} = await import('../../src/policy/explain.js');
    const t = target();
    const desired = buildDesiredState({
      stage: 'dev', projectName: 'demo-app', userName: 'serverless', profileName: 'serverless', region: 'us-east-1', roleName: t.roleName, bucket: t.bucket,
    }, {account: t.account, partition: 'aws'}, DOCUMENT_TEMPLATES);
    const groups = explainDeploymentPolicy(desired, {dev: {keep_warm: false}});
    expect(groups.find((g) => g.service === 'iam')?.removedByStrict).toEqual(['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy']);
    // keep_warm off: strict keeps only EventBridge's clean-up, so PutRule and PutTargets go.
    expect(groups.find((g) => g.service === 'events')?.removedByStrict).toEqual(['events:ListRules', 'events:PutRule', 'events:PutTargets']);
  });
});
