/**
 * Issue 5, part 3: `--policy strict` is computed from Zappa's calls for the
 * stage's settings; `--policy document` stays the setup document's policy.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {DOCUMENT_TEMPLATES, loadTemplates} from '../../src/app/templates.js';
import {renderTemplate, samePolicy, type PolicyDocument} from '../../src/plan/policy.js';
import {listOf, statementsOf} from '../../src/policy/statements.js';
import {MANAGED_POLICY_MAX_CHARS, strictDeploymentPolicy} from '../../src/policy/strict.js';
import {BUSY_SETTINGS, sharedReference, target} from './fixtures.js';

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

  it('strict replaces only the deployment policy', async () => {
    const templates = await loadTemplates('strict', target());
    expect(templates.execution).toBe(DOCUMENT_TEMPLATES.execution);
    expect(templates.trust).toBe(DOCUMENT_TEMPLATES.trust);
    expect(JSON.parse(templates.deployment)).toEqual(strictDeploymentPolicy(target()));
  });
});
