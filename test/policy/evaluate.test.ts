/**
 * The offline evaluator against @cloud-copilot/iam-simulate (a full IAM
 * simulator, used here as the oracle): same policies, same requests, same
 * decision. The requests are every call Zappa makes for several settings
 * plus the proof's denial probes.
 */
import {runSimulation} from '@cloud-copilot/iam-simulate';
import {describe, expect, it} from 'vitest';
import type {PolicyDocument} from '../../src/plan/policy.js';
import {evaluate, type Decision} from '../../src/policy/evaluate.js';
import {contextFor, provePermissions, requestContext} from '../../src/policy/proof.js';
import {strictDeploymentPolicy} from '../../src/policy/strict.js';
import {allZappaCalls} from '../../src/policy/zappa-calls.js';
import {ACCOUNT, BUSY_SETTINGS, documentPolicy, target} from './fixtures.js';

const SIM_DECISION: Record<string, Decision> = {Allowed: 'allowed', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny'};
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/serverless`;

/** Features BUSY_SETTINGS leaves off, so their calls are compared too. */
const MORE_SETTINGS = {
  alb_enabled: true, function_url_enabled: true, efs_config: [{}], snap_start: 'PublishedVersions', num_retained_versions: 3,
  api_key_required: true, api_key: 'key', lambda_concurrency: 2, cognito: {user_pool: 'us-east-1_Abc'},
  certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', domain: 'api.example.com', cors: true,
};

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({Version: '2012-10-17', Statement});

const POLICIES: Record<string, PolicyDocument> = {
  document: documentPolicy(),
  strict: strictDeploymentPolicy(target()),
  strictBusy: strictDeploymentPolicy(target(BUSY_SETTINGS)),
  strictMore: strictDeploymentPolicy(target(MORE_SETTINGS)),
  adminButNoIam: doc({Effect: 'Allow', Action: '*', Resource: '*'}, {Effect: 'Deny', Action: 'iam:*', Resource: '*'}),
  notAction: doc({Effect: 'Allow', NotAction: ['iam:*', 'sts:*', 'organizations:*'], Resource: '*'}),
  notResourceDeny: doc(
    {Effect: 'Allow', Action: ['s3:*', 'lambda:*'], Resource: '*'},
    {Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::zappa-*', 'arn:aws:s3:::zappa-*/*']},
  ),
  regionCondition: doc(
    {Effect: 'Allow', Action: ['lambda:*', 'logs:*'], Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'us-east-1'}}},
    {Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: {StringNotEquals: {'aws:RequestedRegion': ['eu-west-1', 'eu-west-2']}}},
    {Effect: 'Allow', Action: 'events:*', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}},
  ),
  passRoleCondition: doc(
    {Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'lambda.amazonaws.com'}}},
    {Effect: 'Allow', Action: 'iam:GetRole', Resource: 'arn:aws:iam::*:role/*-ZappaLambdaExecutionRole', Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:user/server*'}}},
  ),
  mfaRequired: doc(
    {Effect: 'Allow', Action: '*', Resource: '*'},
    {Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': 'false'}}},
  ),
  variables: doc({Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:GetRole'], Resource: ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:role/demo-*']}),
  partialDeny: doc(
    {Effect: 'Allow', Action: ['events:*', 'cloudformation:*'], Resource: '*'},
    {Effect: 'Deny', Action: 'events:*', Resource: 'arn:aws:events:*:*:rule/other-*'},
    {Effect: 'Deny', Action: 'cloudformation:*', Resource: 'arn:aws:cloudformation:*:*:stack/*'},
  ),
  wildcardOnlyMisuse: doc({Effect: 'Allow', Action: ['events:ListRuleNamesByTarget', 'cloudwatch:GetMetricStatistics', 'lambda:*'], Resource: 'arn:aws:lambda:*:*:function:*'}),
};

interface Probe { action: string; resource: string; wildcardOnly?: boolean }

function probes(): Probe[] {
  const seen = new Set<string>();
  const out: Probe[] = [];
  const add = (p: Probe) => {
    const key = `${p.action} ${p.resource}`;
    if (!seen.has(key)) out.push(p), seen.add(key);
  };
  for (const settings of [{}, BUSY_SETTINGS, MORE_SETTINGS, {domain: 'api.example.com'}]) {
    for (const c of allZappaCalls(target(settings))) if (!c.free) add(c);
  }
  // The proof's denial probes (no-other-services is read from the statements, not probed).
  for (const d of provePermissions({policies: [], target: target(), userName: 'serverless'}).denials) for (const c of d.checks) add(c);
  return out;
}

async function simulate(policy: PolicyDocument, p: Probe): Promise<Decision | string> {
  const context = contextFor(p.action, requestContext(target(), 'serverless'));
  const result = await runSimulation({
    identityPolicies: [{name: 'p', policy}], serviceControlPolicies: [], resourceControlPolicies: [],
    request: {action: p.action, principal: USER_ARN, resource: {resource: p.resource, accountId: ACCOUNT}, contextVariables: context.values},
  }, {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`;
  return SIM_DECISION[result.overallResult] ?? result.overallResult;
}

describe('evaluate agrees with iam-simulate', () => {
  const all = probes();

  it('has a broad set of requests to compare', () => {
    expect(all.length).toBeGreaterThan(120);
  });

  for (const [name, policy] of Object.entries(POLICIES)) {
    it(`on the ${name} policy`, async () => {
      const mismatches: string[] = [];
      for (const p of all) {
        const context = contextFor(p.action, requestContext(target(), 'serverless'));
        const ours = evaluate([{name, document: policy}], {...p, context}).decision;
        const theirs = await simulate(policy, p);
        if (ours !== theirs) mismatches.push(`${p.action} ${p.resource}: ours ${ours}, iam-simulate ${theirs}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});

describe('what cannot be known offline', () => {
  it('is uncertain, not guessed', () => {
    const policy = doc({Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: {IpAddress: {'aws:SourceIp': '203.0.113.0/24'}}});
    const context = requestContext(target(), 'serverless');
    expect(evaluate([{name: 'ip', document: policy}], {action: 's3:PutObject', resource: 'arn:aws:s3:::zappa-x/k', context})).toEqual({decision: 'uncertain', by: {policy: 'ip', index: 0}});
    const deny = doc({Effect: 'Allow', Action: '*', Resource: '*'}, {Sid: 'Office', Effect: 'Deny', Action: '*', Resource: '*', Condition: {NotIpAddress: {'aws:SourceIp': '203.0.113.0/24'}}});
    expect(evaluate([{name: 'd', document: deny}], {action: 's3:PutObject', resource: 'arn:aws:s3:::zappa-x/k', context})).toEqual({decision: 'uncertain', by: {policy: 'd', index: 1, sid: 'Office'}});
  });

  it('cites the statement that decided', () => {
    const context = requestContext(target(), 'serverless');
    expect(evaluate([{name: 'ZappaLambdaDeploymentPolicy', document: documentPolicy()}], {action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/x-ZappaLambdaExecutionRole`, context}))
      .toEqual({decision: 'allowed', by: {policy: 'ZappaLambdaDeploymentPolicy', index: 0}});
  });
});
