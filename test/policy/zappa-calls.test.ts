/**
 * Zappa's calls for one stage: the settings decide which calls happen, and
 * every call carries the stage's real ARNs.
 */
import {describe, expect, it} from 'vitest';
import {functionArn, logGroupArn, relevantCommands, roleArn, stageSettings, zappaCalls, type ZappaCall} from '../../src/policy/zappa-calls.js';
import {BUSY_SETTINGS, target} from './fixtures.js';

const actions = (calls: ZappaCall[]) => [...new Set(calls.map((c) => c.action))].sort();
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:demo-app-dev';

describe('calls with real ARNs', () => {
  it('fills in the function, role, bucket, log group, region and account', () => {
    const t = target();
    expect(functionArn(t)).toBe(FN);
    expect(roleArn(t)).toBe('arn:aws:iam::123456789012:role/demo-app-dev-ZappaLambdaExecutionRole');
    expect(logGroupArn(t)).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/demo-app-dev');
    const deploy = zappaCalls(t, 'deploy');
    expect(deploy).toContainEqual(expect.objectContaining({action: 'lambda:CreateFunction', resource: FN}));
    expect(deploy).toContainEqual(expect.objectContaining({action: 'iam:PassRole', resource: roleArn(t)}));
    expect(deploy).toContainEqual(expect.objectContaining({action: 's3:PutObject', resource: 'arn:aws:s3:::zappa-demo-app-k3x9q2m7aa/*'}));
    expect(deploy).toContainEqual(expect.objectContaining({action: 'cloudformation:CreateStack', resource: 'arn:aws:cloudformation:us-east-1:123456789012:stack/demo-app-dev/*'}));
    expect(zappaCalls(t, 'tail').map((c) => c.resource)).toEqual([logGroupArn(t), logGroupArn(t)]);
    for (const call of deploy) expect(call.resource, call.action).not.toMatch(/\$\{/);
  });

  it('names the function as Zappa does: slugify(project-stage)', () => {
    const calls = zappaCalls(target({}, {projectName: 'My_Project', stage: 'Prod'}), 'invoke');
    expect(calls.map((c) => c.resource)).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:my-project-prod']);
  });

  it('uses the partition and region of the stage', () => {
    const calls = zappaCalls(target({}, {partition: 'aws-cn', region: 'cn-north-1'}), 'invoke');
    expect(calls[0]?.resource).toBe('arn:aws-cn:lambda:cn-north-1:123456789012:function:demo-app-dev');
  });

  it('never asks for IAM role creation with manage_roles false', () => {
    const iam = relevantCommands({}).flatMap((c) => zappaCalls(target(), c)).filter((c) => c.action.startsWith('iam:'));
    expect(actions(iam)).toEqual(['iam:GetRole', 'iam:PassRole']);
  });
});

describe('settings decide the calls', () => {
  it('keep_warm (on by default) brings EventBridge into deploy; off, only the clean-up remains', () => {
    expect(actions(zappaCalls(target(), 'deploy'))).toContain('events:PutRule');
    const cold = actions(zappaCalls(target({keep_warm: false}), 'deploy'));
    expect(cold.filter((a) => a.startsWith('events:'))).toEqual([]);
  });

  it('apigateway_enabled false drops API Gateway and CloudFormation from deploy', () => {
    const calls = actions(zappaCalls(target({apigateway_enabled: false}), 'deploy'));
    expect(calls.filter((a) => a.startsWith('apigateway:') || a.startsWith('cloudformation:'))).toEqual([]);
  });

  it('event sources expand to their own buckets and topics', () => {
    const calls = zappaCalls(target(BUSY_SETTINGS), 'schedule');
    expect(calls).toContainEqual(expect.objectContaining({action: 's3:PutBucketNotification', resource: 'arn:aws:s3:::demo-uploads'}));
    expect(calls).toContainEqual(expect.objectContaining({action: 'sns:Subscribe', resource: 'arn:aws:sns:us-east-1:123456789012:demo-topic'}));
    expect(calls).toContainEqual(expect.objectContaining({action: 'sns:SetSubscriptionAttributes'}));
    expect(calls).toContainEqual(expect.objectContaining({action: 'lambda:CreateEventSourceMapping', resource: '*', wildcardOnly: true}));
    expect(calls).toContainEqual(expect.objectContaining({action: 'dynamodb:CreateTable', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/demo-async'}));
    expect(calls).toContainEqual(expect.objectContaining({action: 'sns:CreateTopic', resource: 'arn:aws:sns:us-east-1:123456789012:demo-app-dev-zappa-async'}));
  });

  it('layers and VPC add their checks to deploy', () => {
    const calls = zappaCalls(target(BUSY_SETTINGS), 'deploy');
    expect(calls).toContainEqual(expect.objectContaining({action: 'lambda:GetLayerVersion', resource: 'arn:aws:lambda:us-east-1:123456789012:layer:deps:3'}));
    expect(actions(calls)).toEqual(expect.arrayContaining(['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs']));
  });

  it('certify is proven only when the stage has a domain', () => {
    expect(relevantCommands({})).not.toContain('certify');
    expect(relevantCommands({domain: 'api.example.com'})).toContain('certify');
  });

  it('reads a stage through its extends chain, nearer stages winning', () => {
    const all = {base: {keep_warm: false, tags: {a: 'b'}}, dev: {extends: 'base', tags: {c: 'd'}}};
    expect(stageSettings(all, 'dev')).toEqual({keep_warm: false, tags: {c: 'd'}, extends: 'base'});
    expect(stageSettings({a: {extends: 'b'}, b: {extends: 'a', x: 1}}, 'a')).toEqual({extends: 'b', x: 1});
  });
});

describe('what Zappa tolerates', () => {
  it('marks the refusals Zappa carries on after', () => {
    const update = zappaCalls(target(), 'update');
    expect(update.find((c) => c.action === 'lambda:ListFunctionUrlConfigs')?.tolerated).toMatch(/caught and ignored/);
    expect(update.find((c) => c.action === 'lambda:GetAlias')?.tolerated).toBeUndefined();
    expect(zappaCalls(target(), 'status').find((c) => c.action === 'cloudwatch:GetMetricStatistics')?.tolerated).toMatch(/swallowed/);
  });

  it('is fatal when any of the reasons for a call is fatal', () => {
    // deploy's first GetFunction falls through; the keep-warm one exits.
    expect(zappaCalls(target(), 'deploy').find((c) => c.action === 'lambda:GetFunction')?.tolerated).toBeUndefined();
    expect(zappaCalls(target({keep_warm: false}), 'deploy').find((c) => c.action === 'lambda:GetFunction')?.tolerated).toMatch(/falls through/);
  });

  it('knows sts:GetCallerIdentity needs no permission', () => {
    expect(zappaCalls(target(), 'deploy').find((c) => c.action === 'sts:GetCallerIdentity')?.free).toBe(true);
  });
});
