/**
 * Issue 5, part 5: with IAM enforcement on in moto_server, act as the
 * serverless profile after a setup. Allowed calls pass, denied ones are
 * refused, and for each call the offline proof's verdict is what moto did.
 *
 * moto enforces identity policies with resources for S3 (bucket and key)
 * and for IAM role actions on roles that exist; other services are checked
 * against "*" only, so the calls below stay within what moto really checks.
 * iam:PassRole has no API of its own and cannot be called directly.
 */
import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetPolicyCommand, GetPolicyVersionCommand, IAMClient, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {awsCli, type AwsCliResult} from '../helpers/aws-cli.js';
import {enableIamAuth, motoUrl, resetMoto} from '../helpers/moto.js';
import {runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {decodeDocument, type PolicyDocument} from '../../src/plan/policy.js';
import {evaluate} from '../../src/policy/evaluate.js';
import {contextFor, requestContext, type Proof} from '../../src/policy/proof.js';
import {target} from './fixtures.js';

const ACCOUNT = '123456789012';
const ROLE = 'demo-app-dev-ZappaLambdaExecutionRole';
let sb: Sandbox;
let admin: IAMClient;
let adminEnv: Record<string, string>;

/** An IAM client in this process: faster than the AWS CLI for the admin's side of the test. */
function iamAs(credentials: {accessKeyId: string; secretAccessKey: string}): IAMClient {
  return new IAMClient({region: 'us-east-1', endpoint: motoUrl(), credentials});
}

/**
 * moto's global server does not load AWS-managed policies, so the free
 * (unauthenticated) calls make an admin with an inline customer policy.
 */
async function bootstrapAdmin(): Promise<IAMClient> {
  await enableIamAuth(motoUrl(), 3);
  const anyone = iamAs({accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'moto-dummy-secret-not-a-real-key'});
  await anyone.send(new CreateUserCommand({UserName: 'admin'}));
  const everything = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]});
  await anyone.send(new PutUserPolicyCommand({UserName: 'admin', PolicyName: 'everything', PolicyDocument: everything}));
  const {AccessKey} = await anyone.send(new CreateAccessKeyCommand({UserName: 'admin'}));
  anyone.destroy();
  adminEnv = {AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey!};
  return iamAs({accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey!});
}

beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
  admin = await bootstrapAdmin();
});
afterEach(async () => {
  admin.destroy();
  sb.cleanup();
  await resetMoto(motoUrl());
});

/** The serverless profile from the files setup wrote; no key in the environment. */
const asServerless = (args: string[]) =>
  awsCli(args, {env: sb.env({AWS_PROFILE: 'serverless', AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined}), endpointUrl: motoUrl()});

async function setup(policy: string): Promise<Proof> {
  const {code, json, stderr} = await runJson<{ok: boolean; proof: Proof}>(['setup', '--yes', '--endpoint-url', motoUrl(), '--policy', policy], {cwd: sb.project, env: sb.env(adminEnv)});
  expect(code, stderr).toBe(0);
  expect(json.ok).toBe(true);
  return json.proof;
}

async function deployedPolicy(): Promise<PolicyDocument> {
  const arn = `arn:aws:iam::${ACCOUNT}:policy/ZappaLambdaDeploymentPolicy`;
  const {Policy} = await admin.send(new GetPolicyCommand({PolicyArn: arn}));
  const {PolicyVersion} = await admin.send(new GetPolicyVersionCommand({PolicyArn: arn, VersionId: Policy!.DefaultVersionId!}));
  return decodeDocument(PolicyVersion!.Document!);
}

const bucketOf = () => (JSON.parse(readFileSync(sb.settingsPath, 'utf8')) as {dev: {s3_bucket: string}}).dev.s3_bucket;
const denied = (r: AwsCliResult) => r.code !== 0 && /AccessDenied|not authorized/.test(r.stderr);

/** One call made as the serverless user, with the permission check it stands for. */
interface LiveCall { title: string; args: string[]; action: string; resource: string; wildcardOnly?: boolean }

