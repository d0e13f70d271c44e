/**
 * Issue 16, item 1: a profile the wizard did not write (another identity's
 * key, e.g. `--profile default`) is never overwritten on --yes alone, and the
 * credentials the run itself signs in with never at all, not even with
 * --force. Against moto through the counting proxy, the files read back
 * byte for byte and by the AWS CLI.
 */
import {describe, expect, it} from 'vitest';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {ADMIN_ENV} from '../helpers/moto.js';
import {eachTestWithSandboxAndProxy, snapshot} from '../lifecycle/lifecycle-helpers.js';
import {callerOf, masked, read, someoneElsesKey, stepOf, wizard, wizardJson, writeAws} from './profiles-helpers.js';

const NO_ADMIN_ENV = {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined};
const CONFIG = '# mine\n[default]\nregion = eu-west-1\n';

describe('a profile that holds someone else\'s key', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  const seedDefault = async () => {
    const alice = await someoneElsesKey(sb);
    writeAws(sb.credentialsPath, `# my keys\n[default]\naws_access_key_id = ${alice.id}\naws_secret_access_key = ${alice.secret}\n`);
    writeAws(sb.configPath, CONFIG);
    return alice;
  };

  it('setup --yes --profile default stops before any change and says what to do', async () => {
    const alice = await seedDefault();
    const before = snapshot(sb);
    proxy.calls.length = 0;

    const run = await wizardJson(sb, ['setup', '--yes', '--profile', 'default'], proxy.url);
    expect(run.code).toBe(1);
    const key = stepOf(run.json, 'access-key')!;
    expect(key.status).toBe('failed');
    expect(key.detail).toContain(`[default] in ${sb.credentialsPath} holds key ${masked(alice.id)} of ${alice.arn}`);
    expect(key.detail).toContain('--yes alone does not overwrite it');
    expect(key.hint).toContain('--profile serverless');
    expect(key.hint).toContain('--force');
    // The config section is the same profile: left alone as well.
    expect(stepOf(run.json, 'config-file')?.status).toBe('failed');
    expect(run.stdout).not.toContain(alice.secret);

    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
    expect(await callerOf(sb, 'default')).toBe(alice.arn);
  });

  it('plan and doctor name it the same way', async () => {
    const alice = await seedDefault();
    const plan = await wizardJson(sb, ['plan', '--profile', 'default'], proxy.url);
    expect(plan.code).toBe(3);
    expect(stepOf(plan.json, 'access-key')).toMatchObject({status: 'failed', detail: expect.stringContaining(`of ${alice.arn}`)});
    const doctor = await wizardJson(sb, ['doctor', '--profile', 'default'], proxy.url);
    expect(doctor.code).toBe(1);
    expect(doctor.json.findings?.find((f) => f.id === 'profile-not-wizards')?.problem).toContain(`of ${alice.arn}`);
  });

  it('--force replaces it, and the plan says whose key it replaces', async () => {
    const alice = await seedDefault();
    const plan = await wizardJson(sb, ['plan', '--force', '--profile', 'default'], proxy.url);
    expect(stepOf(plan.json, 'access-key')?.detail).toContain(`this replaces key ${masked(alice.id)} of ${alice.arn} in [default], as --force asks`);
    const run = await wizardJson(sb, ['setup', '--yes', '--force', '--profile', 'default'], proxy.url);
    expect(run.code, JSON.stringify(run.json.steps, null, 1)).toBe(0);
    expect(read(sb.credentialsPath)).not.toContain(alice.id);
    expect(read(`${sb.credentialsPath}.bak`)).toContain(alice.id);
    expect(await callerOf(sb, 'default')).toBe('arn:aws:iam::123456789012:user/serverless');
  });
});

describe('the credentials this run signs in with', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  const adminProfile = `[default]\naws_access_key_id = ${ADMIN_ENV.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${ADMIN_ENV.AWS_SECRET_ACCESS_KEY}\n`;

  async function refused(args: string[], env?: Record<string, string | undefined>) {
    const before = snapshot(sb);
    proxy.calls.length = 0;
    const run = await wizardJson(sb, args, proxy.url, env);
    expect(run.code).toBe(1);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot(sb)).toEqual(before);
    const key = stepOf(run.json, 'access-key')!;
    expect(key.status).toBe('failed');
    expect(key.hint).toContain('--force does not change this');
    expect(run.stdout).not.toContain(ADMIN_ENV.AWS_SECRET_ACCESS_KEY);
    return key;
  }

  it('are never overwritten when the run reads them from that profile, not even with --force', async () => {
    writeAws(sb.credentialsPath, adminProfile);
    writeAws(sb.configPath, CONFIG);
    const key = await refused(['setup', '--yes', '--force', '--profile', 'default'], NO_ADMIN_ENV);
    expect(key.detail).toContain('this run signs in with the credentials of profile [default]');
  });

  it('are never overwritten when the profile holds the very key the run signs in with, not even with --force', async () => {
    writeAws(sb.credentialsPath, adminProfile.replace('[default]', '[deploy]'));
    const key = await refused(['setup', '--yes', '--force', '--profile', 'deploy']);
    expect(key.detail).toContain(`holds the very key this run signs in with (${masked(ADMIN_ENV.AWS_ACCESS_KEY_ID!)})`);
  });

  it('are left out of the way: the default profile name still works once the admin uses another', async () => {
    // The same person, with the deploy user on a profile of its own: nothing to refuse.
    writeAws(sb.credentialsPath, adminProfile);
    const run = await wizard(sb, ['setup', '--yes'], proxy.url, NO_ADMIN_ENV);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(read(sb.credentialsPath).startsWith(adminProfile)).toBe(true);
  });
});
