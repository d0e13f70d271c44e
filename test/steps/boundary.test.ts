/**
 * Permissions boundaries on the deploy user (issue 14 item 4), against the
 * in-memory fake: moto drops a user's boundary, real IAM keeps it. The roles'
 * boundaries are tested against moto in test/e2e/deploy-identities.test.ts.
 */
import {describe, expect, it} from 'vitest';
import {AwsError} from '../../src/aws/aws-error.js';
import {UserError} from '../../src/errors.js';
import {userStep} from '../../src/steps/user.js';
import {boundaryHint} from '../../src/steps/boundary.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {engineSandbox} from '../fakes/engine-sandbox.js';

const BOUNDARY = 'arn:aws:iam::123456789012:policy/OrgBoundary';

describe('the user row with --permissions-boundary', () => {
  const {context} = engineSandbox('zw-boundary-');

  it('creates the user with the boundary', async () => {
    const aws = new FakeAws();
    const ctx = await context(aws);
    ctx.desired = {...ctx.desired, permissionsBoundary: BOUNDARY};
    const check = await userStep.check(ctx);
    expect(check.detail).toContain(`with permissions boundary ${BOUNDARY}`);
    await userStep.apply(ctx, check);
    expect(aws.users.get('serverless')?.boundary).toBe(BOUNDARY);
  });

  it('sets the boundary on a user that lacks it, and leaves it alone when no boundary is asked for', async () => {
    const aws = new FakeAws();
    await aws.createUser('serverless', {ManagedBy: 'zappa-iam-wizard'});
    const plain = await context(aws);
    expect((await userStep.check(plain)).state).toBe('present');

    const ctx = await context(aws);
    ctx.desired = {...ctx.desired, permissionsBoundary: BOUNDARY};
    const check = await userStep.check(ctx);
    expect(check).toMatchObject({state: 'drifted', reason: 'user-boundary', detail: `permissions boundary none → ${BOUNDARY}`});
    expect(await userStep.apply(ctx, check)).toMatchObject({status: 'updated'});
    expect(aws.users.get('serverless')?.boundary).toBe(BOUNDARY);
    expect(aws.writes()).toEqual(['createUser', 'putUserPermissionsBoundary']);
  });
});

describe('an account that requires a boundary', () => {
  it('turns the AccessDenied that names one into the flag to pass, with the account filled in', () => {
    const denied = new AwsError('AccessDenied', 'AccessDenied', 'iam:CreateRole',
      'User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:CreateRole with an explicit deny: iam:PermissionsBoundary condition');
    const err = boundaryHint(denied, 'role serverless', {setup: 'npx zappa-iam-wizard setup', desired: {account: '123456789012', partition: 'aws'}});
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).hint).toContain('npx zappa-iam-wizard setup --permissions-boundary arn:aws:iam::123456789012:policy/BOUNDARY');
    const other = new AwsError('AccessDenied', 'AccessDenied', 'iam:CreateRole', 'not authorized to perform: iam:CreateRole');
    expect(boundaryHint(other, 'role serverless', {setup: 'x', desired: {account: '1', partition: 'aws'}})).toBe(other);
  });
});
