/**
 * "One verdict", part 4: keys. Against moto, checked with the AWS CLI: the
 * user's tag names the key the wizard wrote; when the profile loses it, a
 * re-run writes a new key and deactivates the old one, and the run after that
 * deletes it; a key made by hand, never in the profile, is never touched; a
 * fresh key draws no age warning.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {SdkGateway} from '../../src/aws/sdk-gateway.js';
import {LocalFiles} from '../../src/engine/local-files.js';
import {Reads} from '../../src/engine/reads.js';
import type {StepContext} from '../../src/engine/step.js';
import {buildDesiredState} from '../../src/plan/desired.js';
import {accessKeyStep} from '../../src/steps/access-key.js';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {ADMIN_ENV, motoUrl} from '../helpers/moto.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {aws, awsOk, eachTestWithSandboxAndProxy, fileKeyId, keysOf, setupDone, wizardJson} from '../lifecycle/lifecycle-helpers.js';

interface JsonReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  apiCalls: {read: number; write: number};
}

const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;
const KEY_TAG = 'zappa-iam-wizard:key:serverless';
const REPLACED_TAG = 'zappa-iam-wizard:replaced-key:serverless';

describe('the keys the wizard wrote into the profile', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  const setup = () => wizardJson<JsonReport>(sb, ['setup', '--yes'], proxy.url);
  const keyStep = (report: JsonReport) => report.steps.find((s) => s.id === 'access-key')!;
  const loseSection = () => writeFileSync(sb.credentialsPath, readFileSync(sb.credentialsPath, 'utf8').replace(/\[serverless\][^[]*/, ''));
  async function userTags(): Promise<Record<string, string>> {
    const tags = (await awsOk(sb, ['iam', 'list-user-tags', '--user-name', 'serverless'])).Tags as {Key: string; Value: string}[];
    return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  }
  async function profileWorks(): Promise<void> {
    const who = await aws(sb, ['sts', 'get-caller-identity', '--profile', 'serverless'], {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined});
    expect(who.code, who.stderr).toBe(0);
    expect((who.json as {Arn: string}).Arn).toBe('arn:aws:iam::123456789012:user/serverless');
  }

  it('tags the user with the key it wrote, beside ManagedBy', async () => {
    await setupDone(sb);
    expect(await userTags()).toEqual({ManagedBy: 'zappa-iam-wizard', [KEY_TAG]: fileKeyId(sb)});
  });

  it('(a) lost [serverless]: a re-run writes a new key, deactivates the old one and tags the new one', async () => {
    await setupDone(sb);
    const old = fileKeyId(sb)!;
    loseSection();
    const run = await setup();
    expect(run.code, JSON.stringify(run.json.steps)).toBe(0);
    const fresh = fileKeyId(sb)!;
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(keyStep(run.json)).toMatchObject({status: 'created', detail: expect.stringContaining(`deactivated ${mask(old)}, whose secret is no longer on this computer`)});
    const keys = await keysOf(sb);
    expect(keys).toHaveLength(2);
    expect(keys).toEqual(expect.arrayContaining([{id: old, status: 'Inactive'}, {id: fresh, status: 'Active'}]));
    expect(await userTags()).toMatchObject({[KEY_TAG]: fresh, [REPLACED_TAG]: old});
    await profileWorks();
    expect(run.stdout).not.toContain(old);
    expect(run.stdout).not.toContain(fresh);
  });

  it('(b) the run after that deletes the Inactive replaced key, and the next one writes nothing', async () => {
    await setupDone(sb);
    const old = fileKeyId(sb)!;
    loseSection();
    expect((await setup()).code).toBe(0);
    const fresh = fileKeyId(sb)!;

    const third = await setup();
    expect(third.code).toBe(0);
    expect(keyStep(third.json)).toMatchObject({status: 'updated', detail: expect.stringContaining(`deleted the Inactive key ${mask(old)} it replaced`)});
    expect(third.json.apiCalls.write).toBe(1);
    expect(await keysOf(sb)).toEqual([{id: fresh, status: 'Active'}]);
    expect(fileKeyId(sb)).toBe(fresh);
    await profileWorks();

    const fourth = await setup();
    expect(fourth.json.apiCalls.write).toBe(0);
    expect(fourth.json.steps.filter((s) => s.status !== 'unchanged')).toEqual([]);
  });

  it('(c) a key made by hand with the AWS CLI, never in the profile, is never touched', async () => {
    // Made before the wizard ever ran: the user exists with a key nobody wrote into the profile.
    await awsOk(sb, ['iam', 'create-user', '--user-name', 'serverless']);
    const hand = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
    const first = await setup();
    expect(first.code).toBe(0);
    expect(keyStep(first.json).detail).toContain(`left ${mask(hand)} as it was (never in [serverless])`);
    const wizards = fileKeyId(sb)!;
    expect(await keysOf(sb)).toEqual(expect.arrayContaining([{id: hand, status: 'Active'}, {id: wizards, status: 'Active'}]));

    // Losing the section at the two-key limit: the wizard's own key goes to make room, the hand-made one stays.
    loseSection();
    const second = await setup();
    expect(second.code, JSON.stringify(second.json.steps)).toBe(0);
    expect(keyStep(second.json).detail).toContain(`deleted ${mask(wizards)} to make room`);
    const fresh = fileKeyId(sb)!;
    expect((await keysOf(sb)).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [{id: hand, status: 'Active'}, {id: fresh, status: 'Active'}].sort((a, b) => a.id.localeCompare(b.id)));

    const third = await setup();
    expect(third.json.apiCalls.write).toBe(0);
    expect((await keysOf(sb)).map((k) => k.id)).toContain(hand);
    expect(proxy.calls.filter((c) => c.action === 'UpdateAccessKey')).toEqual([]);
  });

  it('stops at the two-key limit when neither key was ever in the profile, and touches neither', async () => {
    await setupDone(sb);
    await awsOk(sb, ['iam', 'delete-access-key', '--user-name', 'serverless', '--access-key-id', fileKeyId(sb)!]);
    const made = [];
    for (let i = 0; i < 2; i++) made.push((await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string);
    loseSection();
    const run = await setup();
    expect(run.code).toBe(1);
    expect(keyStep(run.json).status).toBe('failed');
    for (const id of made) expect(keyStep(run.json).detail).toContain(mask(id));
    expect((await keysOf(sb)).map((k) => k.id).sort()).toEqual([...made].sort());
  });

  it('a fresh key draws no key-old or key-unused warning, and its last use is not even read; last use maps as AWS gives it', async () => {
    await setupDone(sb);
    const files = await LocalFiles.load({credentials: sb.credentialsPath, config: sb.configPath, settings: sb.settingsPath});
    const gateway = new SdkGateway({
      credentials: {accessKeyId: ADMIN_ENV.AWS_ACCESS_KEY_ID!, secretAccessKey: ADMIN_ENV.AWS_SECRET_ACCESS_KEY!},
      region: 'us-east-1', endpoints: {iam: proxy.url, sts: proxy.url, s3: proxy.url},
    });
    try {
      const answers = {
        stage: 'dev', projectName: 'demo-app', userName: 'serverless', profileName: 'serverless', region: 'us-east-1',
        roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-demo-app-x',
      };
      const desired = buildDesiredState(answers, {account: '123456789012', partition: 'aws'}, DOCUMENT_TEMPLATES);
      const ctx = {desired, reads: new Reads(gateway), aws: gateway, files, run: {}, setup: 'npx zappa-iam-wizard setup', progress: () => {}, sleep: async () => {}} as StepContext;
      const check = await accessKeyStep.check(ctx);
      expect(check.state).toBe('present');
      expect(check.findings ?? []).toEqual([]);
      // A key younger than 90 days cannot have been idle for 90: its last use is not asked for.
      expect(proxy.calls.filter((c) => c.action === 'GetAccessKeyLastUsed')).toHaveLength(0);
      // setup's verify step used the key through STS: moto records it as AWS would.
      const used = await gateway.keyLastUsed(fileKeyId(sb)!);
      expect(used).toMatchObject({service: 'sts', region: 'us-east-1'});
      expect(used.date).toBeInstanceOf(Date);
      // A key never used: AWS's "N/A" is no service and no region.
      const unused = (await awsOk(sb, ['iam', 'create-access-key', '--user-name', 'serverless'])).AccessKey.AccessKeyId as string;
      expect(await gateway.keyLastUsed(unused)).toEqual({date: undefined, service: undefined, region: undefined});
    } finally {
      gateway.destroy();
    }
  });
});
