/**
 * The deploy role's trust (--identity role), judged offline: moto lets any
 * principal assume any role, so who gets in is proven here with the
 * project's condition evaluator, on the statement's own ArnLike condition.
 */
import {describe, expect, it} from 'vitest';
import {deployRolePrincipals, deployRoleTrust, deployRoleTrustWith, principalArnsOf} from '../../src/plan/deploy-identity.js';
import {evaluateConditions} from '../../src/policy/conditions.js';
import type {Statement} from '../../src/plan/policy.js';

const ACCOUNT = '123456789012';
const SSO_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_AdministratorAccess_0123abcd/alice@example.com`;

/** Whether a principal (as aws:PrincipalArn) passes the trust's one statement. */
function admits(callerArn: string, principalArn: string): string {
  const [statement] = deployRoleTrust('aws', ACCOUNT, callerArn).Statement as Statement[];
  expect(statement!.Principal).toEqual({AWS: `arn:aws:iam::${ACCOUNT}:root`});
  expect(statement!.Action).toBe('sts:AssumeRole');
  return evaluateConditions(statement!.Condition, {values: {'aws:PrincipalArn': principalArn}});
}

describe('the deploy role trust', () => {
  it('lets in the admin user that ran the wizard, and no other user', () => {
    expect(admits(`arn:aws:iam::${ACCOUNT}:user/admin`, `arn:aws:iam::${ACCOUNT}:user/admin`)).toBe('true');
    expect(admits(`arn:aws:iam::${ACCOUNT}:user/admin`, `arn:aws:iam::${ACCOUNT}:user/admin2`)).toBe('false');
    expect(admits(`arn:aws:iam::${ACCOUNT}:user/admin`, `arn:aws:iam::${ACCOUNT}:user/serverless`)).toBe('false');
  });

  it('lets in the SSO role (whatever path IAM gives it) of the session that ran the wizard, and no other role', () => {
    const role = 'AWSReservedSSO_AdministratorAccess_0123abcd';
    expect(principalArnsOf(SSO_SESSION)).toEqual([`arn:aws:iam::${ACCOUNT}:role/${role}`, `arn:aws:iam::${ACCOUNT}:role/*/${role}`]);
    expect(admits(SSO_SESSION, `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${role}`)).toBe('true');
    expect(admits(SSO_SESSION, `arn:aws:iam::${ACCOUNT}:role/${role}`)).toBe('true');
    expect(admits(SSO_SESSION, `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_99`)).toBe('false');
    expect(admits(SSO_SESSION, `arn:aws:iam::${ACCOUNT}:role/serverless`)).toBe('false');
  });

  it('keeps whoever was let in before when a teammate runs the wizard, and adds the teammate', () => {
    const first = deployRoleTrust('aws', ACCOUNT, `arn:aws:iam::${ACCOUNT}:user/alice`);
    const merged = deployRoleTrustWith(first, deployRoleTrust('aws', ACCOUNT, `arn:aws:iam::${ACCOUNT}:user/bob`));
    expect(deployRolePrincipals(merged)).toEqual([`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/bob`]);
    expect((merged.Statement as Statement[])).toHaveLength(1);
  });
});
