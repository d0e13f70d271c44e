/**
 * Issue 16, item 10: the policy lint refuses grants that would make the
 * deploy identity an administrator, and a trust policy that lets outsiders
 * assume the execution role, naming the policy, the statement (index and
 * Sid) and why. The bundled presets, with what the stage's settings add to
 * them, still pass.
 */
import {describe, expect, it} from 'vitest';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import type {PolicyDocument, Statement} from '../../src/plan/policy.js';
import {assertPoliciesLintClean, lintPolicy, type LintIssue} from '../../src/policy/lint.js';
import {policySetFor} from '../../src/policy/policy-set.js';
import {ACCOUNT, BUSY_SETTINGS, target} from '../policy/fixtures.js';

const doc = (...Statement: Statement[]): PolicyDocument => ({Version: '2012-10-17', Statement});
const grants = (issues: LintIssue[]) => issues.filter((i) => i.escalation);
const identity = (...statements: Statement[]) => grants(lintPolicy({name: 'ZappaLambdaDeploymentPolicy', document: doc(...statements), account: ACCOUNT}));
const trust = (...statements: Statement[]) => grants(lintPolicy({name: 'execution role trust policy', document: doc(...statements), kind: 'trust', account: ACCOUNT}));
const messages = (issues: LintIssue[]) => issues.map((i) => i.message);

const ROLE = `arn:aws:iam::${ACCOUNT}:role/demo-app-dev-ZappaLambdaExecutionRole`;
const assume = (Principal: unknown): Statement => ({Sid: 'Assume', Effect: 'Allow', Principal, Action: 'sts:AssumeRole'});