function calls(bucket: string): {allowedEverywhere: LiveCall[]; deniedEverywhere: LiveCall[]; documentOnly: LiveCall[]} {
  const iam = (path: string) => `arn:aws:iam::${ACCOUNT}:${path}`;
  return {
    allowedEverywhere: [
      {title: 'create the deployment bucket', args: ['s3api', 'create-bucket', '--bucket', bucket], action: 's3:CreateBucket', resource: `arn:aws:s3:::${bucket}`},
      {title: 'upload a build', args: ['s3api', 'put-object', '--bucket', bucket, '--key', 'demo-app-dev-1700000000.zip'], action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/demo-app-dev-1700000000.zip`},
      {title: 'look up the execution role', args: ['iam', 'get-role', '--role-name', ROLE], action: 'iam:GetRole', resource: iam(`role/${ROLE}`)},
      {title: 'find rules targeting the function', args: ['events', 'list-rule-names-by-target', '--target-arn', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:demo-app-dev`], action: 'events:ListRuleNamesByTarget', resource: '*', wildcardOnly: true},
    ],
    deniedEverywhere: [
      {title: 'create an IAM user', args: ['iam', 'create-user', '--user-name', 'someone-else'], action: 'iam:CreateUser', resource: iam('user/someone-else')},
      {title: 'create itself another access key', args: ['iam', 'create-access-key', '--user-name', 'serverless'], action: 'iam:CreateAccessKey', resource: iam('user/serverless')},
      {title: 'create a bucket outside zappa-*', args: ['s3api', 'create-bucket', '--bucket', 'other-bucket'], action: 's3:CreateBucket', resource: 'arn:aws:s3:::other-bucket'},
      {title: 'read another role', args: ['iam', 'get-role', '--role-name', 'SomeOtherRole'], action: 'iam:GetRole', resource: iam('role/SomeOtherRole')},
      {title: 'use another service', args: ['dynamodb', 'list-tables'], action: 'dynamodb:ListTables', resource: '*', wildcardOnly: true},
      // The document preset leaves iam:CreateRole, PutRolePolicy and AttachRolePolicy out (DESIGN.md), so strict and document both refuse it.
      {title: "change the execution role's permissions", args: ['iam', 'put-role-policy', '--role-name', ROLE, '--policy-name', 'more', '--policy-document', JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]})], action: 'iam:PutRolePolicy', resource: iam(`role/${ROLE}`)},
    ],
    documentOnly: [
      {title: 'create another zappa-* bucket', args: ['s3api', 'create-bucket', '--bucket', 'zappa-someone-elses'], action: 's3:CreateBucket', resource: 'arn:aws:s3:::zappa-someone-elses'},
    ],
  };
}

/** The offline verdict for the same call, from the policy moto holds. */
function offline(policy: PolicyDocument, call: LiveCall): 'allowed' | 'denied' {
  const context = contextFor(call.action, requestContext(target(), 'serverless'));
  const {decision} = evaluate([{name: 'deployed', document: policy}], {action: call.action, resource: call.resource, wildcardOnly: call.wildcardOnly, context});
  return decision === 'allowed' ? 'allowed' : 'denied';
}

async function expectLive(call: LiveCall, expected: 'allowed' | 'denied', policy: PolicyDocument): Promise<void> {
  const result = await asServerless(call.args);
  const live = result.code === 0 ? 'allowed' : denied(result) ? 'denied' : `failed otherwise: ${result.stderr}`;
  expect(live, call.title).toBe(expected);
  expect(offline(policy, call), `offline verdict for: ${call.title}`).toBe(expected);
}

/**
 * Runs the calls side by side (each AWS CLI start costs about a second);
 * the first call of a list runs alone, since later ones may need what it
 * made (the bucket before the upload).
 */
async function expectAll(list: LiveCall[], expected: 'allowed' | 'denied', policy: PolicyDocument): Promise<void> {
  const [first, ...rest] = list;
  if (first) await expectLive(first, expected, policy);
  await Promise.all(rest.map((call) => expectLive(call, expected, policy)));
}

describe('as the serverless user, with IAM enforced', {timeout: 120_000}, () => {
  beforeEach(async () => {
    // A role the user must not touch, so that moto checks the role's real ARN.
    const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
    await admin.send(new CreateRoleCommand({RoleName: 'SomeOtherRole', AssumeRolePolicyDocument: trust}));
  });

  it("the setup document's policy: Zappa's calls pass, user creation, foreign buckets and changing the role's permissions are refused", async () => {
    const proof = await setup('document');
    const policy = await deployedPolicy();
    const {allowedEverywhere, deniedEverywhere, documentOnly} = calls(bucketOf());
    await expectAll(allowedEverywhere, 'allowed', policy);
    await expectAll(deniedEverywhere, 'denied', policy);
    // What the document policy allows beyond Zappa's needs really is possible.
    await expectAll(documentOnly, 'allowed', policy);
    expect(proof.denials.find((d) => d.id === 'no-role-changes')?.holds).toBe(true);
    // Passing other *-ZappaLambdaExecutionRole roles is still allowed, and the proof says so (a warning).
    expect(proof.denials.find((d) => d.id === 'no-other-roles')?.holds).toBe(false);
  });

  it('strict: the same calls pass, and what the document allowed beyond Zappa is refused', async () => {
    const proof = await setup('strict');
    expect(proof.ok).toBe(true);
    const policy = await deployedPolicy();
    const {allowedEverywhere, deniedEverywhere, documentOnly} = calls(bucketOf());
    await expectAll(allowedEverywhere, 'allowed', policy);
    await expectAll([...deniedEverywhere, ...documentOnly], 'denied', policy);
  });
});
