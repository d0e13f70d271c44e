/** Checks of the execution role and its policy. Pure. */
import type {IamRole} from '../../aws/port.js';
import type {PolicyState} from '../../engine/reads.js';
import {missingTrustedServices} from '../../plan/trust.js';
import {Collector, type CheckResult, type Read} from './finding.js';

export interface RoleFacts {
  roleName: string;
  role: Read<IamRole | undefined>;
  rolePolicies: Read<string[]>;
  executionPolicy: Read<PolicyState | undefined>;
  executionPolicyName: string;
  executionPolicyArn: string;
  /** Services the stage hands the role to (policy/needs): each must be able to assume it. */
  trustServices: string[];
  setup: string;
}

export function checkExecutionRole(facts: RoleFacts): CheckResult {
  const out = new Collector();
  const {roleName, setup} = facts;
  const where = `IAM role ${roleName}`;
  const role = out.value(facts.role, where);
  if (facts.role.ok && !role) {
    out.add({id: 'role-missing', where, problem: 'does not exist, so the Lambda function has no role to run as (role_name in zappa_settings.json names it)', fix: setup});
  }
  if (role) {
    const lacking = missingTrustedServices(role.trust, facts.trustServices);
    if (lacking.length) {
      out.add({id: 'role-trust', where, problem: `its trust policy does not let ${lacking.join(' and ')} assume it`, fix: setup});
    }
  }
  const policyWhere = `IAM policy ${facts.executionPolicyName}`;
  const policy = out.value(facts.executionPolicy, policyWhere);
  if (facts.executionPolicy.ok && !policy) {
    out.add({id: 'execution-policy-missing', where: policyWhere, problem: 'does not exist, so the function may neither write its logs nor invoke Lambda functions', fix: setup});
  }
  if (role && policy) {
    const attached = out.value(facts.rolePolicies, `policies attached to ${roleName}`);
    if (attached && !attached.includes(facts.executionPolicyArn)) {
      out.add({id: 'execution-policy-not-attached', where: policyWhere, problem: `is not attached to role ${roleName}`, fix: setup});
    }
  }
  return out;
}
