/** The pure parts of doctor, rotate-key and teardown: decisions from facts, no AWS, no files. */
import {describe, expect, it} from 'vitest';
import {sectionNameLints} from '../../src/app/doctor/lints.js';
import {placeholdersIn} from '../../src/plan/policy.js';
import {makeRoomFor} from '../../src/lifecycle/rotate-key/make-room.js';
import {planTeardown, type Inventory} from '../../src/lifecycle/teardown/plan.js';
import {wizardCommand} from '../../src/lifecycle/command-line.js';
import {parseArgs} from '../../src/args.js';
import type {PolicyDocument} from '../../src/plan/policy.js';

describe('doctor lints that are not rows', () => {
  const base = {profile: 'serverless', configSection: 'profile serverless'};
  const ids = (found: {id: string}[]) => found.map((f) => f.id);

  it('treats [default] as bare in both files', () => {
    expect(sectionNameLints({
      ...base, profile: 'default', configSection: 'default',
      credentials: {path: 'c', text: '[default]\naws_access_key_id = A\naws_secret_access_key = B\n'},
      config: {path: 'f', text: '[default]\nregion = us-east-1\n'},
    })).toEqual([]);
  });

  it('explains a [profile x] in the credentials file, as a warning (the row reports the missing section)', () => {
    const found = sectionNameLints({
      ...base,
      credentials: {path: 'c', text: '[profile serverless]\naws_access_key_id = A\naws_secret_access_key = B\n'},
      config: {path: 'f', text: '[profile serverless]\nregion = us-east-1\n'},
    });
    expect(ids(found)).toEqual(['credentials-section-prefixed']);
    expect(found[0]).toMatchObject({severity: 'warning', where: 'c [profile serverless]', fix: 'delete the [profile serverless] section; [serverless] is the one in use'});
  });

  it('asks only for the stray section to go in the config file', () => {
    const found = sectionNameLints({
      ...base,
      credentials: {path: 'c', text: '[serverless]\naws_access_key_id = A\naws_secret_access_key = B\n'},
      config: {path: 'f', text: '[serverless]\nregion = us-east-1\n\n[profile serverless]\nregion = us-east-1\n'},
    });
    expect(found).toEqual([expect.objectContaining({id: 'config-section-unprefixed', severity: 'warning', fix: 'delete the [serverless] section; [profile serverless] is the one in use'})]);
  });

  it('finds the setup document placeholders left in a policy', () => {
    const doc = (Resource: string): PolicyDocument => ({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource}]});
    expect(placeholdersIn(doc('arn:aws:iam::<ACCOUNT_ID>:role/x'))).toEqual(['<ACCOUNT_ID>']);
    expect(placeholdersIn(doc('*'))).toEqual([]);
  });
});

describe('rotate-key: making room', () => {
  const key = (id: string, status: 'Active' | 'Inactive', day: number) => ({id, status, created: new Date(2026, 0, day)});

  it('needs no room below two keys', () => {
    expect(makeRoomFor([key('A', 'Active', 1)], 'A')).toEqual({kind: 'enough'});
  });

  it('deletes an Inactive key not in the file without asking', () => {
    expect(makeRoomFor([key('A', 'Active', 1), key('B', 'Inactive', 2)], 'A')).toMatchObject({kind: 'delete', key: {id: 'B'}, ask: false});
  });

  it('asks before deleting an Active key the file does not hold, and never picks the working key in the file', () => {
    expect(makeRoomFor([key('A', 'Active', 1), key('B', 'Active', 2)], 'A')).toMatchObject({kind: 'delete', key: {id: 'B'}, ask: true});
    expect(makeRoomFor([key('A', 'Active', 1), key('B', 'Active', 2)], undefined)).toMatchObject({kind: 'delete', key: {id: 'A'}, ask: true});
  });

  it('deletes the Inactive key in the file, which works for nobody, rather than an Active one', () => {
    expect(makeRoomFor([key('A', 'Inactive', 1), key('B', 'Active', 2)], 'A')).toMatchObject({kind: 'delete', key: {id: 'A'}, ask: false});
  });
});

