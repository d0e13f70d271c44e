/** What the ci github tests share: running the command, reading IAM with the AWS CLI, reading YAML with Python. */
import {spawnSync} from 'node:child_process';
import {awsCli} from '../helpers/aws-cli.js';
import {motoUrl} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';

export interface CiReport {
  command: string; ok: boolean;
  steps: {id: string; status: string; detail: string; hint?: string}[];
  files: {path: string; status: string}[];
  apiCalls: {read: number; write: number};
  warnings: string[];
  ci: {repo: string; subject: string; roleName: string; roleArn: string; providerArn: string; workflow: {path: string; status: string; text?: string}};
  error?: {message: string; hint?: string};
}

export const ciJson = (sb: Sandbox, args: string[], env: Record<string, string | undefined> = {}) =>
  runJson<CiReport>(['ci', 'github', '--endpoint-url', motoUrl(), ...args], {cwd: sb.project, env: sb.env(env)});

export const ciPlain = (sb: Sandbox, args: string[]) =>
  runCli(['ci', 'github', '--endpoint-url', motoUrl(), ...args], {cwd: sb.project, env: sb.env()});

export const setupYes = (sb: Sandbox) => runCli(['setup', '--yes', '--endpoint-url', motoUrl()], {cwd: sb.project, env: sb.env()});

export async function aws<T = unknown>(sb: Sandbox, args: string[]): Promise<T> {
  const out = await awsCli(args, {env: sb.env(), endpointUrl: motoUrl()});
  if (out.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${out.code}): ${out.stderr}`);
  return out.json as T;
}

/** The file read by PyYAML, an independent YAML reader, as JSON. */
export function readYaml(path: string): Record<string, unknown> {
  const script = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))))';
  const run = spawnSync('python3', ['-c', script, path], {encoding: 'utf8'});
  if (run.status !== 0) throw new Error(`PyYAML could not read ${path}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** An unsigned JWT as GitHub would shape it (moto checks no signature). */
export function githubToken(sub: string, aud = 'sts.amazonaws.com'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return [part({alg: 'RS256', typ: 'JWT'}), part({iss: 'https://token.actions.githubusercontent.com', sub, aud, iat: now, exp: now + 600}), 'c2lnbmF0dXJl'].join('.');
}
