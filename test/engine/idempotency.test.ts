/**
 * The engine against FakeAws (fast, in memory) with real files in a temp dir:
 * from each starting state one run converges and the next makes no write;
 * a failure at any write stops there and the next run finishes the job.
 */
import {readFileSync, writeFileSync, mkdirSync, chmodSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {LocalFiles} from '../../src/engine/local-files.js';
import {hasChanges} from '../../src/engine/run.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {ENGINE_ANSWERS, engineDesired, engineSandbox} from '../fakes/engine-sandbox.js';

const ANSWERS = ENGINE_ANSWERS;
const {paths, context, run} = engineSandbox('zw-engine-');

function expectEndState(aws: FakeAws) {
  const desired = engineDesired();
  expect(aws.users.get('serverless')?.policies.has(desired.deploymentPolicy.arn)).toBe(true);
  expect(aws.roles.get(ANSWERS.roleName)?.policies.has(desired.executionPolicy.arn)).toBe(true);
  const keyId = /aws_access_key_id = (\S+)/.exec(readFileSync(paths.credentials, 'utf8'))?.[1];
  expect(aws.keys.find((k) => k.id === keyId)?.status).toBe('Active');
  expect(JSON.parse(readFileSync(paths.settings, 'utf8')).dev).toMatchObject({profile_name: 'serverless', manage_roles: false});
}

async function expectSecondRunQuiet(aws: FakeAws) {
  aws.calls = [];
  const again = await run(aws);
  expect(hasChanges(again.plan)).toBe(false);
  expect(aws.writes()).toEqual([]);
  expect(again.results.every((r) => r.status === 'unchanged')).toBe(true);
}

const START_STATES: {name: string; seed: (aws: FakeAws) => Promise<void>}[] = [
  {name: 'an empty account', seed: async () => {}},
  {name: 'only the role, trusting Lambda alone', seed: async (aws) => {
    await aws.createRole(ANSWERS.roleName, {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]}, '', {});
  }},
  {name: 'a drifted deployment policy at five versions', seed: async (aws) => {
    await aws.createPolicy('ZappaLambdaDeploymentPolicy', {Version: '2012-10-17', Statement: []}, '', {});
    for (let i = 0; i < 4; i++) await aws.createPolicyVersion('arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy', {Version: '2012-10-17', Statement: []});
  }},
  {name: 'a user whose key was lost', seed: async (aws) => {
    await aws.createUser('serverless', {});
    await aws.createAccessKey('serverless');
  }},
];

describe('convergence from each starting state', () => {
  it.each(START_STATES)('$name: one run reaches the end state, the next writes nothing', async ({seed}) => {
    const aws = new FakeAws();
    await seed(aws);
    const first = await run(aws);
    expect(first.results.filter((r) => r.status === 'failed')).toEqual([]);
    expectEndState(aws);
    await expectSecondRunQuiet(aws);
  });
});

const WRITES = ['createUser', 'createAccessKey', 'createPolicy', 'createRole', 'attachUserPolicy', 'attachRolePolicy'];

describe('a failure at each write', () => {
  it.each(WRITES)('%s fails: later steps do not run, the next run finishes with one key', async (name) => {
    const aws = new FakeAws();
    aws.failOn(name);
    const first = await run(aws);
    const failed = first.results.find((r) => r.status === 'failed');
    expect(failed?.detail).toContain(`iam:${name} failed with ServiceFailure`);
    await run(aws);
    expectEndState(aws);
    expect(aws.keys.filter((k) => k.user === 'serverless')).toHaveLength(1);
    await expectSecondRunQuiet(aws);
  });
});

describe('the access key and the credentials file', () => {
  it('deletes the new key again when its secret cannot be written', async () => {
    const aws = new FakeAws();
    const files = await LocalFiles.load(paths);
    // While AWS makes the key, a non-empty folder appears where the file goes:
    // every check before passed (the file is read again under the lock before
    // the key is made), the write itself fails.
    const create = aws.createAccessKey.bind(aws);
    aws.createAccessKey = async (user: string) => {
      const key = await create(user);
      mkdirSync(paths.credentials);
      writeFileSync(join(paths.credentials, 'x'), 'keeps the folder non-empty');
      return key;
    };
    const {results} = await run(aws, await context(aws, files));
    const step = results.find((r) => r.id === 'access-key');
    expect(step?.status).toBe('failed');
    expect(step?.detail).toMatch(/was deleted again/);
    expect(aws.writes()).toContain('deleteAccessKey');
    expect(aws.keys).toEqual([]);
  });

  it('tightens a credentials file readable by others to 0600 without a new key', async () => {
    const aws = new FakeAws();
    await run(aws);
    chmodSync(paths.credentials, 0o644);
    aws.calls = [];
    const again = await run(aws);
    expect(again.results.find((r) => r.id === 'credentials-file')?.status).toBe('updated');
    expect(aws.writes()).toEqual([]);
    const {statSync} = await import('node:fs');
    expect(statSync(paths.credentials).mode & 0o777).toBe(0o600);
  });

  it('removes a session token left in the profile beside a working key, with no AWS write', async () => {
    const aws = new FakeAws();
    await run(aws);
    writeFileSync(paths.credentials, readFileSync(paths.credentials, 'utf8') + 'aws_session_token = left-over-token\n');
    aws.calls = [];
    const again = await run(aws);
    expect(again.results.find((r) => r.id === 'credentials-file')?.detail).toBe('removed aws_session_token from [serverless]');
    expect(aws.writes()).toEqual([]);
    expect(readFileSync(paths.credentials, 'utf8')).not.toContain('aws_session_token');
    await expectSecondRunQuiet(aws);
  });

  it('replaces temporary credentials in the profile with a key of the user, token and all', async () => {
    const aws = new FakeAws();
    writeFileSync(paths.credentials, '[serverless]\naws_access_key_id = ASIAEXAMPLETEMPORARY\naws_secret_access_key = temp-secret\naws_session_token = temp-token\n', {mode: 0o600});
    await run(aws);
    const text = readFileSync(paths.credentials, 'utf8');
    expect(text).toMatch(/aws_access_key_id = AKIAFAKE/);
    expect(text).not.toContain('temp-token');
    expectEndState(aws);
    await expectSecondRunQuiet(aws);
  });
});