describe('teardown plan', () => {
  const arn = (name: string) => `arn:aws:iam::1:policy/${name}`;
  const inventory = (over: Partial<Inventory> = {}): Inventory => ({
    user: {name: 'serverless', managed: true, keys: [{id: 'AKIAABCDEFGHIJKL1234', status: 'Active'}], attached: [arn('D')]},
    role: {name: 'r-ZappaLambdaExecutionRole', managed: true, attached: [arn('E')]},
    policies: [
      {step: 'deployment-policy', name: 'D', arn: arn('D'), managed: true, versions: [{id: 'v1', isDefault: false}, {id: 'v2', isDefault: true}], entities: {users: ['serverless'], roles: [], groups: []}},
      {step: 'execution-policy', name: 'E', arn: arn('E'), managed: true, versions: [{id: 'v1', isDefault: true}], entities: {users: [], roles: ['r-ZappaLambdaExecutionRole'], groups: []}},
    ],
    profile: 'serverless', credentialsSection: 'serverless', configSection: 'profile serverless',
    profileKey: {id: 'AKIAABCDEFGHIJKL1234', wizards: true},
    ...over,
  });

  it('detaches first, deletes old versions before their policy and keys before the user, edits files last', () => {
    const {actions, kept} = planTeardown(inventory(), false);
    expect(kept).toEqual([]);
    expect(actions.map((a) => a.title)).toEqual([
      'detach D from user serverless', 'detach E from role r-ZappaLambdaExecutionRole',
      'delete version v1 of D', 'delete policy D', 'delete policy E',
      'delete access key AKIA…1234 (Active) of serverless', 'delete user serverless', 'delete role r-ZappaLambdaExecutionRole',
      'remove [serverless] from the credentials file', 'remove [profile serverless] from the config file',
    ]);
  });

  it('plans nothing when nothing is left', () => {
    expect(planTeardown({policies: [], profile: 'serverless'}, false)).toEqual({actions: [], kept: []});
  });

  it('keeps untagged resources and the profile of a kept user, unless forced', () => {
    const untagged = inventory({user: {...inventory().user!, managed: false}});
    const {actions, kept} = planTeardown(untagged, false);
    expect(actions.map((a) => a.kind)).not.toContain('delete-user');
    expect(actions.map((a) => a.kind)).not.toContain('remove-section');
    // The policy goes, so it is detached from the kept user.
    expect(actions[0]?.title).toBe('detach D from user serverless');
    expect(kept.map((k) => k.step)).toEqual(['user', 'credentials-file', 'config-file']);
    expect(planTeardown(untagged, true).actions.map((a) => a.kind)).toContain('delete-user');
  });

  it('keeps a policy attached to something else, unless forced, and then detaches it there too', () => {
    const shared = inventory();
    shared.policies[1]!.entities.groups.push('devs');
    expect(planTeardown(shared, false).kept).toEqual([{step: 'execution-policy', what: 'policy E', reason: 'also attached to group devs; detach it there first, or use --force'}]);
    expect(planTeardown(shared, true).actions.map((a) => a.title)).toContain('detach E from group devs');
  });

  it('never removes the default profile', () => {
    const {actions, kept} = planTeardown(inventory({profile: 'default', credentialsSection: 'default', configSection: 'default'}), true);
    expect(actions.map((a) => a.kind)).not.toContain('remove-section');
    expect(kept.map((k) => k.what)).toEqual(['[default] in the credentials file', '[default] in the config file']);
  });
});

describe('suggested commands', () => {
  it('carry the flags the person chose, and leave out defaults', () => {
    expect(wizardCommand('setup', parseArgs(['doctor']))).toBe('npx zappa-iam-wizard setup');
    expect(wizardCommand('setup', parseArgs(['doctor', '--stage', 'prod', '--user', 'deployer', '--settings', 'my settings.json'])))
      .toBe("npx zappa-iam-wizard setup --settings 'my settings.json' --stage prod --user deployer");
  });
});
