/**
 * The walk-through in a real terminal (tmux) against moto, run from the
 * built CLI: build first with `node scripts/build.mjs`.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {
  GetPolicyVersionCommand, GetRoleCommand, IAMClient, ListAccessKeysCommand, ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand, ListPoliciesCommand, ListUserTagsCommand, ListUsersCommand,
} from '@aws-sdk/client-iam';
import {describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {ADMIN_ENV, motoUrl, resetMoto} from '../helpers/moto.js';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {CLI_BIN, runCli} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {TmuxSession} from '../helpers/tmux.js';
import {pressEnterThrough} from '../helpers/inquirer-screen.js';

const url = motoUrl();
const ROLE = 'demo-app-dev-ZappaLambdaExecutionRole';

function startWizard(sb: Sandbox, endpoint: string, extra = ''): TmuxSession {
  return new TmuxSession(`node ${CLI_BIN} --endpoint-url ${endpoint} ${extra}`, {cwd: sb.project, env: sb.env(), cols: 80, rows: 40});
}

/**
 * What setup leaves behind, read with the AWS SDK's own IAM client (not the
 * wizard's gateway) and the AWS CLI as the reader of the profile. Random
 * parts (bucket suffix, key IDs) are named instead of shown.
 */
async function endState(sb: Sandbox, endpoint: string) {
  const iam = new IAMClient({endpoint, region: 'us-east-1', credentials: {accessKeyId: ADMIN_ENV.AWS_ACCESS_KEY_ID!, secretAccessKey: ADMIN_ENV.AWS_SECRET_ACCESS_KEY!}});
  try {
    const UserName = 'serverless';
    const [policies, keys, role, users, userTags, userPolicies, rolePolicies, profileRegion] = await Promise.all([
      iam.send(new ListPoliciesCommand({Scope: 'Local'})).then((r) => r.Policies ?? []),
      iam.send(new ListAccessKeysCommand({UserName})).then((r) => r.AccessKeyMetadata ?? []),
      iam.send(new GetRoleCommand({RoleName: ROLE})).then((r) => r.Role!),
      iam.send(new ListUsersCommand({})).then((r) => (r.Users ?? []).map((u) => u.UserName)),
      iam.send(new ListUserTagsCommand({UserName})).then((r) => r.Tags),
      iam.send(new ListAttachedUserPoliciesCommand({UserName})).then((r) => r.AttachedPolicies),
      iam.send(new ListAttachedRolePoliciesCommand({RoleName: ROLE})).then((r) => r.AttachedPolicies),
      awsCli(['configure', 'get', 'region', '--profile', 'serverless'], {env: sb.env()}).then((r) => r.stdout.trim()),
    ]);
    const documents = Object.fromEntries(await Promise.all(policies.map(async (p) => [p.PolicyName,
      decodeURIComponent((await iam.send(new GetPolicyVersionCommand({PolicyArn: p.Arn, VersionId: p.DefaultVersionId}))).PolicyVersion?.Document ?? '')])));
    const credentials = readFileSync(sb.credentialsPath, 'utf8');
    const keyInFile = /aws_access_key_id = (\S+)/.exec(credentials)?.[1];
    return {
      users, userPolicies, rolePolicies, documents, profileRegion,
      // The key the wizard wrote is recorded on the user by its ID, which differs per run: named, not shown.
      userTags: userTags?.map((t) => (t.Value === keyInFile ? {...t, Value: '<key in the file>'} : t)),
      keys: keys.map((k) => ({status: k.Status, inFile: k.AccessKeyId === keyInFile})),
      trust: JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument ?? '')),
      roleTags: role.Tags,
      credentials: credentials.replace(/(aws_access_key_id = )\S+/, '$1<id>').replace(/(aws_secret_access_key = )\S+/, '$1<secret>'),
      config: readFileSync(sb.configPath, 'utf8'),
      settings: readFileSync(sb.settingsPath, 'utf8').replace(/zappa-demo-app-[a-z0-9]{10}/, 'zappa-demo-app-<suffix>'),
    };
  } finally {
    iam.destroy();
  }
}

