/** Every step, in checklist order, for each kind of deploy identity (DESIGN.md's step ids). */
import type {StepDefinition} from '../engine/step.js';
import type {IdentityKind} from '../plan/deploy-identity.js';
import {identityStep} from './identity.js';
import {userStep} from './user.js';
import {accessKeyStep} from './access-key.js';
import {credentialsFileStep} from './credentials-file.js';
import {configFileStep} from './config-file.js';
import {zappaSettingsStep} from './zappa-settings.js';
import {deploymentPolicyStep, executionPolicyStep} from './managed-policy.js';
import {deploymentPolicyAttachedStep, deploymentPolicyAttachedToGroupStep, deploymentPolicyAttachedToRoleStep, executionPolicyAttachedStep} from './attachments.js';
import {executionRoleStep} from './execution-role.js';
import {verifyStep} from './verify.js';
import {groupMembershipStep, groupStep} from './group.js';
import {deployRoleStep} from './deploy-role.js';
import {verifyRoleStep} from './verify-role.js';

/** The setup document's user with an access key. */
export const SETUP_STEPS: readonly StepDefinition[] = [
  identityStep, userStep, accessKeyStep, credentialsFileStep, configFileStep, zappaSettingsStep,
  deploymentPolicyStep, deploymentPolicyAttachedStep, executionPolicyStep, executionRoleStep,
  executionPolicyAttachedStep, verifyStep,
];

/** Seed 003's group: the same user and key, the deployment policy on the group the user is a member of. */
export const GROUP_STEPS: readonly StepDefinition[] = [
  identityStep, userStep, groupStep, groupMembershipStep, accessKeyStep, credentialsFileStep, configFileStep, zappaSettingsStep,
  deploymentPolicyStep, deploymentPolicyAttachedToGroupStep, executionPolicyStep, executionRoleStep,
  executionPolicyAttachedStep, verifyStep,
];

/** A role assumed with the person's own credentials: no user, no key, nothing in the credentials file. */
export const ROLE_STEPS: readonly StepDefinition[] = [
  identityStep, deployRoleStep, configFileStep, zappaSettingsStep,
  deploymentPolicyStep, deploymentPolicyAttachedToRoleStep('deploy-role'), executionPolicyStep, executionRoleStep,
  executionPolicyAttachedStep, verifyRoleStep,
];

export function stepsFor(kind: IdentityKind): readonly StepDefinition[] {
  return {user: SETUP_STEPS, group: GROUP_STEPS, role: ROLE_STEPS}[kind];
}
