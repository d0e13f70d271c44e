/**
 * Helpers of the hardening tests for the AWS profiles the wizard writes and
 * removes (issue 16, items 1, 2 and 9): the built CLI against moto (or a
 * proxy in front of it), the AWS CLI as a second reader of the files, and a
 * profile's text as it is on disk.
 *
 * HARDENING_CLI_BIN points the runs at another build (e.g. of the previous
 * commit, to see these tests fail there).
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {expect} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {CLI_BIN, runProcess, type ProcessResult} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';

const CLI = process.env.HARDENING_CLI_BIN ?? CLI_BIN;

export interface Step { id: string; status: string; detail: string; hint?: string }
export interface Finding { id: string; severity: string; where: string; problem: string; fix: string }
export interface Report {
  ok: boolean;
  steps: Step[];
  findings?: Finding[];
  kept?: {step: string; what: string; reason: string}[];
  apiCalls: {read: number; write: number};
}

/** The wizard with the sandbox's admin credentials (or `env` over them) against `endpoint`. */
export function wizard(sb: Sandbox, args: string[], endpoint = motoUrl(), env?: Record<string, string | undefined>): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, ...args, '--endpoint-url', endpoint], {cwd: sb.project, env: sb.env(env)});
}

/** The same with --json, parsed. */
export async function wizardJson(sb: Sandbox, args: string[], endpoint = motoUrl(), env?: Record<string, string | undefined>): Promise<ProcessResult & {json: Report}> {
  const result = await wizard(sb, [...args, '--json'], endpoint, env);
  try {
    return {...result, json: JSON.parse(result.stdout) as Report};
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

export const stepOf = (report: Report, id: string): Step | undefined => report.steps.find((s) => s.id === id);

/** The AWS CLI with the sandbox's files; `env` over the sandbox's environment (e.g. no admin keys). */
export function awsAs(sb: Sandbox, args: string[], env?: Record<string, string | undefined>) {
  // AWS_ENDPOINT_URL too: a role profile's AssumeRole goes to STS without --endpoint-url.
  return awsCli(args, {env: sb.env({AWS_ENDPOINT_URL: motoUrl(), ...env}), endpointUrl: motoUrl()});
}

export async function awsOk(sb: Sandbox, args: string[]): Promise<any> {
  const result = await awsAs(sb, args);
  expect(result.code, `aws ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.json;
}

/** A user that is not the wizard's, with a key. */
export async function someoneElsesKey(sb: Sandbox, user = 'alice'): Promise<{id: string; secret: string; arn: string}> {
  const made = await awsOk(sb, ['iam', 'create-user', '--user-name', user]);
  const key = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', user])).AccessKey;
  return {id: key.AccessKeyId, secret: key.SecretAccessKey, arn: made.User.Arn};
}

/** Writes a file of the sandbox's ~/.aws (the folder is made when missing). */
export function writeAws(path: string, text: string): void {
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, text, {mode: 0o600});
}

export const read = (path: string): string => readFileSync(path, 'utf8');

/** Who the AWS CLI deploys as with the profile: the admin keys are left out, so only the files decide. */
export async function callerOf(sb: Sandbox, profile: string): Promise<string> {
  const who = await awsAs(sb, ['sts', 'get-caller-identity', '--profile', profile], {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined});
  expect(who.code, who.stderr).toBe(0);
  return (who.json as {Arn: string}).Arn;
}

export const masked = (id: string): string => `${id.slice(0, 4)}…${id.slice(-4)}`;
