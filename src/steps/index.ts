/** Every step, in checklist order. */
import type {StepDefinition} from '../engine/step.js';
import {identityStep} from './identity.js';
import {userStep} from './user.js';
import {accessKeyStep} from './access-key.js';
import {credentialsFileStep} from './credentials-file.js';
import {configFileStep} from './config-file.js';
import {zappaSettingsStep} from './zappa-settings.js';
import {deploymentPolicyStep, executionPolicyStep} from './managed-policy.js';
import {deploymentPolicyAttachedStep, executionPolicyAttachedStep} from './attachments.js';
import {executionRoleStep} from './execution-role.js';
import {verifyStep} from './verify.js';

export const SETUP_STEPS: readonly StepDefinition[] = [
  identityStep, userStep, accessKeyStep, credentialsFileStep, configFileStep, zappaSettingsStep,
  deploymentPolicyStep, deploymentPolicyAttachedStep, executionPolicyStep, executionRoleStep,
  executionPolicyAttachedStep, verifyStep,
];
