/**
 * Issue 16, items 1, 2 and 9, the parts that need no AWS: who holds a
 * profile (FakeAws, real files in a temp folder), what the walk-through's
 * one confirmation and --force allow, teardown's decisions from an
 * inventory, and the redirect keys as botocore reads them.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {checkAll, type PlanItem} from '../../src/engine/run.js';
import {rowsFor} from '../../src/engine/rows.js';
import type {StepContext} from '../../src/engine/step.js';
import {fileEdits, maskIniLine} from '../../src/app/interactive/plan-view.js';
import {planTeardown, type Inventory} from '../../src/lifecycle/teardown/plan.js';
import {adminProfileOf, consentOf} from '../../src/steps/profile-guard.js';
import {isRedirectKey, redirectsIn, whereItLeads, withoutRedirects} from '../../src/steps/profile-redirects.js';
import {SETUP_STEPS} from '../../src/steps/index.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {engineSandbox} from '../fakes/engine-sandbox.js';

const {paths, context, run} = engineSandbox('zw-profiles-');

const rowOf = (plan: PlanItem[], id: string) => plan.find((p) => p.id === id)!;
const check = async (ctx: StepContext) => checkAll(rowsFor(SETUP_STEPS, [ctx.desired]), ctx);

/** FakeAws with a user "alice" and her key, written into [serverless]. */
async function aliceInProfile(): Promise<{aws: FakeAws; id: string}> {
  const aws = new FakeAws();
  await aws.createUser('alice', {});
  const key = await aws.createAccessKey('alice');
  writeFileSync(paths.credentials, `[serverless]\naws_access_key_id = ${key.id}\naws_secret_access_key = ${key.secret}\n`, {mode: 0o600});
  return {aws, id: key.id};
}

