/**
 * Shared steps of the lifecycle tests: a fresh sandbox behind a proxy per test,
 * a finished setup, AWS state via the AWS CLI, file snapshots.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {beforeEach, expect} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';

export const ACCOUNT = '123456789012';
export const ROLE = 'demo-app-dev-ZappaLambdaExecutionRole';
export const DEPLOYMENT_ARN = `arn:aws:iam::${ACCOUNT}:policy/ZappaLambdaDeploymentPolicy`;
export const EXECUTION_ARN = `arn:aws:iam::${ACCOUNT}:policy/ZappaLambdaExecutionPolicy`;

/** What each lifecycle test starts from: a new sandbox, and a proxy in front of an empty moto. */
export interface SandboxAndProxy {
  sb: Sandbox;
  proxy: AwsProxy;
}

/**
 * Registers, in the calling describe block, hooks that give every test an
 * empty moto, a new sandbox and a counting proxy in front of moto (handed to
 * `use` before the test), and close the proxy and remove the sandbox after it.
 */
export function eachTestWithSandboxAndProxy(use: (fresh: SandboxAndProxy) => void): void {
  const each = eachTestWithSandbox();
  // Runs after eachTestWithSandbox's beforeEach, so the sandbox exists; its afterEach closes the proxy.
  beforeEach(async () => {
    use({sb: each.sandbox(), proxy: await each.proxy()});
  });
}

/** The wizard's CLI against moto (or a proxy in front of it). */
export function wizard(sb: Sandbox, args: string[], endpoint = motoUrl(), env?: Record<string, string | undefined>) {
  return runCli([...args, '--endpoint-url', endpoint], {cwd: sb.project, env: sb.env(env)});
}

export function wizardJson<T = Record<string, unknown>>(sb: Sandbox, args: string[], endpoint = motoUrl(), env?: Record<string, string | undefined>) {
  return runJson<T>([...args, '--endpoint-url', endpoint], {cwd: sb.project, env: sb.env(env)});
}

/** Runs `setup --yes` and insists that it worked. */
export async function setupDone(sb: Sandbox): Promise<void> {
  const result = await wizard(sb, ['setup', '--yes']);
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

/** The AWS CLI with the sandbox's admin credentials, against moto. */
export async function aws(sb: Sandbox, args: string[], env?: Record<string, string | undefined>) {
  return awsCli(args, {env: sb.env(env), endpointUrl: motoUrl()});
}

/** Like aws(), but fails the test when the command fails. */
export async function awsOk(sb: Sandbox, args: string[]): Promise<any> {
  const result = await aws(sb, args);
  expect(result.code, `aws ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.json;
}

/** True when `aws iam <get-…>` finds the resource. */
export async function exists(sb: Sandbox, args: string[]): Promise<boolean> {
  const result = await aws(sb, args);
  if (result.code === 0) return true;
  expect(result.stderr).toContain('NoSuchEntity');
  return false;
}

export interface KeyRow { id: string; status: string }

export async function keysOf(sb: Sandbox, user = 'serverless'): Promise<KeyRow[]> {
  const json = await awsOk(sb, ['iam', 'list-access-keys', '--user-name', user]);
  return json.AccessKeyMetadata.map((k: {AccessKeyId: string; Status: string}) => ({id: k.AccessKeyId, status: k.Status}));
}

/** The key ID the credentials file holds for `profile`. */
export function fileKeyId(sb: Sandbox, profile = 'serverless'): string | undefined {
  const text = readFileSync(sb.credentialsPath, 'utf8');
  const section = text.split(/^\[/m).find((s) => s.startsWith(`${profile}]`));
  return section && /aws_access_key_id\s*=\s*(\S+)/.exec(section)?.[1];
}

/** Every file in ~/.aws and the project, with its bytes: to prove a command wrote nothing. */
export function snapshot(sb: Sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of [dirname(sb.credentialsPath), sb.project]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) out[`${dir}/${name}`] = readFileSync(`${dir}/${name}`, 'utf8');
  }
  return out;
}

/** A user that is not the wizard's, with a key: for "belongs to someone else" cases. */
export async function otherUsersKey(sb: Sandbox, user = 'someone-else'): Promise<{id: string; secret: string}> {
  await awsOk(sb, ['iam', 'create-user', '--user-name', user]);
  const json = await awsOk(sb, ['iam', 'create-access-key', '--user-name', user]);
  return {id: json.AccessKey.AccessKeyId, secret: json.AccessKey.SecretAccessKey};
}
