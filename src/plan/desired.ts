/** Answers + account + templates -> DesiredState. Pure. */
import {renderTemplate, type PolicyDocument} from './policy.js';
import type {Answers, DesiredState} from './types.js';

export const DEPLOYMENT_POLICY_NAME = 'ZappaLambdaDeploymentPolicy';
export const EXECUTION_POLICY_NAME = 'ZappaLambdaExecutionPolicy';

/** The policy documents before account and partition are filled in. */
export interface PolicyTemplates { deployment: string; execution: string; trust: string }

export function configSectionFor(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

export function policyArn(partition: string, account: string, name: string): string {
  return `arn:${partition}:iam::${account}:policy/${name}`;
}

export function buildDesiredState(
  answers: Answers,
  identity: {account: string; partition: string},
  templates: PolicyTemplates,
): DesiredState {
  const {account, partition} = identity;
  const fill = (t: string): PolicyDocument => renderTemplate(t, {accountId: account, partition});
  const settingsEntries: Record<string, unknown> = {
    profile_name: answers.profileName,
    aws_region: answers.region,
    manage_roles: false,
    role_name: answers.roleName,
    s3_bucket: answers.bucket,
  };
  if (answers.runtime) settingsEntries.runtime = answers.runtime;
  return {
    ...answers,
    account,
    partition,
    userArn: `arn:${partition}:iam::${account}:user/${answers.userName}`,
    deploymentPolicy: {
      name: DEPLOYMENT_POLICY_NAME,
      arn: policyArn(partition, account, DEPLOYMENT_POLICY_NAME),
      document: fill(templates.deployment),
      description: 'What Zappa needs to deploy and update Lambda apps (managed by zappa-iam-wizard)',
    },
    executionPolicy: {
      name: EXECUTION_POLICY_NAME,
      arn: policyArn(partition, account, EXECUTION_POLICY_NAME),
      document: fill(templates.execution),
      description: 'What Zappa Lambda functions may do while running (managed by zappa-iam-wizard)',
    },
    trust: fill(templates.trust),
    settingsEntries,
    configSection: configSectionFor(answers.profileName),
  };
}
