/** The pure parts of doctor, rotate-key and teardown: decisions from facts, no AWS, no files. */
import {describe, expect, it} from 'vitest';
import {grants, placeholdersIn, wildcardMatch} from '../../src/lifecycle/doctor/policy-grants.js';
import {checkProfileFiles} from '../../src/lifecycle/doctor/profile-files.js';
import {checkBucket} from '../../src/lifecycle/doctor/bucket.js';
import {checkAccessKey} from '../../src/lifecycle/doctor/access-key.js';
import {readFailed, readOk} from '../../src/lifecycle/doctor/finding.js';
import {makeRoomFor} from '../../src/lifecycle/rotate-key/make-room.js';
import {planTeardown, type Inventory} from '../../src/lifecycle/teardown/plan.js';
import {wizardCommand} from '../../src/lifecycle/command-line.js';
import {parseArgs} from '../../src/args.js';
import {AwsError} from '../../src/aws/aws-error.js';
import type {PolicyDocument, Statement} from '../../src/plan/policy.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/demo-dev-ZappaLambdaExecutionRole';

describe('policy grants', () => {
  const doc = (statements: Statement[]): PolicyDocument => ({Version: '2012-10-17', Statement: statements});

  it('matches IAM wildcards: * for any run, ? for one character, actions without case', () => {
    expect(wildcardMatch('arn:aws:iam::123456789012:role/*-ZappaLambdaExecutionRole', ROLE_ARN)).toBe(true);
    expect(wildcardMatch('arn:aws:iam::<ACCOUNT_ID>:role/*-ZappaLambdaExecutionRole', ROLE_ARN)).toBe(false);
    expect(wildcardMatch('arn:aws:iam::12345678901?:role/*', ROLE_ARN)).toBe(true);
    expect(wildcardMatch('iam:passrole', 'iam:PassRole', true)).toBe(true);
    expect(wildcardMatch('iam:passrole', 'iam:PassRole')).toBe(false);
  });

  it('allows PassRole only on matching resources, and a Deny wins', () => {
    const allow = {Effect: 'Allow', Action: ['iam:PassRole'], Resource: 'arn:aws:iam::123456789012:role/*-ZappaLambdaExecutionRole'};
    expect(grants(doc([allow]), 'iam:PassRole', ROLE_ARN)).toBe(true);
    expect(grants(doc([allow]), 'iam:PassRole', 'arn:aws:iam::123456789012:role/my-role')).toBe(false);
    expect(grants(doc([{Effect: 'Allow', Action: 'iam:*', Resource: '*'}]), 'iam:PassRole', ROLE_ARN)).toBe(true);
    expect(grants(doc([allow, {Effect: 'Deny', Action: '*', Resource: '*'}]), 'iam:PassRole', ROLE_ARN)).toBe(false);
    expect(grants(doc([{Effect: 'Allow', NotAction: 's3:*', Resource: '*'}]), 'iam:PassRole', ROLE_ARN)).toBe(true);
  });

  it('finds the setup document placeholders left in a policy', () => {
    expect(placeholdersIn(doc([{Effect: 'Allow', Action: '*', Resource: 'arn:aws:iam::<ACCOUNT_ID>:role/x'}]))).toEqual(['<ACCOUNT_ID>']);
    expect(placeholdersIn(doc([{Effect: 'Allow', Action: '*', Resource: '*'}]))).toEqual([]);
  });
});

