/**
 * Issue 5, part 2: the proof per Zappa command (allowed N/N, what is
 * missing, whether Zappa tolerates it) and the refusals that matter.
 */
import {describe, expect, it} from 'vitest';
import type {PolicyDocument} from '../../src/plan/policy.js';
import {provePermissions, zappaServices, type Proof} from '../../src/policy/proof.js';
import {proofLines} from '../../src/policy/proof-text.js';
import {proofVerdict} from '../../src/policy/verdict.js';
import {strictDeploymentPolicy} from '../../src/policy/strict.js';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {renderTemplate} from '../../src/plan/policy.js';
import {proveRole} from '../../src/policy/role-proof.js';
import {ACCOUNT, BUSY_SETTINGS, documentPolicy, target} from './fixtures.js';

const prove = (document: PolicyDocument, settings: Record<string, unknown> = {}, more: PolicyDocument[] = []): Proof =>
  provePermissions({
    policies: [{name: 'ZappaLambdaDeploymentPolicy', document}, ...more.map((d, i) => ({name: `Extra${i + 1}`, document: d}))],
    target: target(settings), userName: 'serverless',
  });
const denial = (p: Proof, id: string) => p.denials.find((d) => d.id === id)!;
const command = (p: Proof, name: string) => p.commands.find((c) => c.command === name)!;

describe("the setup document's policy", () => {
  const proof = prove(documentPolicy());

  it('allows every call Zappa cannot do without, for every command', () => {
    expect(proof.commands.map((c) => c.command)).toEqual(['deploy', 'update', 'undeploy', 'schedule', 'unschedule', 'status', 'tail', 'rollback', 'invoke', 'manage']);
    expect(proof.commands.filter((c) => !c.ok)).toEqual([]);
    for (const c of proof.commands) expect(c.total, c.command).toBeGreaterThan(0);
  });

  it('misses exactly the two calls Zappa tolerates losing, and says what happens', () => {
    const missing = proof.commands.flatMap((c) => c.missing.map((m) => ({command: c.command, action: m.action, tolerated: m.tolerated})));
    expect(missing).toEqual([
      {command: 'update', action: 'lambda:ListFunctionUrlConfigs', tolerated: true},
      {command: 'status', action: 'cloudwatch:GetMetricStatistics', tolerated: true},
    ]);
    expect(command(proof, 'update')).toMatchObject({allowed: command(proof, 'update').total - 1});
    expect(command(proof, 'status').missing[0]?.effect).toMatch(/shows 0 invocations/);
  });

  it('refuses user and key creation, S3 outside zappa-* and other services', () => {
    expect(denial(proof, 'no-user-or-key-creation').holds).toBe(true);
    expect(denial(proof, 'no-s3-outside-zappa').holds).toBe(true);
    expect(denial(proof, 'no-other-services')).toMatchObject({holds: true, services: []});
  });

  it('does not refuse passing other Zappa roles, or creating and changing roles', () => {
    const pass = denial(proof, 'no-other-roles');
    expect(pass.holds).toBe(false);
    expect(pass.checks.filter((c) => c.decision === 'allowed').map((c) => c.resource)).toEqual(['arn:aws:iam::123456789012:role/another-app-dev-ZappaLambdaExecutionRole']);
    const roles = denial(proof, 'no-role-changes');
    expect(roles.checks.filter((c) => c.decision === 'allowed').map((c) => c.action)).toEqual(['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy']);
    expect(roles.checks[0]?.by).toEqual({policy: 'ZappaLambdaDeploymentPolicy', index: 0});
    expect(proof.ok).toBe(false);
  });
});

