/**
 * Issue 4: from a finished setup with one thing missing or changed, one
 * `setup --yes` repairs it and the run after that makes no write call.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

interface JsonReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string; hint?: string}[];
  apiCalls: {read: number; write: number};
}

const ACCOUNT = '123456789012';
const ROLE = 'demo-app-dev-ZappaLambdaExecutionRole';
const DEPLOY_ARN = `arn:aws:iam::${ACCOUNT}:policy/ZappaLambdaDeploymentPolicy`;
const EXEC_ARN = `arn:aws:iam::${ACCOUNT}:policy/ZappaLambdaExecutionPolicy`;

let sb: Sandbox;
const setup = () => runJson<JsonReport>(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
async function aws(...args: string[]) {
  const out = await awsCli(args, {env: sb.env(), endpointUrl: motoUrl()});
  if (out.code !== 0) throw new Error(`aws ${args.join(' ')} failed: ${out.stderr}`);
  return out.json as Record<string, unknown>;
}
const fileKeyId = () => /aws_access_key_id\s*=\s*(\S+)/.exec(readFileSync(sb.credentialsPath, 'utf8'))?.[1] ?? '';
const editFile = (path: string, edit: (text: string) => string) => writeFileSync(path, edit(readFileSync(path, 'utf8')));
async function userKeys(): Promise<{AccessKeyId: string; Status: string}[]> {
  return ((await aws('iam', 'list-access-keys', '--user-name', 'serverless')).AccessKeyMetadata as {AccessKeyId: string; Status: string}[]);
}

async function deleteUserCompletely(name: string) {
  for (const k of ((await aws('iam', 'list-access-keys', '--user-name', name)).AccessKeyMetadata as {AccessKeyId: string}[])) {
    await aws('iam', 'delete-access-key', '--user-name', name, '--access-key-id', k.AccessKeyId);
  }
  await aws('iam', 'detach-user-policy', '--user-name', name, '--policy-arn', DEPLOY_ARN);
  await aws('iam', 'delete-user', '--user-name', name);
}

/**
 * Each row breaks one thing of DESIGN.md's end state; `repairedBy` is the step that must fix it.
 * `retiresOldKey`: the repair deactivates the key the profile lost, so the run after it deletes
 * that key (one write), and only the run after that is quiet.
 */
const BREAKAGES: {name: string; repairedBy: string; retiresOldKey?: boolean; breakIt: () => Promise<void>}[] = [
  {name: 'user deleted', repairedBy: 'user', breakIt: () => deleteUserCompletely('serverless')},
  {name: 'key deleted in IAM while still in the file', repairedBy: 'access-key', breakIt: async () => {
    await aws('iam', 'delete-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId());
  }},
  {name: 'key made Inactive in IAM', repairedBy: 'access-key', breakIt: async () => {
    await aws('iam', 'update-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId(), '--status', 'Inactive');
  }},
  {name: '[serverless] removed from the credentials file', repairedBy: 'access-key', retiresOldKey: true, breakIt: async () => {
    editFile(sb.credentialsPath, (t) => t.replace(/\[serverless\][^[]*/, ''));
  }},
  {name: "[serverless] holding another user's key", repairedBy: 'access-key', retiresOldKey: true, breakIt: async () => {
    await aws('iam', 'create-user', '--user-name', 'someone-else');
    const other = (await aws('iam', 'create-access-key', '--user-name', 'someone-else')).AccessKey as {AccessKeyId: string; SecretAccessKey: string};
    editFile(sb.credentialsPath, (t) => t
      .replace(/aws_access_key_id\s*=\s*\S+/, `aws_access_key_id = ${other.AccessKeyId}`)
      .replace(/aws_secret_access_key\s*=\s*\S+/, `aws_secret_access_key = ${other.SecretAccessKey}`));
  }},
  {name: 'config region removed', repairedBy: 'config-file', breakIt: async () => {
    editFile(sb.configPath, (t) => t.replace(/region = \S+\n/, ''));
  }},
  {name: 'settings keys changed', repairedBy: 'zappa-settings', breakIt: async () => {
    editFile(sb.settingsPath, (t) => t.replace('"profile_name": "serverless"', '"profile_name": "default"').replace('"manage_roles": false', '"manage_roles": true'));
  }},
  {name: 'deployment policy edited in the console', repairedBy: 'deployment-policy', breakIt: async () => {
    const doc = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'lambda:GetFunction', Resource: '*'}]};
    await aws('iam', 'create-policy-version', '--policy-arn', DEPLOY_ARN, '--policy-document', JSON.stringify(doc), '--set-as-default');
  }},
  {name: 'deployment policy detached', repairedBy: 'deployment-policy-attached', breakIt: async () => {
    await aws('iam', 'detach-user-policy', '--user-name', 'serverless', '--policy-arn', DEPLOY_ARN);
  }},
  {name: 'execution policy edited', repairedBy: 'execution-policy', breakIt: async () => {
    const doc = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'logs:*', Resource: '*'}]};
    await aws('iam', 'create-policy-version', '--policy-arn', EXEC_ARN, '--policy-document', JSON.stringify(doc), '--set-as-default');
  }},
  {name: 'role deleted', repairedBy: 'execution-role', breakIt: async () => {
    await aws('iam', 'detach-role-policy', '--role-name', ROLE, '--policy-arn', EXEC_ARN);
    await aws('iam', 'delete-role', '--role-name', ROLE);
  }},
  {name: 'trust policy reduced to Lambda only', repairedBy: 'execution-role', breakIt: async () => {
    const doc = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]};
    await aws('iam', 'update-assume-role-policy', '--role-name', ROLE, '--policy-document', JSON.stringify(doc));
  }},
  {name: 'execution policy detached', repairedBy: 'execution-policy-attached', breakIt: async () => {
    await aws('iam', 'detach-role-policy', '--role-name', ROLE, '--policy-arn', EXEC_ARN);
  }},
];

beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
  const first = await setup();
  expect(first.code).toBe(0);
});
afterEach(() => sb.cleanup());

describe('repairing one drifted thing', () => {
  it.each(BREAKAGES)('$name: one run repairs it, the next makes no write', async ({breakIt, repairedBy, retiresOldKey}) => {
    const lost = fileKeyId();
    await breakIt();
    const repair = await setup();
    expect(repair.code, repair.stderr).toBe(0);
    const step = repair.json.steps.find((s) => s.id === repairedBy);
    expect(['created', 'updated']).toContain(step?.status);
    if (retiresOldKey) {
      expect((await userKeys()).find((k) => k.AccessKeyId === lost)?.Status).toBe('Inactive');
      const cleanup = await setup();
      expect(cleanup.json.apiCalls.write).toBe(1);
      expect(cleanup.json.steps.filter((s) => s.status !== 'unchanged').map((s) => s.id)).toEqual(['access-key']);
      expect((await userKeys()).map((k) => k.AccessKeyId)).toEqual([fileKeyId()]);
    }

    const again = await setup();
    expect(again.code).toBe(0);
    expect(again.json.apiCalls.write).toBe(0);
    expect(again.json.steps.filter((s) => s.status !== 'unchanged')).toEqual([]);
    const who = await awsCli(['sts', 'get-caller-identity', '--profile', 'serverless'], {env: sb.env(), endpointUrl: motoUrl()});
    expect((who.json as {Arn: string}).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/serverless`);
  });

  it('keeps trust statements the person added while adding API Gateway back', async () => {
    const mine = {Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'sts:AssumeRole'};
    const doc = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}, mine]};
    await aws('iam', 'update-assume-role-policy', '--role-name', ROLE, '--policy-document', JSON.stringify(doc));
    const repair = await setup();
    expect(repair.json.steps.find((s) => s.id === 'execution-role')?.detail).toContain('added apigateway.amazonaws.com');
    const role = (await aws('iam', 'get-role', '--role-name', ROLE)).Role as {AssumeRolePolicyDocument: {Statement: unknown[]}};
    expect(role.AssumeRolePolicyDocument.Statement).toContainEqual(mine);
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
  });
});

describe('IAM limits', () => {
  it('stops with both keys listed when the user has two keys and the file holds neither', async () => {
    // Two keys made by hand: neither was ever in the profile (the wizard's own would be deleted to make room).
    await aws('iam', 'delete-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId());
    await aws('iam', 'create-access-key', '--user-name', 'serverless');
    await aws('iam', 'create-access-key', '--user-name', 'serverless');
    editFile(sb.credentialsPath, (t) => t.replace(/\[serverless\][^[]*/, ''));
    const before = await userKeys();
    const run = await setup();
    expect(run.code).toBe(1);
    const step = run.json.steps.find((s) => s.id === 'access-key');
    expect(step?.status).toBe('failed');
    for (const k of before) expect(step?.detail).toContain(`${k.AccessKeyId.slice(0, 4)}…${k.AccessKeyId.slice(-4)}`);
    expect(step?.detail).toMatch(/created \d{4}-\d{2}-\d{2}/);
    expect(step?.hint).toContain('delete-access-key');
    expect((await userKeys()).map((k) => k.AccessKeyId).sort()).toEqual(before.map((k) => k.AccessKeyId).sort());
  });

  it('deletes the oldest non-default version when the policy already has five', async () => {
    const doc = (n: number) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: `lambda:GetFunction`, Resource: `arn:aws:lambda:*:*:function:f${n}`}]});
    for (let i = 2; i <= 5; i++) await aws('iam', 'create-policy-version', '--policy-arn', DEPLOY_ARN, '--policy-document', doc(i), '--set-as-default');
    const run = await setup();
    expect(run.code).toBe(0);
    expect(run.json.steps.find((s) => s.id === 'deployment-policy')?.detail).toContain('deleted old version v1');
    const versions = ((await aws('iam', 'list-policy-versions', '--policy-arn', DEPLOY_ARN)).Versions as {VersionId: string}[]).map((v) => v.VersionId);
    expect(versions).not.toContain('v1');
    expect(versions).toHaveLength(5);
    expect((await setup()).json.apiCalls.write).toBe(0);
  });
});
