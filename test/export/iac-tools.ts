/**
 * What the export tests share: the real cfn-lint and Terraform (a missing one
 * fails the test loudly: both are on every machine of this project), a
 * Terraform CLI config pointing at the local provider mirror (no registry
 * access), and the check that `plan` finds the IAM rows in place.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {expect} from 'vitest';
import {runProcess, type ProcessResult} from '../helpers/run-cli.js';

/** The rows setup writes in IAM for the user kind (DESIGN.md's step ids), which an applied export must leave nothing to do for. */
export const IAM_ROWS = ['user', 'deployment-policy', 'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached'] as const;
/** --identity group: the group and the membership too. */
export const GROUP_ROWS = ['user', 'group', 'group-membership', ...IAM_ROWS.slice(1)] as const;
/** --identity role: the deploy role instead of the user. */
export const ROLE_ROWS = ['deploy-role', ...IAM_ROWS.slice(1)] as const;

export function requireTool(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'}).trim();
  } catch {
    throw new Error(`${name} is not on PATH: the export tests need the real tool (it is installed on every machine of this project, CI too). Install it rather than skipping these tests.`);
  }
}

/**
 * The filesystem mirror's root: ZW_TF_MIRROR when set, else found as the
 * issue says (`…/registry.terraform.io/hashicorp/aws` five levels down at
 * most; the root is three levels above it).
 */
export function terraformMirror(): string {
  const given = process.env.ZW_TF_MIRROR;
  if (given) return given;
  const found = execFileSync('sh', ['-c', "find / -maxdepth 5 -type d -path '*/hashicorp/aws' 2>/dev/null | head -1"], {encoding: 'utf8'}).trim();
  if (!found) throw new Error('No Terraform provider mirror (…/hashicorp/aws) was found: the export tests need the aws provider 5.100.0 in a local filesystem mirror (set ZW_TF_MIRROR to its root).');
  return dirname(dirname(dirname(found)));
}

/** A CLI config that installs hashicorp/aws from the mirror only. */
export function terraformCliConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zw-tfrc-'));
  const path = join(dir, 'terraformrc');
  writeFileSync(path, [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(terraformMirror())}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '}',
    '',
  ].join('\n'));
  return path;
}

/**
 * moto stands in for AWS: the provider's IAM and STS calls go to it, with the
 * sandbox's dummy keys from the environment. A `_override.tf` file merges
 * into the export's own provider block without touching the export.
 */
export function writeMotoOverride(dir: string, url: string): void {
  writeFileSync(join(dir, 'moto_override.tf'), [
    'provider "aws" {',
    '  skip_credentials_validation = true',
    '  skip_metadata_api_check     = true',
    '  skip_region_validation      = true',
    '',
    '  endpoints {',
    `    iam = ${JSON.stringify(url)}`,
    `    sts = ${JSON.stringify(url)}`,
    '  }',
    '}',
    '',
  ].join('\n'));
}

export function terraform(args: string[], dir: string, env: Record<string, string>, timeoutMs = 120_000): Promise<ProcessResult> {
  return runProcess('terraform', [`-chdir=${dir}`, ...args, '-no-color'], {env: {...env, TF_IN_AUTOMATION: '1'}, timeoutMs});
}

export function expectOk(result: ProcessResult, what: string): void {
  expect(result.code, `${what} exited ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`).toBe(0);
}

export interface Step { id: string; status: string; detail?: string; reason?: string }

/** Every IAM row `plan --json` shows, as {id: status}. */
export function statusesOf(steps: Step[], ids: readonly string[] = IAM_ROWS): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [id, steps.find((s) => s.id === id)?.status ?? 'absent']));
}

export const allUnchanged = (ids: readonly string[] = IAM_ROWS): Record<string, string> => Object.fromEntries(ids.map((id) => [id, 'unchanged']));

export const exists = existsSync;

type Wizard = (args: string[]) => Promise<ProcessResult & {json: {steps: Step[]}}>;

/**
 * What an applied export must leave: `plan` finds the IAM rows in place,
 * `setup --yes` creates the access key and writes nothing else in IAM, and
 * the `plan` after it has nothing left to do (exit 0).
 */
export async function expectSetupFindsItInPlace(wizard: Wizard, extra: string[] = []): Promise<void> {
  const plan = await wizard(['plan', ...extra]);
  expect(statusesOf(plan.json.steps), plan.stderr).toEqual(allUnchanged());
  const setup = await wizard(['setup', '--yes', ...extra]);
  expectOk(setup, 'setup --yes');
  expect(statusesOf(setup.json.steps)).toEqual(allUnchanged());
  expect(setup.json.steps.find((s) => s.id === 'access-key')?.status).toBe('created');
  const after = await wizard(['plan', ...extra]);
  expect(after.code, after.stdout).toBe(0);
}
