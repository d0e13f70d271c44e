/**
 * Issue 16, item 2: teardown removes [serverless] / [profile serverless] only
 * when the wizard wrote them (the key there is one of the user's keys in this
 * account, or one its tags say the wizard wrote there); otherwise it leaves
 * them and says why, and --force removes them, except a profile holding the
 * credentials the run signs in with. Against moto; files compared byte for
 * byte, and read back by the AWS CLI.
 */
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {ADMIN_ENV} from '../helpers/moto.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {eachTestWithSandboxAndProxy, setupDone} from '../lifecycle/lifecycle-helpers.js';
import {awsAs, callerOf, masked, read, someoneElsesKey, stepOf, wizardJson, writeAws, type Report} from './profiles-helpers.js';

const CREDENTIALS = (id: string, secret: string, profile = 'serverless') => `# mine\n[${profile}]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`;
const CONFIG = (profile = 'serverless') => `[profile ${profile}]\nregion = eu-west-1\noutput = json\n`;

const keptFiles = (report: Report) => (report.kept ?? []).filter((k) => k.step.endsWith('-file'));

describe('teardown and the profile\'s sections', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  it('leaves them when the user does not exist in this account, and says why', async () => {
    const alice = await someoneElsesKey(sb);
    writeAws(sb.credentialsPath, CREDENTIALS(alice.id, alice.secret));
    writeAws(sb.configPath, CONFIG());
    const run = await wizardJson(sb, ['teardown', '--yes'], proxy.url);
    expect(run.code, run.stderr).toBe(0);
    expect(read(sb.credentialsPath)).toBe(CREDENTIALS(alice.id, alice.secret));
    expect(read(sb.configPath)).toBe(CONFIG());
    expect(keptFiles(run.json).map((k) => k.reason)).toEqual([
      'user serverless does not exist in this account, so nothing shows the wizard wrote it; --force removes it anyway',
      'user serverless does not exist in this account, so nothing shows the wizard wrote it; --force removes it anyway',
    ]);
    expect(stepOf(run.json, 'credentials-file')).toMatchObject({status: 'skipped', detail: expect.stringContaining('does not exist in this account')});
    expect(await callerOf(sb, 'serverless')).toBe(alice.arn);
  });

  it('leaves a section holding a key that is not the user\'s; --force removes it', async () => {
    await setupDone(sb);
    const alice = await someoneElsesKey(sb);
    const config = read(sb.configPath);
    writeAws(sb.credentialsPath, CREDENTIALS(alice.id, alice.secret));
    const run = await wizardJson(sb, ['teardown', '--yes'], proxy.url);
    expect(run.code, run.stderr).toBe(0);
    // The user and its key are gone; the profile with alice's key stays, and says why.
    expect(stepOf(run.json, 'user')?.status).toBe('updated');
    expect(read(sb.credentialsPath)).toBe(CREDENTIALS(alice.id, alice.secret));
    expect(read(sb.configPath)).toBe(config);
    expect(keptFiles(run.json)[0]?.reason).toBe(`its key ${masked(alice.id)} is not one of user serverless's keys, so nothing shows the wizard wrote it; --force removes it anyway`);

    const forced = await wizardJson(sb, ['teardown', '--yes', '--force'], proxy.url);
    expect(forced.code, forced.stderr).toBe(0);
    expect(read(sb.credentialsPath)).toBe('# mine\n');
    expect(read(sb.configPath)).not.toContain('[profile serverless]');
  });

  it('with --profile other, leaves [other] when its key is not the user\'s', async () => {
    await setupDone(sb);
    const alice = await someoneElsesKey(sb);
    writeAws(sb.credentialsPath, `${read(sb.credentialsPath)}\n[other]\naws_access_key_id = ${alice.id}\naws_secret_access_key = ${alice.secret}\n`);
    writeAws(sb.configPath, `${read(sb.configPath)}\n[profile other]\nregion = eu-west-1\n`);
    const credentials = read(sb.credentialsPath);
    const config = read(sb.configPath);
    const run = await wizardJson(sb, ['teardown', '--yes', '--profile', 'other'], proxy.url);
    expect(run.code, run.stderr).toBe(0);
    expect(read(sb.credentialsPath)).toBe(credentials);
    expect(read(sb.configPath)).toBe(config);
    expect(keptFiles(run.json).map((k) => k.what)).toEqual(['[other] in the credentials file', '[profile other] in the config file']);
    expect(keptFiles(run.json)[0]?.reason).toContain(`its key ${masked(alice.id)} is not one of user serverless's keys`);
    expect(await callerOf(sb, 'other')).toBe(alice.arn);
  });

  it('removes the sections the wizard wrote, also when a first teardown stopped after deleting the keys', async () => {
    await setupDone(sb);
    proxy.setFault((call) => (call.action === 'DeleteUser' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined));
    expect((await wizardJson(sb, ['teardown', '--yes'], proxy.url)).code).toBe(1);
    expect(read(sb.credentialsPath)).toContain('[serverless]');
    proxy.setFault(undefined);
    // The key is deleted now; the user's tag still says the wizard wrote it into [serverless].
    const again = await wizardJson(sb, ['teardown', '--yes'], proxy.url);
    expect(again.code, again.stderr).toBe(0);
    expect(read(sb.credentialsPath)).not.toContain('[serverless]');
    expect(read(sb.configPath)).not.toContain('[profile serverless]');
  });

  it('never removes a section holding the very key this run signs in with, not even with --force', async () => {
    writeAws(sb.credentialsPath, CREDENTIALS(ADMIN_ENV.AWS_ACCESS_KEY_ID!, ADMIN_ENV.AWS_SECRET_ACCESS_KEY!));
    const run = await wizardJson(sb, ['teardown', '--yes', '--force'], proxy.url);
    expect(run.code, run.stderr).toBe(0);
    expect(read(sb.credentialsPath)).toBe(CREDENTIALS(ADMIN_ENV.AWS_ACCESS_KEY_ID!, ADMIN_ENV.AWS_SECRET_ACCESS_KEY!));
    expect(keptFiles(run.json)[0]?.reason).toContain('holds the very key this run signs in with');
    expect(keptFiles(run.json)[0]?.reason).toContain('not even with --force');
    expect(run.stdout).not.toContain(ADMIN_ENV.AWS_SECRET_ACCESS_KEY);
    // Still the admin's profile for the AWS CLI.
    expect((await awsAs(sb, ['configure', 'get', 'aws_access_key_id', '--profile', 'serverless'])).stdout.trim()).toBe(ADMIN_ENV.AWS_ACCESS_KEY_ID);
  });
});
