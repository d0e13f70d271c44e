/**
 * Issue 16, item 10, end to end against moto_server: a person's
 * `--policy <folder>` whose templates would make the deploy user an
 * administrator (or let anyone assume the execution role) stops `setup`
 * with exit 2 before any AWS write, naming the policy, the statement and
 * why; the person's files and the templates stay byte for byte as they were.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {eachTestWithSandboxAndProxy, exists, snapshot, wizardJson} from '../lifecycle/lifecycle-helpers.js';

interface Report { ok: boolean; error?: {message: string; hint?: string}; apiCalls?: {read: number; write: number} }

const DEPLOYMENT = 'deployment-policy.json';
const TRUST = 'execution-role-trust.json';

/** A valid deployment policy (the strict-style grants Zappa needs to create a function), plus the statement under test. */
const deploymentWith = (statement: Record<string, unknown>) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {Sid: 'Functions', Effect: 'Allow', Action: ['lambda:GetFunction', 'lambda:CreateFunction'], Resource: 'arn:<PARTITION>:lambda:*:<ACCOUNT_ID>:function:demo-app-dev'},
    statement,
  ],
}, null, 2);

const trustWith = (principal: unknown) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{Sid: 'Services', Effect: 'Allow', Principal: {Service: ['lambda.amazonaws.com']}, Action: 'sts:AssumeRole'}, {Sid: 'Outside', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole'}],
}, null, 2);

interface Case { name: string; file: string; text: string; policy: string; where: string; why: RegExp }

const CASES: Case[] = [
  {name: 'Action "*"', file: DEPLOYMENT, text: deploymentWith({Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*'}),
    policy: 'ZappaLambdaDeploymentPolicy', where: 'statement 2 ("Admin")', why: /grants every AWS action on every resource: whoever holds this policy is an administrator/},
  {name: 'NotAction with Allow', file: DEPLOYMENT, text: deploymentWith({Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*'}),
    policy: 'ZappaLambdaDeploymentPolicy', where: 'statement 2 ("AllButIam")', why: /"NotAction" with "Allow" grants every action except the ones listed/},
  {name: 'iam:*', file: DEPLOYMENT, text: deploymentWith({Sid: 'Iam', Effect: 'Allow', Action: 'iam:*', Resource: 'arn:<PARTITION>:iam::<ACCOUNT_ID>:role/*-ZappaLambdaExecutionRole'}),
    policy: 'ZappaLambdaDeploymentPolicy', where: 'statement 2 ("Iam")', why: /"iam:\*" grants all of IAM/},
  {name: 'iam:PassRole with lambda:CreateFunction on "*"', file: DEPLOYMENT, text: deploymentWith({Sid: 'Pass', Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*'}),
    policy: 'ZappaLambdaDeploymentPolicy', where: 'statement 2 ("Pass")', why: /iam:PassRole on "\*" lets the holder hand any role/},
  {name: 'self-escalation', file: DEPLOYMENT, text: deploymentWith({Sid: 'Self', Effect: 'Allow', Action: ['iam:AttachUserPolicy', 'iam:CreatePolicyVersion'], Resource: ['arn:<PARTITION>:iam::<ACCOUNT_ID>:user/serverless', 'arn:<PARTITION>:iam::<ACCOUNT_ID>:policy/ZappaLambdaDeploymentPolicy']}),
    policy: 'ZappaLambdaDeploymentPolicy', where: 'statement 2 ("Self")', why: /iam:AttachUserPolicy lets the holder attach any policy \(AdministratorAccess too\) to a user, the deploy user included/},
  {name: 'trust Principal {"AWS": "*"}', file: TRUST, text: trustWith({AWS: '*'}),
    policy: 'execution role trust policy', where: 'statement 2 ("Outside")', why: /Principal \{"AWS": "\*"\} lets anyone, in any AWS account, assume the execution role/},
  {name: 'trust principal in another account', file: TRUST, text: trustWith({AWS: 'arn:aws:iam::999999999999:root'}),
    policy: 'execution role trust policy', where: 'statement 2 ("Outside")', why: /is in account 999999999999, not in 123456789012 where the wizard works/},
];

/** Every file of the folder with its bytes. */
function folderBytes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('--policy <folder> with a grant no deploy identity may hold', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  /** The person's own files before the run: other profiles the run must not touch. */
  function personFiles(): void {
    mkdirSync(join(sb.home, '.aws'), {recursive: true});
    writeFileSync(sb.credentialsPath, '# mine\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = other-secret\n', {mode: 0o600});
    writeFileSync(sb.configPath, '[profile other]\nregion = eu-west-1\n');
  }

  function folderWith(name: string, file: string, text: string): string {
    const dir = join(sb.root, `policies-${name.replace(/[^a-z0-9]+/gi, '-')}`);
    mkdirSync(dir);
    writeFileSync(join(dir, file), text);
    return dir;
  }

  it.each(CASES)('$name: exit 2 before any AWS write, naming policy, statement and why; files untouched', async (c) => {
    personFiles();
    const dir = folderWith(c.name, c.file, c.text);
    const files = snapshot(sb);
    const templates = folderBytes(dir);

    const result = await wizardJson<Report>(sb, ['setup', '--yes', '--policy', dir], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    const message = result.json.error?.message ?? '';
    expect(message).toContain(`${c.policy}, ${c.where}: `);
    expect(message).toMatch(c.why);
    expect(message).toMatch(/would give the deploy identity more than deploying needs/);
    expect(result.json.error?.hint).toMatch(new RegExp(`^Fix the templates in .*${dir.split('/').pop()}.* Nothing was changed\\.$`));

    expect(proxy.calls.filter((call) => call.kind === 'write')).toEqual([]);
    expect(proxy.calls.length).toBeGreaterThan(0); // it did reach AWS, and only read
    expect(snapshot(sb)).toEqual(files);
    expect(folderBytes(dir)).toEqual(templates);
    expect(await exists(sb, ['iam', 'get-user', '--user-name', 'serverless'])).toBe(false);
  });

  it('plan with such a folder exits 2 with the same sentence and changes nothing', async () => {
    const c = CASES.find((x) => x.name === 'iam:*')!;
    const dir = folderWith(c.name, c.file, c.text);
    const files = snapshot(sb);
    const result = await wizardJson<Report>(sb, ['plan', '--policy', dir], proxy.url);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.json.error?.message).toContain(`${c.policy}, ${c.where}: "iam:*" grants all of IAM`);
    expect(proxy.calls.filter((call) => call.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(files);
  });
});