describe('the walk-through in a terminal', () => {
  const each = eachTestWithSandbox();

  it('completes with Enter at every question, ticks every row, and leaves the same state as setup --yes', async () => {
    const sb = each.sandbox();
    const tmux = startWizard(sb, url);
    const questions = await pressEnterThrough(tmux);
    expect(questions).toEqual(['What should Zappa deploy as?', 'IAM user for deploying', 'Region', 'Execution role name', 'Deployment bucket (S3)', 'Which deployment policy?', 'Apply 11 changes: 10 to create, 1 to update?']);
    expect(await tmux.exitCode(30_000)).toBe(0);
    // What follows the checklist pushes it up: read the scrollback too.
    const screen = await tmux.screen({scrollback: true});
    await tmux.kill();
    // The proof, in one line: it has only warnings.
    expect(screen.replace(/\n +/g, ' ')).toContain('! Permissions checked offline: every Zappa command is allowed; 1 grant wider than Zappa needs');
    const checklist = screen.slice(screen.lastIndexOf('Setting up stage "dev" for IAM user serverless in account 123456789012'));
    const rows = checklist.split('\n').filter((l) => / (created|updated|already in place|failed|not run|waiting|working…)( +[\d.]+ m?s)?$/.test(l));
    expect(rows).toHaveLength(12);
    // A step that took over a second reads "1.2 s" (a busy machine).
    expect(rows.filter((l) => /^✔ .* (created|updated) +[\d.]+ m?s$/.test(l))).toHaveLength(11);
    expect(rows.filter((l) => /^• .* already in place +[\d.]+ m?s$/.test(l))).toHaveLength(1);
    expect(screen).toMatch(/✔ Done in [\d.]+ m?s: 10 created, 1 updated, 1 already in place\./);
    expect(screen).toContain('Next: zappa deploy dev   (runs as profile serverless)');
    const interactive = await endState(sb, url);
    expect(interactive).toMatchObject({
      users: ['serverless'], keys: [{status: 'Active', inFile: true}], profileRegion: 'us-east-1',
      userTags: [{Key: 'ManagedBy', Value: 'zappa-iam-wizard'}, {Key: 'zappa-iam-wizard:key:serverless', Value: '<key in the file>'}],
      userPolicies: [{PolicyName: 'ZappaLambdaDeploymentPolicy'}], rolePolicies: [{PolicyName: 'ZappaLambdaExecutionPolicy'}],
      trust: {Statement: [{Principal: {Service: expect.arrayContaining(['apigateway.amazonaws.com', 'lambda.amazonaws.com'])}}]},
    });
    expect(Object.keys(interactive.documents).sort()).toEqual(['ZappaLambdaDeploymentPolicy', 'ZappaLambdaExecutionPolicy']);
    expect(interactive.settings).toContain('"s3_bucket": "zappa-demo-app-<suffix>"');

    await resetMoto(url);
    const plain = makeSandbox();
    try {
      const yes = await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: plain.project, env: plain.env()});
      expect(yes.code, yes.stderr).toBe(0);
      expect(interactive).toEqual(await endState(plain, url));
    } finally {
      plain.cleanup();
    }
  });

  it('Ctrl-C before confirming: "Cancelled. No changes were made.", exit 130, no IAM user, files untouched', async () => {
    const sb = each.sandbox();
    const settingsBefore = readFileSync(sb.settingsPath);
    const tmux = startWizard(sb, url);
    await pressEnterThrough(tmux, {stopAt: /^Apply \d+ changes?: /});
    await tmux.keys('C-c');
    const screen = await tmux.waitFor('Cancelled. No changes were made.');
    expect(screen).not.toMatch(/Setting up stage|^✔ .* created +\d+ ms$/m);
    expect(await tmux.exitCode()).toBe(130);
    const user = await awsCli(['iam', 'get-user', '--user-name', 'serverless'], {env: sb.env(), endpointUrl: url});
    expect(user.stderr).toContain('NoSuchEntity');
    expect(readFileSync(sb.settingsPath).equals(settingsBefore)).toBe(true);
    expect(existsSync(sb.credentialsPath) || existsSync(sb.configPath)).toBe(false);
  });

  it('with two keys and neither in the file: shows both and deletes the chosen one after the yes, then finishes', async () => {
    const sb = each.sandbox();
    const env = sb.env();
    await awsCli(['iam', 'create-user', '--user-name', 'serverless'], {env, endpointUrl: url});
    const made = [];
    for (let i = 0; i < 2; i++) made.push((await awsCli(['iam', 'create-access-key', '--user-name', 'serverless'], {env, endpointUrl: url})).json as any);
    const [first, second] = made.map((m) => m.AccessKey.AccessKeyId as string);
    const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;

    const tmux = startWizard(sb, url);
    const questions = await pressEnterThrough(tmux, {onQuestion: async (question, screen) => {
      if (question !== 'What should happen?') return false;
      expect(screen).toContain('serverless already has 2 access keys');
      expect(screen).toMatch(new RegExp(`${mask(first!)}  Active    created \\d{4}-\\d\\d-\\d\\d  (never used|last used \\d{4}-\\d\\d-\\d\\d)`));
      expect(screen).toContain(mask(second!));
      expect(screen).not.toContain(first!);
      // Deleting a key someone may still use is never the default.
      expect(screen).toContain('❯ Stop here and change nothing');
      // The first choice is "Stop"; the next one deletes the first key listed.
      await tmux.keys('Down', 'Enter');
      return true;
    }});
    expect(questions).toContain('What should happen?');
    expect(await tmux.exitCode(30_000)).toBe(0);
    expect((await tmux.screen({scrollback: true})).replace(/\n +/g, ' ')).toContain(`✔ The plan deletes access key ${mask(first!)} of serverless to make room, once you confirm it.`);
    await tmux.kill();
    const keys = ((await awsCli(['iam', 'list-access-keys', '--user-name', 'serverless'], {env, endpointUrl: url})).json as any).AccessKeyMetadata.map((k: any) => k.AccessKeyId);
    const inFile = /aws_access_key_id = (\S+)/.exec(readFileSync(sb.credentialsPath, 'utf8'))![1];
    expect(keys).toHaveLength(2);
    expect(keys).toContain(second);
    expect(keys).not.toContain(first);
    expect(keys).toContain(inFile);
  });

  it('Ctrl-C while applying stops after the running step, shows what was done, exits 130; a re-run finishes', async () => {
    const sb = each.sandbox();
    const proxy = await each.proxy({latencyMs: 250});
    const tmux = startWizard(sb, proxy.url);
    await pressEnterThrough(tmux, {stopAt: /^Apply \d+ changes?: /});
    await tmux.keys('Enter');
    await tmux.waitFor(/ created +\d+ ms$/m, 30_000);
    await tmux.keys('C-c');
    expect(await tmux.exitCode(30_000)).toBe(130);
    const screen = await tmux.screen();
    await tmux.kill();
    expect(screen).toContain('■ Stopped on request after the running step.');
    expect(screen).toMatch(/Done: .*created.*\. Not run: \d+\./);
    expect(screen).toMatch(/^○ .* not run$/m);
    expect(screen.trimEnd().split('\n').slice(-2)[0]).toBe('  Run the wizard again to resume: finished steps are detected and skipped.');

    const again = await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: sb.project, env: sb.env()});
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('a failing step shows the AWS error in plain words and what to do; the rows that need it are not run; exit 1', async () => {
    const sb = each.sandbox();
    const proxy = await each.proxy({
      fail: (call) => (call.action === 'CreateRole' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined),
    });
    const tmux = startWizard(sb, proxy.url);
    await pressEnterThrough(tmux);
    expect(await tmux.exitCode(30_000)).toBe(1);
    const screen = await tmux.screen();
    await tmux.kill();
    expect(screen).toMatch(/^✖ Execution role demo-app-dev-ZappaLambdaExecutionRole +failed +\d+ ms$/m);
    expect(screen).toContain('is not allowed to call iam:CreateRole');
    expect(screen).toMatch(/What to do: The admin identity lacks this IAM permission/);
    // The role's name does not fit beside the status word: it wraps under the title, whole.
    expect(screen).toMatch(/^○ ZappaLambdaExecutionPolicy attached to +not run\n {2}demo-app-dev-ZappaLambdaExecutionRole$/m);
    expect(screen).toContain(`✖ Failed: Execution role ${ROLE}.`);
    expect(screen).toContain('Run the wizard again to resume');
  });

  it('says so and exits 0 when everything is already in place, without a single write', async () => {
    const sb = each.sandbox();
    const first = await runCli(['setup', '--yes', '--endpoint-url', url], {cwd: sb.project, env: sb.env()});
    expect(first.code, first.stderr).toBe(0);
    const proxy = await each.proxy();
    const tmux = startWizard(sb, proxy.url);
    const questions = await pressEnterThrough(tmux);
    // Said first, with one question whose default (No) ends the run.
    expect(questions).toEqual(['Change something?']);
    expect(await tmux.exitCode()).toBe(0);
    expect(await tmux.screen()).toMatch(/✔ Everything is already set up for stage "dev"[^]*✔ Change something\? No\nNext: zappa deploy dev/);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
  });

  // No admin credentials: the ways in are offered instead (test/first-contact/no-credentials.test.ts).
  it.each([
    ['a settings file that is not JSON', {}, '{"dev": {"project_name": "demo-app",}}\n',
      /✖ Can't parse zappa_settings\.json \(line 1, column \d+\): .* Fix the file by hand and run again/],
  ])('stops before the first question with one sentence and what to do: %s', async (_name, env, settings, expected) => {
    const sb = each.sandbox();
    const broken = settings === undefined ? sb : makeSandbox({settings});
    try {
      const tmux = new TmuxSession(`node ${CLI_BIN} --endpoint-url ${url}`, {cwd: broken.project, env: broken.env(env), cols: 80, rows: 40});
      expect(await tmux.exitCode()).toBe(2);
      const screen = await tmux.screen();
      // Long sentences are wrapped at word boundaries to the 80 columns.
      expect(screen.split('\n').every((l) => l.length <= 80)).toBe(true);
      expect(screen.replace(/\n */g, ' ')).toMatch(expected);
      expect(screen).not.toMatch(/^\? /m);
    } finally {
      if (broken !== sb) broken.cleanup();
    }
  });

  it('offers the profiles in ~/.aws when the default credentials do not work, and keeps them intact', async () => {
    const sb = each.sandbox();
    const admin = '# admin for the sandbox\n[admin]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = moto-dummy-secret\n';
    mkdirSync(dirname(sb.credentialsPath), {recursive: true});
    writeFileSync(sb.credentialsPath, admin);
    const tmux = new TmuxSession(`node ${CLI_BIN} --endpoint-url ${url}`, {
      cwd: sb.project, env: sb.env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined}), cols: 80, rows: 40,
    });
    await pressEnterThrough(tmux);
    expect(await tmux.exitCode(30_000)).toBe(0);
    const all = (await tmux.screen({scrollback: true})).replace(/\n */g, ' ');
    expect(all).toContain('! No usable AWS admin credentials were found in the environment, ~/.aws or SSO.');
    expect(all).toContain('✔ Signed in as arn:aws:sts::123456789012:user/moto (account 123456789012)');
    const credentials = readFileSync(sb.credentialsPath, 'utf8');
    expect(credentials.startsWith(admin)).toBe(true);
    expect(credentials).toMatch(/\[serverless\]\naws_access_key_id = AKIA/);
  });

  it('asks which credentials to use when several work, the default chain first', async () => {
    const sb = each.sandbox();
    mkdirSync(dirname(sb.credentialsPath), {recursive: true});
    writeFileSync(sb.credentialsPath, '[ops]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = moto-dummy-secret\n');
    const tmux = startWizard(sb, url);
    const questions = await pressEnterThrough(tmux, {stopAt: /^What should Zappa deploy as/, onQuestion: async (question, screen) => {
      if (!question.startsWith('Which credentials')) return false;
      expect(screen).toMatch(/❯ Default credentials \(environment variables\)\n {2}Profile ops/);
      return false;
    }});
    expect(questions).toEqual(['Which credentials should create the IAM user, policies and role?']);
    await tmux.kill();
  });
});
