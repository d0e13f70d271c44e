/** Answers + account + templates -> DesiredState. Pure. */
import {renderTemplate, type PolicyDocument} from './policy.js';
import {accountOfArn} from './names.js';
import {TRUSTED_SERVICES} from './trust.js';
import type {Answers, DesiredState, PolicySet, PresetSource} from './types.js';
import {deployRoleTrust, groupArnOf, roleArnOf, type DeployIdentity} from './deploy-identity.js';

export const DEPLOYMENT_POLICY_NAME = 'ZappaLambdaDeploymentPolicy';
export const EXECUTION_POLICY_NAME = 'ZappaLambdaExecutionPolicy';

/**
 * The tag on both managed policies that records the preset they were made
 * from (`document`, `strict`, or the template folder), so later runs without
 * --policy keep it. No tag means `document`.
 */
export const PRESET_TAG = 'zappa-iam-wizard:preset';

/**
 * The tag on the deployment policy that records the kind of deploy identity
 * (`user`, `group:<name>`, `role`), so later runs without --identity judge
 * the setup that is there. No tag means `user`.
 */
export const IDENTITY_TAG = 'zappa-iam-wizard:identity';

/** Where the preset came from, and the value to record (none: leave the tag as it is). */
export interface PresetChoice { source: PresetSource; tag?: string }

/** The policy documents before account and partition are filled in. */
export interface PolicyTemplates { deployment: string; execution: string; trust: string }

/** The IDENTITY_TAG value for the answers' kind. */
export function identityTagOf(a: Pick<Answers, 'identityKind' | 'groupName'>): string {
  const kind = a.identityKind ?? 'user';
  return kind === 'group' ? `group:${a.groupName ?? 'ZappaGroup'}` : kind;
}

export function configSectionFor(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

export function policyArn(partition: string, account: string, name: string): string {
  return `arn:${partition}:iam::${account}:policy/${name}`;
}

const isPolicySet = (p: PolicyTemplates | PolicySet): p is PolicySet => typeof (p as PolicySet).deployment === 'object';

/** The templates as written, filled in: the setup document's policies with nothing derived from settings. */
function filledTemplates(templates: PolicyTemplates, account: string, partition: string): PolicySet {
  const fill = (t: string): PolicyDocument => renderTemplate(t, {accountId: account, partition});
  return {
    preset: 'document', deployment: fill(templates.deployment), execution: fill(templates.execution), trust: fill(templates.trust),
    trustServices: [...TRUSTED_SERVICES], additions: [], omissions: [],
  };
}

/**
 * `policies` is the preset's policy set for the stage (policy/policy-set.ts),
 * or bare templates, which are then used exactly as written.
 */
export function buildDesiredState(
  answers: Answers,
  identity: {account: string; partition: string; arn?: string},
  policies: PolicyTemplates | PolicySet,
  choice: PresetChoice = {source: 'default'},
): DesiredState {
  const {account, partition} = identity;
  const set = isPolicySet(policies) ? policies : filledTemplates(policies, account, partition);
  const presetTag = choice.tag === undefined ? {} : {presetTag: choice.tag};
  const settingsEntries: Record<string, unknown> = {
    profile_name: answers.profileName,
    aws_region: answers.region,
    manage_roles: false,
    // With role_arn Zappa never reads role_name: writing one would only mislead.
    ...(answers.roleArn ? {} : {role_name: answers.roleName}),
    s3_bucket: answers.bucket,
  };
  if (answers.runtime) settingsEntries.runtime = answers.runtime;
  const roleAccount = answers.roleArn ? accountOfArn(answers.roleArn) : account;
  return {
    ...answers,
    account,
    partition,
    userArn: `arn:${partition}:iam::${account}:user/${answers.userName}`,
    deploymentPolicy: {
      name: DEPLOYMENT_POLICY_NAME,
      arn: policyArn(partition, account, DEPLOYMENT_POLICY_NAME),
      document: set.deployment,
      description: 'What Zappa needs to deploy and update Lambda apps (managed by zappa-iam-wizard)',
      ...presetTag,
      ...(answers.identityInferred ? {} : {identityTag: identityTagOf(answers)}),
    },
    executionPolicy: {
      name: EXECUTION_POLICY_NAME,
      arn: policyArn(partition, account, EXECUTION_POLICY_NAME),
      document: set.execution,
      description: 'What Zappa Lambda functions may do while running (managed by zappa-iam-wizard)',
      ...presetTag,
    },
    trust: set.trust,
    trustServices: set.trustServices,
    preset: set.preset,
    presetSource: choice.source,
    additions: set.additions,
    omissions: set.omissions,
    roleInAccount: roleAccount === account,
    settingsEntries,
    configSection: configSectionFor(answers.profileName),
    deployIdentity: deployIdentityOf(answers, identity),
  };
}

/** The kind's own parts: the group's ARN, or the role's ARN, trust and where its profile gets source credentials. */
function deployIdentityOf(answers: Answers, identity: {account: string; partition: string; arn?: string}): DeployIdentity {
  const {account, partition} = identity;
  switch (answers.identityKind ?? 'user') {
    case 'user': return {kind: 'user'};
    case 'group': {
      const group = answers.groupName ?? 'ZappaGroup';
      return {kind: 'group', group, groupArn: groupArnOf(partition, account, group)};
    }
    case 'role': return {
      kind: 'role',
      roleName: answers.userName,
      roleArn: roleArnOf(partition, account, answers.userName),
      trust: deployRoleTrust(partition, account, identity.arn ?? `arn:${partition}:iam::${account}:root`),
      ...(answers.roleSource ?? {}),
    };
  }
}
