/**
 * Issue 16, item 1, in words: when the profile is not the wizard's (another
 * identity's key, or the run's own admin credentials), every row that would
 * change it is blocked, and the sentence that says whose it is and what to
 * do is said once, on the key row; the credentials, config and redirect
 * rows say in a few words that they leave it alone. FakeAws, real files.
 */
import {writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {checkAll, type PlanItem} from '../../src/engine/run.js';
import {rowsFor} from '../../src/engine/rows.js';
import type {StepContext} from '../../src/engine/step.js';
import {SETUP_STEPS} from '../../src/steps/index.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {engineSandbox} from '../fakes/engine-sandbox.js';

const {paths, context} = engineSandbox('zw-profiles-once-');

const check = async (ctx: StepContext) => checkAll(rowsFor(SETUP_STEPS, [ctx.desired]), ctx);
const blocked = (plan: PlanItem[]) => plan.filter((p) => p.check.state === 'blocked');
const textOf = (item: PlanItem) => `${item.check.detail} ${item.check.state === 'blocked' ? item.check.hint ?? '' : ''}`;

/** The key row says it all; every other blocked row says it in a few words, without the key row's sentence or hint. */
function saidOnce(plan: PlanItem[], sentence: string): void {
  const rows = blocked(plan);
  expect(rows.map((r) => r.id)).toContain('access-key');
  expect(rows.length).toBeGreaterThan(1);
  const key = rows.find((r) => r.id === 'access-key')!;
  expect(textOf(key)).toContain(sentence);
  const hint = key.check.state === 'blocked' ? key.check.hint! : '';
  for (const other of rows.filter((r) => r.id !== 'access-key')) {
    expect(other.check.detail, other.id).toMatch(/^left as it is: profile serverless /);
    expect(textOf(other), other.id).not.toContain(sentence);
    expect(textOf(other), other.id).not.toContain(hint);
  }
}

describe('the profile guard\'s sentence', () => {
  it('is said once when the profile holds another user\'s key', async () => {
    const aws = new FakeAws();
    await aws.createUser('alice', {});
    const key = await aws.createAccessKey('alice');
    writeFileSync(paths.credentials, `[serverless]\naws_access_key_id = ${key.id}\naws_secret_access_key = ${key.secret}\n`, {mode: 0o600});
    writeFileSync(paths.config, '[profile serverless]\nregion = eu-west-1\n');
    saidOnce(await check(await context(aws)), 'arn:aws:iam::123456789012:user/alice, not a key of serverless');
  });

  it('is said once when the profile holds the run\'s own admin credentials, even with --force', async () => {
    const aws = new FakeAws();
    await aws.createUser('admin', {});
    const key = await aws.createAccessKey('admin');
    writeFileSync(paths.credentials, `[serverless]\naws_access_key_id = ${key.id}\naws_secret_access_key = ${key.secret}\n`, {mode: 0o600});
    writeFileSync(paths.config, '[profile serverless]\nregion = eu-west-1\n');
    const ctx = {...(await context(aws)), consent: {confirmsPlan: false, force: true}};
    const plan = await check(ctx);
    saidOnce(plan, 'the wizard never overwrites the credentials a run signs in with');
    expect(blocked(plan).every((r) => r.check.reason === 'profile-holds-admin')).toBe(true);
  });
});
