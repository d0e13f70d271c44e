/**
 * Issue 5, part 3: `--policy strict` is computed from the stage's settings
 * (the deployment policy from Zappa's calls, the execution policy and the
 * trust from what the stage needs); `--policy document` starts from the setup
 * document's policies.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {DOCUMENT_TEMPLATES, loadTemplates} from '../../src/app/templates.js';
import {renderTemplate, samePolicy, type PolicyDocument} from '../../src/plan/policy.js';
import {listOf, statementsOf} from '../../src/policy/statements.js';
import {policySetFor} from '../../src/policy/policy-set.js';
import {MANAGED_POLICY_MAX_CHARS, strictDeploymentPolicy} from '../../src/policy/strict.js';
import {BUSY_SETTINGS, documentPolicy, sharedReference, target} from './fixtures.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:demo-app-dev';
const ROLE = 'arn:aws:iam::123456789012:role/demo-app-dev-ZappaLambdaExecutionRole';
const BUCKET = 'arn:aws:s3:::zappa-demo-app-k3x9q2m7aa';
const LOGS = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/demo-app-dev';

/** Every (action, resource) pair the policy grants. */
function grants(doc: PolicyDocument): {action: string; resource: string}[] {
  return statementsOf(doc).flatMap((s) => {
    expect(s.Effect).toBe('Allow');
    return listOf(s.Action).flatMap((action) => listOf(s.Resource).map((resource) => ({action, resource})));
  });
}
const ofService = (doc: PolicyDocument, service: string) => grants(doc).filter((g) => g.action.startsWith(`${service}:`));

describe('strict for a default stage', () => {
  const strict = strictDeploymentPolicy(target());

  it('grants no IAM action but GetRole and PassRole, on the one role', () => {
    expect(ofService(strict, 'iam')).toEqual([{action: 'iam:GetRole', resource: ROLE}, {action: 'iam:PassRole', resource: ROLE}]);
  });

  it('grants S3 on the one bucket, Lambda on the one function, Logs on its log group', () => {
    for (const g of ofService(strict, 's3')) expect([BUCKET, `${BUCKET}/*`]).toContain(g.resource);
    for (const g of ofService(strict, 'lambda')) expect([FN, `${FN}:*`]).toContain(g.resource);
    for (const g of ofService(strict, 'logs')) {
      expect([LOGS, `${LOGS}:*`, 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Execution-Logs_*/dev', 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Execution-Logs_*/dev:*']).toContain(g.resource);
    }
    expect(ofService(strict, 'lambda').map((g) => g.action)).toContain('lambda:CreateFunction');
    expect(ofService(strict, 's3').map((g) => g.action)).toContain('s3:PutObject');
  });

  it('grants "*" only to actions AWS authorizes on nothing narrower', () => {
    expect(grants(strict).filter((g) => g.resource === '*').map((g) => g.action).sort()).toEqual(['cloudwatch:GetMetricStatistics', 'events:ListRuleNamesByTarget']);
  });

  it('leaves out what the setup document grants but Zappa never calls', () => {
    const actions = grants(strict).map((g) => g.action);
    for (const unused of ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'events:ListRules', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts']) {
      expect(actions).not.toContain(unused);
    }
  });

  it('is readable: statements per service, Sids that say what they cover', () => {
    expect(statementsOf(strict).map((s) => s.Sid)).toEqual(expect.arrayContaining(['IamRole', 'S3Bucket', 'S3Objects', 'LambdaFunction', 'LogsLogGroup', 'EventsRule', 'CloudformationStack']));
    expect(strict.Version).toBe('2012-10-17');
  });
});