describe('who holds the profile (item 1)', () => {
  it('another user\'s key blocks every row that would change the profile, without consent', async () => {
    const {aws} = await aliceInProfile();
    const plan = await check(await context(aws));
    for (const id of ['access-key', 'config-file']) {
      expect(rowOf(plan, id).check).toMatchObject({state: 'blocked', reason: 'profile-not-wizards'});
    }
    expect(rowOf(plan, 'access-key').check.detail).toContain('arn:aws:iam::123456789012:user/alice');
  });

  it('the walk-through\'s confirmation of the plan is the yes: the row says what it replaces, and setup replaces it', async () => {
    const {aws, id} = await aliceInProfile();
    const ctx = {...(await context(aws)), consent: {confirmsPlan: true, force: false}};
    const plan = await check(ctx);
    const key = rowOf(plan, 'access-key').check;
    expect(key.state).toBe('drifted');
    expect(key.detail).toContain('once you confirm this plan');
    const done = await run(aws, ctx);
    expect(done.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(readFileSync(paths.credentials, 'utf8')).not.toContain(id);
  });

  it('a key of the admin identity itself is never replaced, not even with --force', async () => {
    // FakeAws signs in as user/admin: a key of that user in the profile is the admin's own.
    const aws = new FakeAws();
    await aws.createUser('admin', {});
    const key = await aws.createAccessKey('admin');
    writeFileSync(paths.credentials, `[serverless]\naws_access_key_id = ${key.id}\naws_secret_access_key = ${key.secret}\n`, {mode: 0o600});
    const ctx = {...(await context(aws)), consent: {confirmsPlan: true, force: true}};
    const plan = await check(ctx);
    expect(rowOf(plan, 'access-key').check).toMatchObject({state: 'blocked', reason: 'profile-holds-admin'});
    const done = await run(aws, ctx);
    // The first blocked row to run stops the rest: the key row fails or never starts.
    expect(['failed', 'skipped']).toContain(done.results.find((r) => r.id === 'access-key')?.status);
    expect(readFileSync(paths.credentials, 'utf8')).toContain(key.id);
  });

  it('a key STS refuses (deleted, or expired temporary credentials) is nobody\'s: replaced on --yes', async () => {
    writeFileSync(paths.credentials, '[serverless]\naws_access_key_id = AKIADELETEDKEY000001\naws_secret_access_key = gone\n', {mode: 0o600});
    const plan = await check(await context(new FakeAws()));
    expect(rowOf(plan, 'access-key').check.state).toBe('drifted');
  });

  it('a profile set up to sign in another way (SSO) is not the wizard\'s', async () => {
    writeFileSync(paths.config, '[profile serverless]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n');
    const plan = await check(await context(new FakeAws()));
    expect(rowOf(plan, 'config-file').check).toMatchObject({state: 'blocked', reason: 'profile-not-wizards'});
    // Said once, on the key row (profiles-once.test.ts).
    const row = rowOf(plan, 'access-key').check;
    expect(row).toMatchObject({state: 'blocked', reason: 'profile-not-wizards'});
    expect(row.detail).toContain('sign in through IAM Identity Center as role AdministratorAccess in account 111122223333');
  });

  it('consent comes from the walk-through or --force, never from --yes or --json alone', () => {
    const base = {command: 'setup', yes: false, json: false, force: false};
    expect(consentOf(base)).toEqual({confirmsPlan: true, force: false});
    expect(consentOf({...base, yes: true})).toEqual({confirmsPlan: false, force: false});
    expect(consentOf({...base, json: true})).toEqual({confirmsPlan: false, force: false});
    expect(consentOf({...base, command: 'plan'})).toEqual({confirmsPlan: false, force: false});
    expect(consentOf({...base, yes: true, force: true})).toEqual({confirmsPlan: false, force: true});
  });

  it('knows which profile the SDK reads the admin credentials from', () => {
    expect(adminProfileOf('ops', {AWS_PROFILE: 'x'})).toBe('ops');
    expect(adminProfileOf(undefined, {AWS_PROFILE: 'x', AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B'})).toBe('x');
    expect(adminProfileOf(undefined, {AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B'})).toBeUndefined();
    expect(adminProfileOf(undefined, {})).toBe('default');
  });
});

describe('keys that send the profile elsewhere (item 9)', () => {
  it('are the ones botocore reads before, or instead of, the static key, in any case', () => {
    for (const key of ['role_arn', 'Source_Profile', 'credential_source', 'credential_process', 'web_identity_token_file', 'sso_start_url', 'sso_session']) {
      expect(isRedirectKey(key), key).toBe(true);
    }
    for (const key of ['region', 'output', 'aws_access_key_id', 'mfa_serial', 's3']) expect(isRedirectKey(key), key).toBe(false);
  });

  it('are removed line by line, every other byte kept, and a credential_process command is never shown', () => {
    const text = '# team\r\n[profile serverless]\r\nregion = eu-west-1\r\nrole_arn = arn:aws:iam::1:role/Admin\r\n; why\r\nsource_profile = admin\r\ncredential_process = /bin/get --token s3cr3t\r\n\r\n[profile admin]\r\nregion = us-east-1\r\n';
    const found = redirectsIn({region: 'eu-west-1', role_arn: 'arn:aws:iam::1:role/Admin', source_profile: 'admin', credential_process: '/bin/get --token s3cr3t'}, 'config', 'profile serverless');
    expect(withoutRedirects(text, 'profile serverless', found)).toBe('# team\r\n[profile serverless]\r\nregion = eu-west-1\r\n; why\r\n\r\n[profile admin]\r\nregion = us-east-1\r\n');
    const words = whereItLeads(found);
    expect(words).toContain('assume role arn:aws:iam::1:role/Admin with the credentials of profile admin');
    expect(words).not.toContain('s3cr3t');
    // The plan's diff shows the removed line without its command.
    expect(maskIniLine('credential_process = /bin/get --token s3cr3t')).toBe('credential_process = ****');
  });

  it('make the config-file and verify rows drift on the wizard\'s own profile, and the plan\'s diff shows the removal', async () => {
    const aws = new FakeAws();
    await run(aws);
    writeFileSync(paths.config, `${readFileSync(paths.config, 'utf8')}role_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n`);
    writeFileSync(paths.credentials, `${readFileSync(paths.credentials, 'utf8')}credential_source = Environment\n`, {mode: 0o600});
    const ctx = await context(aws);
    const plan = await check(ctx);
    expect(rowOf(plan, 'config-file').check).toMatchObject({state: 'drifted', reason: 'profile-redirected'});
    expect(rowOf(plan, 'verify').check).toMatchObject({state: 'drifted', reason: 'profile-redirected'});
    const edits = fileEdits(plan, ctx.desired, ctx.files);
    expect(edits.find((e) => e.kind === 'config')?.after).not.toMatch(/role_arn|source_profile/);
    expect(edits.find((e) => e.kind === 'credentials')?.after).not.toContain('credential_source');

    const fixed = await run(aws);
    expect(fixed.results.find((r) => r.id === 'verify')?.detail).toContain('removed credential_source from [serverless]');
    expect(readFileSync(paths.config, 'utf8')).not.toContain('role_arn');
    const again = await run(aws);
    expect(again.results.every((r) => r.status === 'unchanged')).toBe(true);
  });
});

describe('teardown of the profile\'s sections (item 2)', () => {
  const KEY = 'AKIAABCDEFGHIJKL1234';
  const inventory = (over: Partial<Inventory> = {}): Inventory => ({
    userName: 'serverless',
    user: {name: 'serverless', managed: true, keys: [{id: KEY, status: 'Active'}], attached: []},
    policies: [],
    profile: 'serverless', credentialsSection: 'serverless', configSection: 'profile serverless',
    profileKey: {id: KEY, wizards: true},
    ...over,
  });
  const removed = (inv: Inventory, force = false) => planTeardown(inv, force).actions.filter((a) => a.kind === 'remove-section').map((a) => a.title);
  const reasons = (inv: Inventory, force = false) => planTeardown(inv, force).kept.filter((k) => k.step.endsWith('-file')).map((k) => k.reason);

  it('removes both sections when the key in the profile is the user\'s', () => {
    expect(removed(inventory())).toEqual(['remove [serverless] from the credentials file', 'remove [profile serverless] from the config file']);
  });

  it('leaves them when the user does not exist, when the profile holds no key of the user, or another key; --force removes them', () => {
    const cases: [Partial<Inventory>, string][] = [
      [{user: undefined, profileKey: {id: KEY, wizards: false}}, 'user serverless does not exist in this account, so nothing shows the wizard wrote it; --force removes it anyway'],
      [{profileKey: undefined}, '[serverless] in the credentials file holds no access key of user serverless'],
      [{profileKey: {id: 'AKIAOTHER0000000WXYZ', wizards: false}}, "its key AKIA…WXYZ is not one of user serverless's keys"],
    ];
    for (const [over, reason] of cases) {
      expect(removed(inventory(over))).toEqual([]);
      expect(reasons(inventory(over))).toEqual([expect.stringContaining(reason), expect.stringContaining(reason)]);
      expect(removed(inventory(over), true)).toHaveLength(2);
    }
  });

  it('never removes a profile holding the credentials this run signs in with, not even with --force', () => {
    const held = inventory({profileKey: {id: KEY, wizards: false, admin: '[serverless] holds the very key this run signs in with (AKIA…1234)'}});
    expect(removed(held, true)).toEqual([]);
    expect(reasons(held, true)[0]).toContain('never removed, not even with --force');
    expect(removed(inventory({adminProfile: true}), true)).toEqual([]);
  });
});