describe('doctor file checks', () => {
  const base = {profile: 'serverless', profileSource: 'settings' as const, setup: 'npx zappa-iam-wizard setup'};
  const ids = (r: {findings: {id: string}[]}) => r.findings.map((f) => f.id);

  it('treats [default] as bare in both files', () => {
    const r = checkProfileFiles({
      ...base, profile: 'default',
      credentials: {path: 'c', text: '[default]\naws_access_key_id = A\naws_secret_access_key = B\n', mode: 0o600},
      config: {path: 'f', text: '[default]\nregion = us-east-1\n'},
    });
    expect(r.findings).toEqual([]);
  });

  it('says a [profile x] in the credentials file is why the profile is not found, once', () => {
    const r = checkProfileFiles({
      ...base,
      credentials: {path: 'c', text: '[profile serverless]\naws_access_key_id = A\naws_secret_access_key = B\n', mode: 0o600},
      config: {path: 'f', text: '[profile serverless]\nregion = us-east-1\n'},
    });
    expect(ids(r)).toEqual(['credentials-section-prefixed']);
    expect(r.findings[0]?.fix).toBe('npx zappa-iam-wizard setup (writes [serverless]), then delete [profile serverless]');
  });

  it('asks only for the stray section to go when the right one exists too', () => {
    const r = checkProfileFiles({
      ...base,
      credentials: {path: 'c', text: '[serverless]\naws_access_key_id = A\naws_secret_access_key = B\n', mode: 0o600},
      config: {path: 'f', text: '[serverless]\nregion = us-east-1\n\n[profile serverless]\nregion = us-east-1\n'},
    });
    expect(r.findings).toEqual([expect.objectContaining({id: 'config-section-unprefixed', fix: 'delete the [serverless] section; [profile serverless] is the one in use'})]);
  });

  it('checks the bucket name offline, and accepts a plain name this account already owns', () => {
    const where = 'zappa_settings.json stage "dev"';
    expect(ids(checkBucket({where, bucket: 'zappa-demo', setup: 's'}))).toEqual(['bucket-suffix']);
    expect(ids(checkBucket({where, bucket: 'zappa-demo', setup: 's', ownership: readOk('ours')}))).toEqual([]);
    expect(ids(checkBucket({where, bucket: 'zappa-demo-x8k2m0q1zz', setup: 's', ownership: readOk('taken')}))).toEqual(['bucket-taken']);
    expect(ids(checkBucket({where, bucket: 'Zappa_Bad', setup: 's'}))).toEqual(['bucket-prefix']);
    const elsewhere = checkBucket({where, bucket: 'zappa-demo', setup: 's', region: 'us-east-1', ownership: readOk({elsewhere: 'eu-west-1'})});
    expect(elsewhere.findings).toEqual([{
      id: 'bucket-other-region', where: 'S3 bucket zappa-demo',
      problem: "the bucket is in eu-west-1, and Lambda reads code only from a bucket in the function's region (us-east-1), so Zappa cannot deploy from it",
      fix: "s (picks a new zappa-… name, created in the stage's region on the first deploy)",
    }]);
    const notAsked = checkBucket({where, bucket: 'zappa-demo-x8k2m0q1zz', setup: 's', ownership: readFailed('no admin credentials')});
    expect(notAsked.findings).toEqual([]);
    expect(notAsked.notChecked).toEqual([{check: 'owner of bucket zappa-demo-x8k2m0q1zz', reason: 'no admin credentials'}]);
  });
});

describe('doctor key checks', () => {
  const facts = {
    userName: 'serverless', profile: 'serverless', credentialsPath: '/h/.aws/credentials', keyId: 'AKIAABCDEFGHIJKL1234',
    describe: (e: unknown) => String(e), setup: 'setup',
  };
  const rejected = new AwsError('InvalidCredentials', 'InvalidClientTokenId', 'sts:GetCallerIdentity', 'invalid');
  const me = {account: '1', arn: 'arn:aws:iam::1:user/serverless', partition: 'aws'};

  it('without IAM reads, STS alone tells a refused key from a working one', () => {
    const noAdmin = {userExists: readFailed<boolean>('no admin'), keys: readFailed<never[]>('no admin')};
    expect(checkAccessKey({...facts, ...noAdmin, keyIdentity: rejected}).findings.map((f) => f.id)).toEqual(['key-rejected']);
    expect(checkAccessKey({...facts, ...noAdmin, keyIdentity: me}).findings).toEqual([]);
  });

  it('with IAM reads, names what is wrong with the key; never shows the whole key ID', () => {
    const id = (keys: {id: string; status: 'Active' | 'Inactive'}[], keyIdentity: typeof me | AwsError) =>
      checkAccessKey({...facts, userExists: readOk(true), keys: readOk(keys), keyIdentity}).findings.map((f) => f.id);
    expect(id([{id: facts.keyId, status: 'Inactive'}], me)).toEqual(['key-inactive']);
    expect(id([{id: facts.keyId, status: 'Active'}], rejected)).toEqual(['key-secret-rejected']);
    expect(id([], rejected)).toEqual(['key-deleted']);
    expect(id([], {...me, arn: 'arn:aws:iam::1:user/admin'})).toEqual(['key-not-users']);
    expect(id([{id: facts.keyId, status: 'Active'}], me)).toEqual([]);
    const where = checkAccessKey({...facts, userExists: readOk(true), keys: readOk([]), keyIdentity: rejected}).findings[0]?.where;
    expect(where).toBe('/h/.aws/credentials [serverless] key AKIA…1234');
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