describe('optional services only when the settings use them', () => {
  const services = (settings: Record<string, unknown>) => [...new Set(grants(strictDeploymentPolicy(target(settings))).map((g) => g.action.split(':')[0]))].sort();

  it('keep_warm off and no schedules: no EventBridge action but the clean-up lookup', () => {
    const strict = strictDeploymentPolicy(target({keep_warm: false}));
    expect(ofService(strict, 'events').map((g) => g.action).sort()).toEqual(['events:DeleteRule', 'events:DescribeRule', 'events:ListRuleNamesByTarget', 'events:ListTargetsByRule', 'events:RemoveTargets']);
    expect(ofService(strict, 'events').map((g) => g.action)).not.toContain('events:PutRule');
  });

  it('no API Gateway: no apigateway or cloudformation', () => {
    expect(services({apigateway_enabled: false})).toEqual(['cloudwatch', 'events', 'iam', 'lambda', 'logs', 's3']);
  });

  it('event sources, async tasks and VPC add exactly their services, on their resources', () => {
    expect(services(BUSY_SETTINGS)).toEqual(['apigateway', 'cloudformation', 'cloudwatch', 'dynamodb', 'ec2', 'events', 'iam', 'lambda', 'logs', 's3', 'sns']);
    const strict = strictDeploymentPolicy(target(BUSY_SETTINGS));
    expect(ofService(strict, 'dynamodb').map((g) => g.resource)).toEqual(['arn:aws:dynamodb:us-east-1:123456789012:table/demo-async', 'arn:aws:dynamodb:us-east-1:123456789012:table/demo-async', 'arn:aws:dynamodb:us-east-1:123456789012:table/demo-async']);
    expect(ofService(strict, 's3').map((g) => g.resource)).toContain('arn:aws:s3:::demo-uploads');
    expect(ofService(strict, 's3').filter((g) => g.resource === 'arn:aws:s3:::demo-uploads').map((g) => g.action).sort()).toEqual(['s3:GetBucketNotification', 's3:PutBucketNotification']);
    expect(services({})).not.toContain('sns');
  });

  it('fits in one managed policy for busy settings', () => {
    expect(JSON.stringify(strictDeploymentPolicy(target(BUSY_SETTINGS))).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
  });

  it('shrinks without granting more when many features are on', () => {
    const settings = {...BUSY_SETTINGS, alb_enabled: true};
    const doc = strictDeploymentPolicy(target(settings));
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    const anyResource = statementsOf(doc).find((s) => s.Sid === 'AnyResource');
    expect(listOf(anyResource?.Resource)).toEqual(['*']);
    expect(listOf(anyResource?.Action)).toEqual(expect.arrayContaining(['cloudwatch:GetMetricStatistics', 'ec2:DescribeVpcs', 'elasticloadbalancing:DescribeLoadBalancers', 'events:ListRuleNamesByTarget']));
    // Same grants as the unmerged form: only actions that were granted on "*" anyway.
    expect(grants(doc).filter((g) => g.resource === '*').map((g) => g.action).sort()).toEqual(grants(strictDeploymentPolicy(target(BUSY_SETTINGS))).filter((g) => g.resource === '*').map((g) => g.action).concat(['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth']).sort());
    // Still bigger: the Sids go too.
    const bigger = strictDeploymentPolicy(target({...settings, function_url_enabled: true}));
    expect(statementsOf(bigger).every((s) => s.Sid === undefined)).toBe(true);
    expect(JSON.stringify(bigger).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
  });

  it('does not fit when nearly every feature is on, and the lint says so before any write', async () => {
    const {lintPolicy} = await import('../../src/policy/lint.js');
    const all = {...BUSY_SETTINGS, alb_enabled: true, function_url_enabled: true, efs_config: [{}], api_key_required: true, domain: 'api.example.com', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x'};
    expect(lintPolicy({name: 'strict', document: strictDeploymentPolicy(target(all))}).map((i) => i.message)).toEqual([expect.stringMatching(/IAM accepts at most 6144 for a managed policy/)]);
  });
});

describe('--policy document', () => {
  it('stays exactly the setup document', async () => {
    const templates = await loadTemplates('document');
    expect(templates).toBe(DOCUMENT_TEMPLATES);
    const bundled = readFileSync(new URL('../../templates/deployment-policy.json', import.meta.url), 'utf8');
    expect(samePolicy(JSON.parse(templates.deployment) as PolicyDocument, JSON.parse(bundled) as PolicyDocument)).toBe(true);
    const fill = (t: string) => renderTemplate(t, {accountId: '123456789012', partition: 'aws'});
    expect(samePolicy(fill(templates.deployment), fill(sharedReference('policies/ZappaLambdaDeploymentPolicy.json')))).toBe(true);
  });

  it('document for the setup document\'s own example settings: nothing added, the three role-management actions left out, trust apigateway + lambda', () => {
    const example = target({keep_warm: false});
    const set = policySetFor('document', DOCUMENT_TEMPLATES, example, 'serverless');
    expect(set.additions).toEqual([]);
    expect(set.trustServices).toEqual(['apigateway.amazonaws.com', 'lambda.amazonaws.com']);
    expect(set.trust).toEqual(renderTemplate(DOCUMENT_TEMPLATES.trust, {accountId: '123456789012', partition: 'aws'}));
    expect(set.omissions).toEqual([{actions: ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy'], reason: expect.stringContaining('manage_roles')}]);
    // The deployment policy is the document's, with exactly those three actions gone.
    const documentGrants = grants(documentPolicy());
    const removed = documentGrants.filter((g) => !grants(set.deployment).some((h) => h.action === g.action && h.resource === g.resource));
    expect([...new Set(removed.map((g) => g.action))].sort()).toEqual(['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy']);
    expect(grants(set.deployment).length).toBe(documentGrants.length - removed.length);
    // The execution policy is the document's as written.
    expect(set.execution).toEqual(renderTemplate(DOCUMENT_TEMPLATES.execution, {accountId: '123456789012', partition: 'aws'}));
  });

  it('document with keep_warm on (Zappa\'s default) adds EventBridge to the trust, named with its reason', () => {
    const set = policySetFor('document', DOCUMENT_TEMPLATES, target(), 'serverless');
    expect(set.trustServices).toEqual(['apigateway.amazonaws.com', 'events.amazonaws.com', 'lambda.amazonaws.com']);
    expect(set.additions).toEqual([{policy: 'trust', setting: 'keep_warm / events', reason: expect.stringContaining('keep_warm'), actions: ['events.amazonaws.com']}]);
  });

  it('strict computes all three documents from the stage, not from the setup document', async () => {
    // loadTemplates hands strict the document's templates; policySetFor replaces every one of them.
    const templates = await loadTemplates('strict');
    expect(templates).toBe(DOCUMENT_TEMPLATES);
    const set = policySetFor('strict', templates, target(), 'serverless');
    expect(set.preset).toBe('strict');
    expect(set.deployment).toEqual(strictDeploymentPolicy(target()));
    // Execution: the function's own log group and invoking itself, nothing on "*".
    expect(set.execution).toEqual({Version: '2012-10-17', Statement: [
      {Sid: 'FunctionLogs', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [LOGS, `${LOGS}:*`]},
      {Sid: 'InvokeItself', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [FN, `${FN}:*`]},
    ]});
    expect(grants(set.execution).filter((g) => g.resource === '*')).toEqual([]);
    // Trust: keep_warm is on by default, so EventBridge joins Lambda and API Gateway.
    expect(set.trust).toEqual({Version: '2012-10-17', Statement: [
      {Effect: 'Allow', Principal: {Service: ['apigateway.amazonaws.com', 'events.amazonaws.com', 'lambda.amazonaws.com']}, Action: 'sts:AssumeRole'},
    ]});
    expect(set.trustServices).toEqual(['apigateway.amazonaws.com', 'events.amazonaws.com', 'lambda.amazonaws.com']);
    expect(set.omissions).toEqual([]);
    expect(set.additions).toEqual([]);
  });

  it('strict trusts only the services the settings hand the role to, and adds what the settings need to the execution policy', () => {
    const http = policySetFor('strict', DOCUMENT_TEMPLATES, target({keep_warm: false, apigateway_version: 'v2'}), 'serverless');
    expect(http.trustServices).toEqual(['lambda.amazonaws.com']);
    expect(http.trust).toEqual({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: ['lambda.amazonaws.com']}, Action: 'sts:AssumeRole'}]});
    const vpc = policySetFor('strict', DOCUMENT_TEMPLATES, target({keep_warm: false, vpc_config: {SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1']}}), 'serverless');
    expect(vpc.trustServices).toEqual(['apigateway.amazonaws.com', 'lambda.amazonaws.com']);
    expect(statementsOf(vpc.execution).map((st) => st.Sid)).toEqual(['FunctionLogs', 'InvokeItself', 'VpcNetworkInterfaces']);
    expect(vpc.additions).toEqual([{policy: 'execution', setting: 'vpc_config', reason: expect.stringContaining('network interfaces'),
      actions: ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:UnassignPrivateIpAddresses']}]);
  });
});