describe('the strict policy', () => {
  for (const [name, settings] of Object.entries({
    defaults: {}, 'keep_warm off': {keep_warm: false}, 'no API Gateway': {apigateway_enabled: false}, busy: BUSY_SETTINGS,
    'custom domain': {domain: 'api.example.com', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc'},
    'function URL and ALB': {function_url_enabled: true, alb_enabled: true},
  })) {
    it(`passes with 100% of Zappa's calls allowed and every refusal holding (${name})`, () => {
      const proof = prove(strictDeploymentPolicy(target(settings)), settings);
      expect(proof.commands.filter((c) => c.allowed !== c.total)).toEqual([]);
      expect(proof.denials.filter((d) => !d.holds)).toEqual([]);
      expect(proof.ok).toBe(true);
    });
  }
});

describe('policies that break Zappa or grant too much', () => {
  it("the first Cisco policy (no lambda:DeleteFunctionConcurrency) makes every update fail", () => {
    const doc = documentPolicy();
    const statements = doc.Statement as {Action: string[]}[];
    statements[1]!.Action = statements[1]!.Action.filter((a) => a !== 'lambda:DeleteFunctionConcurrency');
    const proof = prove(doc);
    expect(command(proof, 'update')).toMatchObject({ok: false, missing: expect.arrayContaining([expect.objectContaining({action: 'lambda:DeleteFunctionConcurrency', tolerated: false})])});
    expect(command(proof, 'deploy').ok).toBe(true);
  });

  it('an explicit Deny is named as the reason', () => {
    const deny = {Version: '2012-10-17', Statement: [{Sid: 'NoLambdaDelete', Effect: 'Deny', Action: 'lambda:DeleteFunction', Resource: '*'}]};
    const missing = command(prove(documentPolicy(), {}, [deny]), 'undeploy').missing;
    expect(missing).toEqual([expect.objectContaining({action: 'lambda:DeleteFunction', decision: 'explicit-deny', by: {policy: 'Extra1', index: 0, sid: 'NoLambdaDelete'}})]);
  });

  it('an administrator policy passes every command but no refusal', () => {
    const proof = prove(documentPolicy(), {}, [{Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}]);
    expect(proof.commands.every((c) => c.allowed === c.total)).toBe(true);
    expect(proof.denials.filter((d) => d.holds).map((d) => d.id)).toEqual([]);
    expect(denial(proof, 'no-other-services').services).toEqual(['*']);
  });

  it('names other services the policies reach', () => {
    const extra = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['dynamodb:Query', 'sqs:SendMessage', 'lambda:GetFunction'], Resource: '*'}]};
    expect(denial(prove(documentPolicy(), {}, [extra]), 'no-other-services').services).toEqual(['dynamodb', 'sqs']);
    // With an async response table DynamoDB is Zappa's own; an SQS event source is read by
    // Lambda through the execution role, so the deploy user still needs nothing from SQS.
    expect(denial(prove(documentPolicy(), BUSY_SETTINGS, [extra]), 'no-other-services').services).toEqual(['sqs']);
  });

  it("knows which services Zappa uses for the settings", () => {
    expect(zappaServices(target())).toEqual(['apigateway', 'cloudformation', 'cloudwatch', 'events', 'iam', 'lambda', 'logs', 's3']);
    expect(zappaServices(target({keep_warm: false, apigateway_enabled: false}))).not.toContain('apigateway');
  });

  it('a policy that could not be read makes the proof partial', () => {
    const proof = provePermissions({policies: [{name: 'd', document: strictDeploymentPolicy(target())}], target: target(), userName: 'serverless', unreadable: ['TeamPolicy']});
    expect(proof.ok).toBe(false);
    expect(proofLines(proof, 'strict')).toContain('  ! could not read TeamPolicy; the proof leaves it out');
  });
});

