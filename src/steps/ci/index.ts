/**
 * The rows of `ci github`, in checklist order: the admin identity, the OIDC
 * provider, setup's deployment policy, the CI role with that policy attached,
 * setup's execution policy and role (a deploy needs them), and the workflow.
 * The settings file is not edited: the workflow makes the profile its
 * profile_name names (zappa/Zappa#876).
 */
import type {StepDefinition} from '../../engine/step.js';
import {identityStep} from '../identity.js';
import {deploymentPolicyStep, executionPolicyStep} from '../managed-policy.js';
import {deploymentPolicyAttachedToRoleStep, executionPolicyAttachedStep} from '../attachments.js';
import {executionRoleStep} from '../execution-role.js';
import {oidcProviderStep} from './oidc-provider.js';
import {ciRoleStep} from './ci-role.js';
import {workflowFileStep, type WorkflowSource} from './workflow-file.js';

export const CI_STEP_IDS = [
  'identity', 'oidc-provider', 'deployment-policy', 'ci-role', 'deployment-policy-attached',
  'execution-policy', 'execution-role', 'execution-policy-attached', 'workflow-file',
] as const;

export function ciSteps(workflow: WorkflowSource): readonly StepDefinition[] {
  return [
    identityStep, oidcProviderStep, deploymentPolicyStep, ciRoleStep, deploymentPolicyAttachedToRoleStep('ci-role'),
    executionPolicyStep, executionRoleStep, executionPolicyAttachedStep, workflowFileStep(workflow),
  ];
}
