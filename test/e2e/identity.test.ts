/**
 * Issue 8 (non-interactive part): no credentials, and the wrong identity,
 * are found before any write and answered with what to do instead.
 */
import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {enableIamAuth, motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

let sb: Sandbox;
beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
});
afterEach(async () => {
  await resetMoto(motoUrl());
  sb.cleanup();
});

const setupYes = (env: Record<string, string>, extra: string[] = []) =>
  runCli(['setup', '--yes', '--endpoint-url', motoUrl(), ...extra], {cwd: sb.project, env});

describe('admin credentials', () => {
  it('exits 2 with one sentence of guidance when there are none', async () => {
    const before = readFileSync(sb.settingsPath, 'utf8');
    const out = await setupYes(sb.env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined}));
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain('No usable AWS admin credentials were found');
    expect(out.stderr).toContain('aws configure sso');
    expect(readFileSync(sb.settingsPath, 'utf8')).toBe(before);
  });

  it('names a profile that does not exist', async () => {
    const out = await setupYes(sb.env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined}), ['--admin-profile', 'nope']);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain('profile "nope"');
  });

  it('refuses to provision the serverless user with its own key', async () => {
    expect((await setupYes(sb.env())).code).toBe(0);
    const out = await setupYes(sb.env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined}), ['--admin-profile', 'serverless']);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain('arn:aws:iam::123456789012:user/serverless: the very user this wizard sets up');
  });

  it('detects an identity without IAM rights before any write, naming it and what it lacks', async () => {
    const aws = (args: string[]) => awsCli(args, {env: sb.env(), endpointUrl: motoUrl()});
    await aws(['iam', 'create-user', '--user-name', 'developer']);
    const key = (await aws(['iam', 'create-access-key', '--user-name', 'developer'])).json as {AccessKey: {AccessKeyId: string; SecretAccessKey: string}};
    await enableIamAuth(motoUrl(), 0);
    const out = await setupYes(sb.env({AWS_ACCESS_KEY_ID: key.AccessKey.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.AccessKey.SecretAccessKey}));
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain('arn:aws:iam::123456789012:user/developer is not allowed to read what setup needs');
    expect(out.stderr).toContain('iam:GetUser');
    expect(out.stderr).toContain('--admin-profile');
    expect(out.stderr).not.toContain(key.AccessKey.SecretAccessKey);
  });
});
