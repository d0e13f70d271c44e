/**
 * The access-key row: the 90-day warnings (pure), the tags that record which
 * key the wizard wrote, and which keys a replacement deactivates, deletes or
 * leaves alone (pure decisions, then the step against FakeAws).
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {AccessKeyInfo, KeyLastUsed} from '../../src/aws/port.js';
import {accessKeyStep, planKeys, type KeyFacts} from '../../src/steps/access-key.js';
import {describeLastUse, keyAgeFindings} from '../../src/steps/key-age.js';
import {keyTagKey, keyTags, replacedTagKey, taggedKeys} from '../../src/steps/key-tags.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {engineSandbox} from '../fakes/engine-sandbox.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 24 * 60 * 60 * 1000);
const key = (id: string, status: 'Active' | 'Inactive', created = daysAgo(10)): AccessKeyInfo => ({id, status, created});

describe('keyAgeFindings: Active keys older than 90 days, or unused for 90 days', () => {
  const facts = (lastUsed: Record<string, KeyLastUsed> = {}, fileKeyId = 'AKIAFILE0000000FILE1') => ({
    userName: 'serverless', fileKeyId, lastUsed: new Map(Object.entries(lastUsed)), now: NOW,
  });

  it('says nothing about a fresh key used yesterday, nor about one exactly 90 days old', () => {
    const keys = [key('AKIAFILE0000000FILE1', 'Active', daysAgo(1)), key('AKIAEDGE0000000EDGE1', 'Active', daysAgo(90))];
    expect(keyAgeFindings(keys, facts({AKIAFILE0000000FILE1: {date: daysAgo(1)}, AKIAEDGE0000000EDGE1: {date: daysAgo(90)}}))).toEqual([]);
  });

  it('warns key-old for the profile key created 91 days ago, with the age and rotate-key as the fix', () => {
    const found = keyAgeFindings([key('AKIAFILE0000000FILE1', 'Active', daysAgo(91))], facts({AKIAFILE0000000FILE1: {date: daysAgo(2)}}));
    expect(found).toEqual([{
      id: 'key-old', severity: 'warning', where: 'IAM user serverless key AKIA…ILE1',
      problem: expect.stringContaining('was created 91 days ago'), fix: 'npx zappa-iam-wizard rotate-key',
    }]);
    expect(found[0]!.problem).toContain('access-keys-rotated');
  });

  it('warns key-unused for a key last used 120 days ago, naming date, service and region', () => {
    const used = {date: daysAgo(120), service: 's3', region: 'eu-west-1'};
    const found = keyAgeFindings([key('AKIAFILE0000000FILE1', 'Active', daysAgo(30))], facts({AKIAFILE0000000FILE1: used}));
    expect(found.map((f) => f.id)).toEqual(['key-unused']);
    expect(found[0]!.problem).toContain('not been used for 120 days');
    expect(found[0]!.problem).toContain(`last used ${daysAgo(120).toISOString().slice(0, 10)} by s3 in eu-west-1`);
  });

  it('warns key-unused for a never-used key only once it is older than 90 days', () => {
    expect(keyAgeFindings([key('AKIAFILE0000000FILE1', 'Active', daysAgo(89))], facts({AKIAFILE0000000FILE1: {}}))).toEqual([]);
    const found = keyAgeFindings([key('AKIAFILE0000000FILE1', 'Active', daysAgo(200))], facts({AKIAFILE0000000FILE1: {}}));
    expect(found.map((f) => f.id)).toEqual(['key-old', 'key-unused']);
    expect(found[1]!.problem).toContain('created 200 days ago and has never been used');
  });

  it('skips Inactive keys, and gives no key-unused warning when the last use could not be read', () => {
    const keys = [key('AKIAOFF00000000OFF01', 'Inactive', daysAgo(400)), key('AKIAFILE0000000FILE1', 'Active', daysAgo(400))];
    // No last-use entry for the Active key: the read failed.
    expect(keyAgeFindings(keys, facts()).map((f) => [f.id, f.where])).toEqual([['key-old', 'IAM user serverless key AKIA…ILE1']]);
  });

  it('tells how to delete a key the file does not hold: masked where it is named, whole in the command to paste', () => {
    const found = keyAgeFindings([key('AKIAHAND0000000HAND1', 'Active', daysAgo(100))], facts({AKIAHAND0000000HAND1: {date: daysAgo(1)}}));
    expect(found[0]!.where).toContain('AKIA…AND1');
    expect(found[0]!.fix).toBe('once nothing uses it any more: `aws iam delete-access-key --user-name serverless --access-key-id AKIAHAND0000000HAND1`');
    expect(found[0]!.problem).not.toContain('AKIAHAND0000000HAND1');
  });

  it('describes a last use, or none', () => {
    expect(describeLastUse({})).toBe('never used');
    expect(describeLastUse({date: new Date('2026-11-30T08:00:00Z'), service: 'sts', region: 'us-east-1'})).toBe('last used 2026-11-30 by sts in us-east-1');
  });
});

describe('the key tags', () => {
  it('names the profile in tag-key characters, at most 128 of them', () => {
    expect(keyTagKey('serverless')).toBe('zappa-iam-wizard:key:serverless');
    expect(keyTagKey('my profile#1!')).toBe('zappa-iam-wizard:key:my profile_1_');
    expect(keyTagKey('prod/eu@team+x=ü')).toBe('zappa-iam-wizard:key:prod/eu@team+x=ü');
    expect([...keyTagKey('p'.repeat(300))]).toHaveLength(128);
    expect(replacedTagKey('serverless')).toBe('zappa-iam-wizard:replaced-key:serverless');
  });

  it('reads back what it writes, whatever the case of the tag key', () => {
    expect(taggedKeys(keyTags('serverless', 'AKIANEW', 'AKIAOLD'), 'serverless')).toEqual({written: 'AKIANEW', replaced: 'AKIAOLD'});
    expect(taggedKeys({'Zappa-IAM-Wizard:Key:serverless': 'AKIANEW'}, 'serverless')).toEqual({written: 'AKIANEW', replaced: undefined});
    expect(taggedKeys({'zappa-iam-wizard:key:other': 'AKIANEW'}, 'serverless')).toEqual({written: undefined, replaced: undefined});
  });
});

describe('planKeys: which keys a replacement touches', () => {
  const OLD = 'AKIAOLD0000000000OLD';
  const HAND = 'AKIAHAND00000000HAND';
  const base: KeyFacts = {userName: 'serverless', profileName: 'serverless', keys: [], tags: {}, credentialsText: ''};
  const ids = (keys: AccessKeyInfo[]) => keys.map((k) => k.id);

  it('deactivates the tagged key after writing the new one when the section was lost', () => {
    const plan = planKeys({...base, keys: [key(OLD, 'Active')], tags: keyTags('serverless', OLD)});
    expect(plan.check).toMatchObject({state: 'missing', reason: 'key-missing'});
    expect(plan.check.detail).toContain('will then deactivate AKIA…0OLD');
    expect(plan.check.detail).toContain('its secret is no longer on this computer');
    expect(plan.check.detail).not.toContain(OLD);
    expect([plan.create, ids(plan.deleteFirst), ids(plan.deactivate)]).toEqual([true, [], [OLD]]);
  });

  it('never touches a key the profile never held (not in the file, not in the tag)', () => {
    const plan = planKeys({...base, keys: [key(HAND, 'Active')]});
    expect([ids(plan.deleteFirst), ids(plan.deactivate), ids(plan.untouched)]).toEqual([[], [], [HAND]]);
    expect(plan.check.detail).toContain('AKIA…HAND was never in [serverless] and stays as it is');
  });

  it('leaves the tagged key alone while its ID is still in the credentials file (another profile holds it)', () => {
    const plan = planKeys({...base, keys: [key(OLD, 'Active')], tags: keyTags('serverless', OLD), credentialsText: `[copy]\naws_access_key_id = ${OLD}\n`});
    expect([ids(plan.deleteFirst), ids(plan.deactivate)]).toEqual([[], []]);
  });

  it('at the two-key limit deletes the replaced key first instead of deactivating it, and keeps the hand-made one', () => {
    const plan = planKeys({...base, keys: [key(OLD, 'Active'), key(HAND, 'Active')], tags: keyTags('serverless', OLD)});
    expect(plan.check.state).toBe('missing');
    expect([ids(plan.deleteFirst), ids(plan.deactivate), ids(plan.untouched)]).toEqual([[OLD], [], [HAND]]);
    expect(plan.check.detail).toContain('will delete AKIA…0OLD first to make room');
  });

  it('is blocked at the limit when neither key was this profile\'s', () => {
    const plan = planKeys({...base, keys: [key(HAND, 'Active'), key('AKIAHAND00000000HAN2', 'Active')]});
    expect(plan.check).toMatchObject({state: 'blocked', reason: 'key-limit'});
    // The commands to paste name the user and each whole key ID: no <user> or <id> to fill in.
    const hint = plan.check.state === 'blocked' ? plan.check.hint : undefined;
    expect(hint).toContain(`\`aws iam delete-access-key --user-name serverless --access-key-id ${HAND}\` or \`aws iam delete-access-key --user-name serverless --access-key-id AKIAHAND00000000HAN2\``);
    expect(hint).not.toMatch(/<\w+>/);
  });

  it('replaces the file key whose secret is rejected, and deactivates it', () => {
    const local = {id: OLD, secret: 'wrong'};
    const plan = planKeys({...base, keys: [key(OLD, 'Active')], local, localWorks: false, credentialsText: `[serverless]\naws_access_key_id = ${OLD}\n`});
    expect(plan.check).toMatchObject({state: 'drifted', reason: 'key-secret-rejected'});
    expect(plan.check.detail).toContain('because the secret on this computer no longer works');
    expect(ids(plan.deactivate)).toEqual([OLD]);
  });

  it('on a later run deletes the Inactive key it replaced, keeping the working one', () => {
    const NEW = 'AKIANEW0000000000NEW';
    const plan = planKeys({
      ...base, keys: [key(OLD, 'Inactive'), key(NEW, 'Active')], tags: keyTags('serverless', NEW, OLD),
      local: {id: NEW, secret: 's'}, localWorks: true, credentialsText: `[serverless]\naws_access_key_id = ${NEW}\n`,
    });
    expect(plan.check).toMatchObject({state: 'drifted', reason: 'key-replaced'});
    expect([plan.create, ids(plan.deleteFirst), ids(plan.deactivate)]).toEqual([false, [OLD], []]);
  });

  it('with the working key in the file and no left-overs, is present', () => {
    const plan = planKeys({...base, keys: [key(OLD, 'Active'), key(HAND, 'Inactive')], tags: keyTags('serverless', OLD), local: {id: OLD, secret: 's'}, localWorks: true, credentialsText: OLD});
    expect(plan.check.state).toBe('present');
  });
});

describe('the step against FakeAws', () => {
  const {paths, context, run: setupRun} = engineSandbox('zw-key-');
  const run = async (aws: FakeAws) => (await setupRun(aws)).results;
  const fileKey = () => /aws_access_key_id = (\S+)/.exec(readFileSync(paths.credentials, 'utf8'))?.[1];

  it('tags the user with the key it wrote', async () => {
    const aws = new FakeAws();
    await run(aws);
    expect(aws.users.get('serverless')?.tags).toMatchObject({ManagedBy: 'zappa-iam-wizard', 'zappa-iam-wizard:key:serverless': fileKey()});
  });

  it('keeps the key and warns when the tag cannot be written', async () => {
    const aws = new FakeAws();
    aws.failOn('tagUser');
    const results = await run(aws);
    const step = results.find((r) => r.id === 'access-key');
    expect(step?.status).toBe('created');
    expect(step?.detail).toMatch(/warning: could not record AKIA…\w{4} on IAM user serverless/);
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(aws.keys.find((k) => k.id === fileKey())?.status).toBe('Active');
  });

  it('puts old and unused keys on the access-key row as warnings, without changing its state', async () => {
    const aws = new FakeAws();
    await run(aws);
    const mine = aws.keys[0]!;
    mine.created = new Date(Date.now() - 200 * 24 * 60 * 60 * 1000);
    aws.lastUsed.set(mine.id, {date: new Date(Date.now() - 100 * 24 * 60 * 60 * 1000), service: 'sts', region: 'eu-west-1'});
    const check = await accessKeyStep.check(await context(aws));
    expect(check.state).toBe('present');
    expect(check.findings?.map((f) => [f.id, f.severity, f.fix])).toEqual([
      ['key-old', 'warning', 'npx zappa-iam-wizard rotate-key'], ['key-unused', 'warning', 'npx zappa-iam-wizard rotate-key'],
    ]);
  });

  it('still checks the row when the last use cannot be read', async () => {
    const aws = new FakeAws();
    await run(aws);
    aws.keys[0]!.created = new Date(Date.now() - 200 * 24 * 60 * 60 * 1000);
    aws.failOn('keyLastUsed');
    const check = await accessKeyStep.check(await context(aws));
    expect(check.state).toBe('present');
    expect(check.findings?.map((f) => f.id)).toEqual(['key-old']);
  });

  it('a failed deactivation is a warning; the next run deactivates it, the one after deletes it', async () => {
    const aws = new FakeAws();
    await run(aws);
    const old = fileKey()!;
    writeFileSync(paths.credentials, '');
    aws.failOn('updateAccessKey');
    const second = await run(aws);
    expect(second.find((r) => r.id === 'access-key')?.detail).toContain(`warning: could not deactivate AKIA…${old.slice(-4)}`);
    expect(aws.keys.find((k) => k.id === old)?.status).toBe('Active');
    const third = await run(aws);
    expect(third.find((r) => r.id === 'access-key')).toMatchObject({status: 'updated', detail: expect.stringContaining(`deactivated AKIA…${old.slice(-4)}`)});
    expect(aws.keys.find((k) => k.id === old)?.status).toBe('Inactive');
    await run(aws);
    expect(aws.keys.map((k) => k.id)).toEqual([fileKey()]);
    aws.calls = [];
    await run(aws);
    expect(aws.writes()).toEqual([]);
  });
});
