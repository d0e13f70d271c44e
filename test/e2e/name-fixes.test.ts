/**
 * Issue 4 (limits) and DESIGN.md's easy-to-get-wrong rules: under --yes,
 * names that would break IAM or Zappa are fixed and reported with the old
 * and new value; an unsupported runtime is reported but never changed.
 */
import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {suggestRuntime} from '../../src/plan/runtimes.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

interface JsonReport {
  ok: boolean;
  fixes: {field: string; from: string; to: string; reason: string}[];
  warnings: string[];
  problems?: string[];
}

let sb: Sandbox;
beforeEach(async () => {
  await resetMoto(motoUrl());
});
afterEach(() => sb.cleanup());

describe('setup --yes with names that would not work', () => {
  it('fixes the role name and bucket, reports old and new, and the role can be passed', async () => {
    sb = makeSandbox({settings: {dev: {
      app_function: 'app.app', project_name: 'a-project-name-long-enough-to-overflow-the-role-limit', aws_region: 'eu-west-1',
      role_name: 'my-lambda-role', s3_bucket: 'My_Bucket', runtime: 'python3.7',
    }}});
    const {code, json} = await runJson<JsonReport>(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    // IAM is set up, but Lambda blocks creating python3.7 functions: not a success until the runtime changes.
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.fixes).toContainEqual(expect.objectContaining({field: 'role_name', from: 'my-lambda-role', to: 'my-lambda-role-ZappaLambdaExecutionRole'}));
    const bucketFix = json.fixes.find((f) => f.field === 's3_bucket');
    expect(bucketFix?.from).toBe('My_Bucket');
    expect(bucketFix?.to).toMatch(/^zappa-my-bucket-(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{10}$/);

    const stage = JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev;
    expect(stage.role_name).toBe('my-lambda-role-ZappaLambdaExecutionRole');
    expect(stage.s3_bucket).toBe(bucketFix?.to);
    const role = await awsCli(['iam', 'get-role', '--role-name', stage.role_name], {env: sb.env(), endpointUrl: motoUrl()});
    expect(role.code).toBe(0);

    // The runtime is reported as a problem with the supported choice and the flag, and left as it was.
    const suggested = suggestRuntime('python3.7', new Date());
    expect(json.problems?.join(' ')).toContain('runtime python3.7 reached the end of Lambda support on 2023-12-04');
    expect(json.problems?.join(' ')).toContain(`Pass --runtime ${suggested}`);
    expect(stage.runtime).toBe('python3.7');

    // --runtime is the agreement: the runtime changes and setup succeeds.
    const agreed = await runJson<JsonReport>(['setup', '--yes', '--runtime', suggested, '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(agreed.code).toBe(0);
    expect(agreed.json.problems).toEqual([]);
    expect(JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev.runtime).toBe(suggested);
  });

  it('refuses a --runtime Lambda does not take, before any change', async () => {
    sb = makeSandbox({settings: {dev: {app_function: 'app.app', project_name: 'demo', runtime: 'python3.12'}}});
    const before = readFileSync(sb.settingsPath, 'utf8');
    const {code, stderr} = await runCli(['setup', '--yes', '--runtime', 'python3.7', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(2);
    expect(stderr).toContain('--runtime: python3.7 is not a Python runtime Lambda supports today');
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(before);
  });

  it('derives a valid default role name from a long project name', async () => {
    sb = makeSandbox({settings: {dev: {app_function: 'app.app', project_name: 'a-project-name-long-enough-to-overflow-the-role-limit'}}});
    const {code} = await runJson<JsonReport>(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});
    expect(code).toBe(0);
    const role: string = JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev.role_name;
    expect(role.length).toBeLessThanOrEqual(64);
    expect(role).toMatch(/^a-project-name-long-.*-ZappaLambdaExecutionRole$/);
  });
});

describe('a bucket name another AWS account owns', () => {
  it('is replaced by a fresh zappa- name, reported with the reason', async () => {
    const {startAwsProxy} = await import('../helpers/aws-proxy.js');
    sb = makeSandbox({settings: {dev: {app_function: 'app.app', project_name: 'demo-app', s3_bucket: 'zappa-somebody-elses'}}});
    // S3 answers HeadBucket with 403 when the bucket exists in an account we can't see into;
    // the account's own bucket list (moto's, which lacks it) then says it is not ours.
    const proxy = await startAwsProxy({target: motoUrl(), fail: (call) => (call.service === 's3' && call.action === 'HEAD' ? {status: 403, code: 'Forbidden', message: 'Forbidden'} : undefined)});
    try {
      const {code, json} = await runJson<JsonReport>(['setup', '--yes', '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env()});
      expect(code).toBe(0);
      const fix = json.fixes.find((f) => f.field === 's3_bucket');
      expect(fix).toMatchObject({from: 'zappa-somebody-elses', reason: 'the bucket belongs to another AWS account'});
      expect(JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev.s3_bucket).toBe(fix?.to);
      expect(fix?.to).toMatch(/^zappa-demo-app-[a-z0-9]{10}$/);
    } finally {
      await proxy.close();
    }
  });
});