describe('admin-equivalent grants', () => {
  it('Action "*" (on everything or not), naming the statement by index and Sid', () => {
    const issues = identity({Sid: 'Lambda', Effect: 'Allow', Action: 'lambda:GetFunction', Resource: '*'}, {Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*'});
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({policy: 'ZappaLambdaDeploymentPolicy', where: 'statement 2 ("Everything")'});
    expect(issues[0]!.message).toMatch(/^Action "\*" grants every AWS action on every resource: whoever holds this policy is an administrator/);
    expect(messages(identity({Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::zappa-*'}))[0]).toMatch(/^Action "\*" grants every AWS action on the resources listed/);
  });

  it('iam:* on any resource, sts:* and organizations:* on "*"', () => {
    expect(messages(identity({Effect: 'Allow', Action: 'iam:*', Resource: ROLE}))).toEqual([expect.stringMatching(/^"iam:\*" grants all of IAM: the holder can give itself any rights/)]);
    expect(messages(identity({Effect: 'Allow', Action: ['sts:*'], Resource: '*'}))).toEqual([expect.stringMatching(/^"sts:\*" on "\*" lets the holder assume any role/)]);
    expect(messages(identity({Effect: 'Allow', Action: 'organizations:*', Resource: '*'}))).toEqual([expect.stringMatching(/manage the whole AWS organization/)]);
  });

  it('NotAction with Allow (but not with Deny)', () => {
    expect(messages(identity({Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*'}))).toEqual([expect.stringMatching(/^"NotAction" with "Allow" grants every action except the ones listed/)]);
    expect(identity({Effect: 'Deny', NotAction: 's3:*', Resource: '*'})).toEqual([]);
  });

  it('NotResource counts as every resource', () => {
    expect(messages(identity({Effect: 'Allow', Action: 'iam:PassRole', NotResource: ROLE}))[0]).toMatch(/^iam:PassRole on everything but its NotResource lets the holder hand any role/);
  });
});

describe('iam:PassRole and sts:AssumeRole on every role', () => {
  it('on "*", with lambda:CreateFunction beside it', () => {
    const issues = identity({Sid: 'Deploy', Effect: 'Allow', Action: ['lambda:CreateFunction', 'iam:PassRole'], Resource: '*'});
    expect(issues.map((i) => i.where)).toEqual(['statement 1 ("Deploy")']);
    expect(issues[0]!.message).toMatch(/^iam:PassRole on "\*" lets the holder hand any role, an administrator's too, to a Lambda function it creates/);
  });

  it('on a wildcard that matches every role, in any partition or account, through an action pattern too', () => {
    for (const resource of [`arn:aws:iam::${ACCOUNT}:role/*`, 'arn:aws:iam::*:role/*', 'arn:*:iam::*:*', `arn:aws:iam::${ACCOUNT}:role*`]) {
      expect(messages(identity({Effect: 'Allow', Action: 'iam:PassRole', Resource: resource})), resource).toEqual([expect.stringContaining(`iam:PassRole on "${resource}"`)]);
    }
    expect(messages(identity({Effect: 'Allow', Action: 'iam:Pass*', Resource: '*'}))).toEqual([expect.stringMatching(/^"iam:Pass\*" \(which covers iam:PassRole\) on "\*"/)]);
    expect(messages(identity({Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/*`}))).toEqual([expect.stringMatching(/^sts:AssumeRole on .* lets the holder assume any role/)]);
  });

  it('not on the execution role, the document\'s *-ZappaLambdaExecutionRole pattern or another account\'s roles', () => {
    for (const resource of [ROLE, `arn:aws:iam::${ACCOUNT}:role/*-ZappaLambdaExecutionRole`, `arn:aws:iam::${ACCOUNT}:role/service-role/*`, 'arn:aws:iam::999999999999:role/*']) {
      expect(identity({Effect: 'Allow', Action: 'iam:PassRole', Resource: resource}), resource).toEqual([]);
    }
  });
});

describe('self-escalation: changing its own or anyone\'s permissions', () => {
  it('each permission change is refused on any resource, its own user included', () => {
    const self = `arn:aws:iam::${ACCOUNT}:user/serverless`;
    for (const action of ['iam:AttachUserPolicy', 'iam:PutUserPolicy', 'iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:AddUserToGroup', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy']) {
      expect(messages(identity({Effect: 'Allow', Action: action, Resource: action.includes('Role') ? ROLE : self})), action).toEqual([expect.stringMatching(new RegExp(`^${action} lets the holder `))]);
    }
    const policy = `arn:aws:iam::${ACCOUNT}:policy/ZappaLambdaDeploymentPolicy`;
    expect(messages(identity({Effect: 'Allow', Action: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: policy}))).toEqual([
      expect.stringMatching(/^iam:CreatePolicyVersion lets the holder rewrite a managed policy, the deployment policy included/),
      expect.stringMatching(/^iam:SetDefaultPolicyVersion lets the holder switch a managed policy back/),
    ]);
  });

  it('a pattern covering several says so in one line; case does not matter', () => {
    expect(messages(identity({Effect: 'Allow', Action: 'IAM:attach*', Resource: '*'}))).toEqual([
      '"IAM:attach*" covers iam:AttachUserPolicy, iam:AttachGroupPolicy, iam:AttachRolePolicy, which let the holder give a user, group or role (its own included) any rights; Zappa, with manage_roles off as the wizard sets it, never needs them.',
    ]);
    expect(messages(identity({Effect: 'Allow', Action: 'iam:createpolicyversion', Resource: '*'}))[0]).toMatch(/^iam:CreatePolicyVersion lets the holder rewrite a managed policy/);
  });

  it('iam:CreateAccessKey on other users, but not on the holder itself through ${aws:username}', () => {
    expect(messages(identity({Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/*`}))).toEqual([
      expect.stringMatching(/^iam:CreateAccessKey on "arn:aws:iam::123456789012:user\/\*" lets the holder make an access key for another user and act as them; grant it, if at all, only on arn:aws:iam::123456789012:user\/\$\{aws:username\}\.$/),
    ]);
    expect(identity({Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`})).toEqual([]);
  });

  it('Deny statements never count', () => {
    expect(identity({Effect: 'Deny', Action: ['*', 'iam:AttachUserPolicy', 'iam:PassRole'], Resource: '*'})).toEqual([]);
  });
});

describe("the execution role's trust policy", () => {
  it('refuses "*", {"AWS": "*"}, another account, wildcard accounts, Federated and NotPrincipal', () => {
    expect(messages(trust(assume('*')))).toEqual([expect.stringMatching(/^Principal "\*" lets anyone, in any AWS account, assume the execution role/)]);
    expect(messages(trust(assume({AWS: '*'})))).toEqual([expect.stringMatching(/^Principal \{"AWS": "\*"\} lets anyone/)]);
    expect(messages(trust(assume({AWS: ['arn:aws:iam::999999999999:root']})))).toEqual([
      expect.stringMatching(/^Principal AWS "arn:aws:iam::999999999999:root" is in account 999999999999, not in 123456789012 where the wizard works/),
    ]);
    expect(messages(trust(assume({AWS: '999999999999'})))[0]).toMatch(/is in account 999999999999/);
    expect(messages(trust(assume({AWS: 'arn:aws:iam::*:root'})))[0]).toMatch(/matches principals of any account/);
    expect(messages(trust({Effect: 'Allow', Principal: {Federated: 'cognito-identity.amazonaws.com'}, Action: 'sts:AssumeRoleWithWebIdentity'}))[0]).toMatch(/^Principal Federated "cognito-identity.amazonaws.com" lets identities from outside/);
    expect(messages(trust({Effect: 'Allow', NotPrincipal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'sts:AssumeRole'}))[0]).toMatch(/^"NotPrincipal" with "Allow"/);
  });

  it('names the statement by index and Sid', () => {
    const issues = trust(assume({Service: 'lambda.amazonaws.com'}), assume({AWS: '*'}));
    expect(issues.map((i) => [i.policy, i.where])).toEqual([['execution role trust policy', 'statement 2 ("Assume")']]);
  });

  it("accepts services and this account's own principals", () => {
    expect(trust(assume({Service: ['lambda.amazonaws.com', 'apigateway.amazonaws.com', 'events.amazonaws.com']}), assume({AWS: [`arn:aws:iam::${ACCOUNT}:root`, ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/ops`]}))).toEqual([]);
  });
});

describe('the bundled presets still pass, with what the settings add', () => {
  const SETTINGS: Record<string, unknown>[] = [
    {}, {keep_warm: false}, {apigateway_enabled: false}, BUSY_SETTINGS,
    {domain: 'api.example.com', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x'},
    {extra_permissions: [{Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/demo'}]},
  ];

  for (const preset of ['document', 'strict']) {
    it(`${preset}: every deployed document is free of escalation for ${SETTINGS.length} settings`, () => {
      for (const settings of SETTINGS) {
        const set = policySetFor(preset, DOCUMENT_TEMPLATES, target(settings), 'serverless');
        const inputs = [
          {name: 'deployment', document: set.deployment, account: ACCOUNT},
          {name: 'execution', document: set.execution, account: ACCOUNT},
          {name: 'trust', document: set.trust, kind: 'trust' as const, account: ACCOUNT},
        ];
        const issues = inputs.flatMap((input) => grants(lintPolicy(input)));
        expect(issues, `${preset} ${JSON.stringify(settings).slice(0, 80)}`).toEqual([]);
      }
    });
  }

  it('a setting that asks for such a grant (extra_permissions) is refused like a template', () => {
    const set = policySetFor('document', DOCUMENT_TEMPLATES, target({extra_permissions: [{Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}]}), 'serverless');
    expect(messages(grants(lintPolicy({name: 'execution', document: set.execution, account: ACCOUNT})))).toEqual([expect.stringMatching(/^iam:PassRole on "\*"/)]);
  });
});

describe('assertPoliciesLintClean with escalations', () => {
  it('exits 2 with the grants first, each with policy, statement and why, and says nothing changed', () => {
    let thrown: {message: string; hint?: string; exitCode: number} | undefined;
    try {
      assertPoliciesLintClean([
        {name: 'ZappaLambdaDeploymentPolicy', document: doc({Sid: 'Typo', Effect: 'Allow', Action: 'lambda:GetFunctoin', Resource: '*'}, {Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*'}), account: ACCOUNT},
        {name: 'execution role trust policy', document: doc(assume({AWS: '*'})), kind: 'trust', account: ACCOUNT},
      ], 'Fix the templates in ./policies.');
    } catch (err) {
      thrown = err as typeof thrown;
    }
    expect(thrown?.exitCode).toBe(2);
    const lines = thrown!.message.split('\n');
    expect(lines[0]).toBe('The policies to deploy have 3 problem(s); 2 of them would give the deploy identity more than deploying needs (a way to become an administrator, or a role anyone can assume):');
    expect(lines[1]).toMatch(/^ {2}ZappaLambdaDeploymentPolicy, statement 2 \("Admin"\): Action "\*" grants every AWS action/);
    expect(lines[2]).toMatch(/^ {2}execution role trust policy, statement 1 \("Assume"\): Principal \{"AWS": "\*"\}/);
    expect(lines[3]).toMatch(/^ {2}ZappaLambdaDeploymentPolicy, statement 1 \("Typo"\): "lambda:GetFunctoin" is not an IAM action/);
    expect(thrown?.hint).toBe('Fix the templates in ./policies. Nothing was changed.');
  });
});
