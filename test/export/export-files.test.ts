/**
 * Issue 15: what export writes and refuses, with no AWS (the built CLI in a
 * sandbox): IAM's own ${aws:…} variables survive both engines' substitution,
 * files the export did not write are never overwritten without --force, and
 * bad usage exits 2 before anything is written.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

const exportCli = (args: string[]) => runCli(['export', ...args], {cwd: sb.project, env: sb.env()});

/** A policy folder whose deployment policy scopes S3 by the caller's user name, as IAM policy variables allow. */
function folderWithPolicyVariable(): string {
  const folder = join(sb.project, 'policies');
  mkdirSync(folder);
  writeFileSync(join(folder, 'deployment-policy.json'), JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {Sid: 'OwnPrefix', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:<PARTITION>:s3:::zappa-demo/${aws:username}/*'},
      {Sid: 'Passing', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:<PARTITION>:iam::<ACCOUNT_ID>:role/*-ZappaLambdaExecutionRole'},
    ],
  }));
  return folder;
}

describe('IAM policy variables', () => {
  it('stay literal: ${!aws:username} inside CloudFormation\'s Fn::Sub, $${aws:username} in Terraform', async () => {
    folderWithPolicyVariable();
    const cfn = await exportCli(['--format', 'cloudformation', '--policy', './policies']);
    expect(cfn.code, cfn.stderr).toBe(0);
    expect(cfn.stdout).toContain('Fn::Sub: arn:${AWS::Partition}:s3:::zappa-demo/${!aws:username}/*');
    expect(cfn.stdout).toContain('Fn::Sub: arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*-ZappaLambdaExecutionRole');

    const tf = await exportCli(['--format', 'terraform', '--policy', './policies', '--output', 'tf']);
    expect(tf.code, tf.stderr).toBe(0);
    const main = readFileSync(join(sb.project, 'tf', 'main.tf'), 'utf8');
    expect(main).toContain('"arn:${local.partition}:s3:::zappa-demo/$${aws:username}/*"');
    expect(main).toContain('"arn:${local.partition}:iam::${local.account_id}:role/*-ZappaLambdaExecutionRole"');
    expect(main).toContain('"zappa-iam-wizard:preset"   = "./policies"');
  });
});

describe('files', () => {
  it('the Terraform folder: created, then unchanged on a second export, and a file it did not write is refused without --force', async () => {
    const first = await runJson<{files: {path: string; status: string}[]}>(['export', '--format', 'terraform'], {cwd: sb.project, env: sb.env()});
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.files.map((f) => f.status)).toEqual(['created', 'created', 'created', 'created']);
    expect(first.json.files[0]!.path).toBe(join(sb.project, 'zappa-iam-terraform', 'versions.tf'));
    // DESIGN.md's report fields, as for every command: no rows, and no AWS call for the user kind.
    expect(first.json).toMatchObject({command: 'export', ok: true, steps: [], apiCalls: {read: 0, write: 0}});
    const again = await runJson<{files: {status: string}[]}>(['export', '--format', 'terraform'], {cwd: sb.project, env: sb.env()});
    expect(again.json.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);

    const mine = join(sb.project, 'zappa-iam-terraform', 'main.tf');
    writeFileSync(mine, 'resource "null_resource" "mine" {}\n');
    const refused = await exportCli(['--format', 'terraform', '--user', 'deployer']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${mine} exists and was not written by zappa-iam-wizard export`);
    expect(readFileSync(mine, 'utf8')).toBe('resource "null_resource" "mine" {}\n');
    // Nothing else was written either: the variables still say serverless.
    expect(readFileSync(join(sb.project, 'zappa-iam-terraform', 'variables.tf'), 'utf8')).toContain('"serverless"');

    expect((await exportCli(['--format', 'terraform', '--user', 'deployer', '--force'])).code).toBe(0);
    expect(readFileSync(mine, 'utf8')).toContain('resource "aws_iam_user" "deploy"');
  });

  it('a CloudFormation file it did not write is refused; one it wrote is updated', async () => {
    const path = join(sb.root, 'template.yml');
    writeFileSync(path, 'mine: true\n');
    const refused = await exportCli(['--format', 'cloudformation', '--output', path]);
    expect(refused.code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('mine: true\n');
    expect((await exportCli(['--format', 'cloudformation', '--output', path, '--force'])).code).toBe(0);
    const updated = await runJson<{files: {status: string}[]}>(['export', '--format', 'cloudformation', '--output', path, '--user', 'deployer'], {cwd: sb.project, env: sb.env()});
    expect(updated.json.files[0]!.status).toBe('updated');
    expect(readFileSync(path, 'utf8')).toContain('Default: deployer');
  });

  it('writes no secret: no access key resource, output or key material in either format', async () => {
    const cfn = await exportCli(['--format', 'cloudformation']);
    expect(cfn.stdout).not.toMatch(/AccessKey|Secret|\d{12}/);
    await exportCli(['--format', 'terraform', '--output', 'tf']);
    for (const file of ['main.tf', 'outputs.tf', 'variables.tf']) {
      expect(readFileSync(join(sb.project, 'tf', file), 'utf8'), file).not.toMatch(/access_key|secret|sensitive|\d{12}/i);
    }
  });
});

describe('bad usage exits 2 and writes nothing', () => {
  it.each([
    [['--output', 'x.yml'], 'export needs --format'],
    [['--format', 'terraform', '--branch', 'main'], '--branch: belongs to the GitHub Actions role'],
    [['--format', 'terraform', '--repo', 'not a repo'], 'is not a GitHub repository'],
    [['--format', 'terraform', '--repo', 'acme/shop', '--branch', 'main', '--environment', 'prod'], 'pass one of them'],
    [['--format', 'terraform', '--policy', 'strict'], 'the export cannot know it'],
    [['--format', 'terraform', '--permissions-boundary', 'nope'], 'is not a managed policy ARN'],
    [['--format', 'cloudformation', '--json'], '--json prints a report'],
  ])('export %j', async (args, message) => {
    const out = await exportCli(args);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain(message);
    expect(() => readFileSync(join(sb.project, 'zappa-iam-terraform', 'main.tf'))).toThrow();
  });
});
