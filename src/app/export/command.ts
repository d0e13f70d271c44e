/**
 * `export --format cloudformation|terraform`: the IAM end state setup would
 * create, as infrastructure as code (this folder). CloudFormation goes to
 * --output FILE or stdout; Terraform to --output DIR (default
 * ./zappa-iam-terraform). A file the export did not write (no marker) is
 * never overwritten without --force, and then nothing is written at all.
 * Exit 0 done, 2 bad usage.
 */
import {mkdir} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import type {Options} from '../../args.js';
import {UserError} from '../../errors.js';
import {readTextIfExists, writeFileAtomic} from '../../files/atomic-write.js';
import {exportModel} from './model.js';
import {cloudFormationTemplate} from './cloudformation.js';
import {TERRAFORM_MARKER, terraformFiles} from './terraform.js';

export const DEFAULT_TERRAFORM_DIR = 'zappa-iam-terraform';

/** What the Description of every exported template says: how a later export knows the file is its own. */
const CLOUDFORMATION_MARKER = 'exported by zappa-iam-wizard';

type FileStatus = 'created' | 'updated' | 'unchanged';
interface FileReport { path: string; status: FileStatus }

export async function runExport(options: Options): Promise<number> {
  if (options.format === 'cloudformation' && options.json && options.output === undefined) {
    throw new UserError('--json prints a report, so the template needs a file: pass --output FILE.', {hint: 'e.g. zappa-iam-wizard export --format cloudformation --output zappa-iam.yml --json'});
  }
  const model = await exportModel(options);
  for (const w of model.warnings) process.stderr.write(`! ${w}\n`);
  const files = options.format === 'cloudformation'
    ? await writeTemplate(options, cloudFormationTemplate(model))
    : await writeDirectory(options, terraformFiles(model, model.region));
  if (options.json) {
    // DESIGN.md's report fields, as every command prints them: export has no rows, so no steps.
    const report = {command: 'export', ok: true, steps: [], files, apiCalls: model.apiCalls, format: options.format, warnings: model.warnings};
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (files.length) {
    process.stderr.write(`${files.map((f) => `✔ ${f.path} ${f.status}`).join('\n')}\n${nextStep(options)}\n`);
  }
  return 0;
}

function nextStep(options: Options): string {
  const apply = options.format === 'cloudformation'
    ? `aws cloudformation deploy --template-file ${options.output} --stack-name zappa-iam --capabilities CAPABILITY_NAMED_IAM`
    : `terraform -chdir=${options.output ?? DEFAULT_TERRAFORM_DIR} init && terraform -chdir=${options.output ?? DEFAULT_TERRAFORM_DIR} apply`;
  return `Next: ${apply}, then zappa-iam-wizard setup for the access key and the local files (it finds these resources in place).`;
}

async function writeTemplate(options: Options, text: string): Promise<FileReport[]> {
  if (options.output === undefined) {
    process.stdout.write(text);
    return [];
  }
  const path = resolve(options.output);
  const status = await statusOf(path, text, CLOUDFORMATION_MARKER, options.force);
  if (status !== 'unchanged') await writeFileAtomic(path, text);
  return [{path, status}];
}

async function writeDirectory(options: Options, files: Record<string, string>): Promise<FileReport[]> {
  const dir = resolve(options.output ?? DEFAULT_TERRAFORM_DIR);
  // Every file is judged before any is written: a refusal leaves the folder as it was.
  const planned = await Promise.all(Object.entries(files).map(async ([name, text]) => {
    const path = join(dir, name);
    return {path, text, status: await statusOf(path, text, TERRAFORM_MARKER, options.force)};
  }));
  await mkdir(dir, {recursive: true});
  for (const f of planned) if (f.status !== 'unchanged') await writeFileAtomic(f.path, f.text);
  return planned.map(({path, status}) => ({path, status}));
}

/** created, updated (a file an earlier export wrote, or --force), unchanged; else UserError. */
async function statusOf(path: string, text: string, marker: string, force: boolean): Promise<FileStatus> {
  let existing: string | undefined;
  try {
    existing = await readTextIfExists(path);
  } catch (err) {
    throw new UserError(`Can't read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, {hint: 'Choose another --output and export again. Nothing was written.'});
  }
  if (existing === undefined) return 'created';
  if (existing === text) return 'unchanged';
  if (force || existing.includes(marker)) return 'updated';
  throw new UserError(`${path} exists and was not written by zappa-iam-wizard export, so it is left as it is.`, {
    hint: 'Choose another --output, or pass --force to replace it. Nothing was written.',
  });
}
