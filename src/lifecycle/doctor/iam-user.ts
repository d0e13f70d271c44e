/** Checks of the IAM user and its deployment policy. Pure. */
import {allowedActions, samePolicy} from '../../plan/policy.js';
import type {PolicyTarget} from '../../plan/types.js';
import type {PolicyState} from '../../engine/reads.js';
import {grants, placeholdersIn} from './policy-grants.js';
import {Collector, type CheckResult, type Read} from './finding.js';

export interface UserFacts {
  userName: string;
  userExists: Read<boolean>;
  /** ARNs of the managed policies attached to the user. */
  userPolicies: Read<string[]>;
  /** ZappaLambdaDeploymentPolicy as it is in IAM (undefined: it does not exist). */
  policy: Read<PolicyState | undefined>;
  /** The policy as setup would write it. */
  wanted: PolicyTarget;
  /** The execution role's ARN, and whether its name fits the policy's naming rule. */
  roleArn: string;
  roleNameValid: boolean;
  setup: string;
}

export function checkUserAndPolicy(facts: UserFacts): CheckResult {
  const out = new Collector();
  const {userName, wanted, setup} = facts;
  const userExists = out.value(facts.userExists, `IAM user ${userName}`);
  if (userExists === false) {
    out.add({id: 'user-missing', where: `IAM user ${userName}`, problem: 'does not exist in this account', fix: setup});
  }
  const where = `IAM policy ${wanted.name}`;
  const state = out.value(facts.policy, where);
  if (facts.policy?.ok && !state) {
    out.add({id: 'deployment-policy-missing', where, problem: `does not exist, so ${userName} may not deploy anything`, fix: setup});
  }
  if (state) checkDocument(facts, state, out);
  if (userExists && facts.policy?.ok && state) {
    const attached = out.value(facts.userPolicies, `policies attached to ${userName}`);
    if (attached && !attached.includes(wanted.arn)) {
      out.add({id: 'deployment-policy-not-attached', where, problem: `is not attached to IAM user ${userName}, so every Zappa call is denied`, fix: setup});
    }
  }
  return out;
}

function checkDocument(facts: UserFacts, state: PolicyState, out: Collector): void {
  const {wanted, setup} = facts;
  const where = `IAM policy ${wanted.name} (${state.policy.defaultVersionId})`;
  const placeholders = placeholdersIn(state.document);
  if (placeholders.length) {
    out.add({
      id: 'deployment-policy-placeholder', where,
      problem: `still holds ${placeholders.join(', ')} where the account ID belongs, so it matches none of your resources`,
      fix: `${setup} (writes a new default version with the account filled in)`,
    });
    return;
  }
  if (!samePolicy(state.document, wanted.document)) {
    const have = new Set(allowedActions(state.document));
    const lacking = allowedActions(wanted.document).filter((a) => !have.has(a));
    const detail = lacking.length ? `${lacking.length} action(s) Zappa needs are missing, e.g. ${lacking[0]}` : 'its resources or conditions differ';
    out.add({id: 'deployment-policy-outdated', where, problem: `differs from the policy setup writes: ${detail}`, fix: setup});
  }
  if (facts.roleNameValid && !grants(state.document, 'iam:PassRole', facts.roleArn)) {
    out.add({
      id: 'role-not-passable', where: `IAM role ${facts.roleArn}`,
      problem: `${wanted.name} does not let ${facts.userName} pass this role (iam:PassRole), so zappa deploy is denied`,
      fix: setup,
    });
  }
}