describe('proof lines', () => {
  it('show N/N per command, what Zappa tolerates, and the refusals', () => {
    const lines = proofLines(prove(documentPolicy()), 'document');
    expect(lines[0]).toBe('Permissions of serverless, checked offline against what Zappa calls for this stage (ZappaLambdaDeploymentPolicy):');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✔ update +\d+\/\d+ allowed \(lambda:ListFunctionUrlConfigs refused; Zappa carries on\)$/));
    expect(lines).toContainEqual('  ✔ No IAM user or access key creation');
    // Refusals that do not hold are warnings (!): Zappa works, the user may do more than it needs.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}! No passing roles other than the execution role: allowed iam:PassRole on arn:aws:iam::123456789012:role\/another-app-dev-ZappaLambdaExecutionRole \(ZappaLambdaDeploymentPolicy statement 1\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}! No creating roles or changing their permissions: allowed iam:CreateRole on /));
    expect(lines.filter((l) => l.startsWith('  ✖'))).toEqual([]);
    expect(lines.at(-1)).toBe('  --policy strict grants exactly what Zappa calls for this stage and nothing more.');
  });

  it('the verdict: refusals that do not hold and tolerated refusals are warnings, not problems', () => {
    const verdict = proofVerdict(prove(documentPolicy()));
    expect(verdict.problems).toEqual([]);
    expect(verdict.warnings).toEqual([
      'zappa update: lambda:ListFunctionUrlConfigs refused, and Zappa carries on without it',
      'zappa status: cloudwatch:GetMetricStatistics refused, and Zappa carries on without it',
      'wider than Zappa needs: no passing roles other than the execution role does not hold',
      'wider than Zappa needs: no creating roles or changing their permissions does not hold',
    ]);
    const doc = documentPolicy();
    (doc.Statement as {Action: string[]}[])[1]!.Action = ['lambda:GetFunction'];
    expect(proofVerdict(prove(doc)).problems).toContainEqual(expect.stringMatching(/^zappa deploy would fail: serverless may not call .*lambda:CreateFunction/));
  });

  it('cover the execution role: a service the stage hands the role to that cannot assume it is a problem', () => {
    const trust = renderTemplate(DOCUMENT_TEMPLATES.trust, {accountId: ACCOUNT, partition: 'aws'});
    const execution = [{name: 'ZappaLambdaExecutionPolicy', document: renderTemplate(DOCUMENT_TEMPLATES.execution, {accountId: ACCOUNT, partition: 'aws'})}];
    const withRole = (settings: Record<string, unknown>) => provePermissions({
      policies: [{name: 'ZappaLambdaDeploymentPolicy', document: documentPolicy()}], target: target(settings), userName: 'serverless',
      role: proveRole({target: target(settings), trust, policies: execution}),
    });
    // keep_warm is on by default: EventBridge must assume the role, the document's trust lacks it.
    const warm = withRole({});
    expect(warm.ok).toBe(false);
    expect(warm.role).toMatchObject({checked: true, missingTrust: [{service: 'events.amazonaws.com'}], missingPermissions: []});
    expect(proofLines(warm)).toContainEqual(expect.stringMatching(/^ {2}✖ execution role demo-app-dev-ZappaLambdaExecutionRole: events cannot assume it \(keep_warm is on/));
    expect(proofVerdict(warm).problems).toEqual([expect.stringMatching(/^execution role demo-app-dev-ZappaLambdaExecutionRole: events cannot assume it/)]);
    // The document's own example (keep_warm off): the role is fine.
    const cold = withRole({keep_warm: false});
    expect(cold.role?.ok).toBe(true);
    expect(proofLines(cold)).toContainEqual('  ✔ execution role demo-app-dev-ZappaLambdaExecutionRole: assumable by the services the stage hands it to, and holds what the settings need');
    expect(proofVerdict(cold).problems).toEqual([]);
    // A VPC stage: the document's execution policy lacks the network-interface actions.
    const vpc = withRole({keep_warm: false, vpc_config: {SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1']}});
    expect(vpc.role?.missingPermissions.map((m) => m.id)).toEqual(['VpcNetworkInterfaces']);
    // ...and the deployer lacks the ec2:Describe* checks Lambda makes of whoever deploys a VPC function.
    expect(proofVerdict(vpc).problems).toEqual([
      'zappa deploy would fail: serverless may not call ec2:DescribeSecurityGroups, ec2:DescribeSubnets, ec2:DescribeVpcs',
      'zappa update would fail: serverless may not call ec2:DescribeSecurityGroups, ec2:DescribeSubnets, ec2:DescribeVpcs',
      expect.stringMatching(/^execution role demo-app-dev-ZappaLambdaExecutionRole lacks ec2:AssignPrivateIpAddresses, ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:UnassignPrivateIpAddresses \(vpc_config: /),
    ]);
  });

  it('do not suggest strict to someone already using it', () => {
    const lines = proofLines(prove(strictDeploymentPolicy(target())), 'strict');
    expect(lines.filter((l) => l.startsWith('  ✖'))).toEqual([]);
    expect(lines.join('\n')).not.toContain('--policy strict');
  });

  it('say that Zappa stops at a missing call it needs', () => {
    const doc = documentPolicy();
    (doc.Statement as {Action: string[]}[])[1]!.Action = ['lambda:GetFunction'];
    expect(proofLines(prove(doc))).toContainEqual(expect.stringMatching(/^ {2}✖ deploy +\d+\/\d+ allowed \(missing lambda:CreateFunction.*: Zappa stops there/));
  });
});
