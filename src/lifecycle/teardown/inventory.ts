/**
 * Teardown's reading side: what exists of the user, its keys, the role, the
 * two policies (with their versions and everything they are attached to) and
 * the profile's sections. Read-only.
 */
import type {AwsPort} from '../../aws/port.js';
import {isManaged} from '../../aws/port.js';
import type {LocalFiles} from '../../engine/local-files.js';
import type {Reads} from '../../engine/reads.js';
import type {DesiredState} from '../../plan/types.js';
import type {Inventory, PolicyFacts} from './plan.js';

export async function takeInventory(desired: DesiredState, reads: Reads, aws: AwsPort, files: LocalFiles): Promise<Inventory> {
  const {userName, roleName, profileName, configSection} = desired;
  const [user, keys, userAttached, role, roleAttached, policies] = await Promise.all([
    reads.user(userName), reads.accessKeys(userName), reads.userPolicies(userName),
    reads.role(roleName), reads.rolePolicies(roleName),
    Promise.all([
      policyFacts('deployment-policy', desired.deploymentPolicy, reads, aws),
      policyFacts('execution-policy', desired.executionPolicy, reads, aws),
    ]),
  ]);
  return {
    user: user && {name: userName, managed: isManaged(user.tags), keys, attached: userAttached},
    role: role && {name: roleName, managed: isManaged(role.tags), attached: roleAttached},
    policies: policies.filter((p): p is PolicyFacts => p !== undefined),
    profile: profileName,
    credentialsSection: files.section('credentials', profileName) ? profileName : undefined,
    configSection: files.section('config', configSection) ? configSection : undefined,
  };
}

async function policyFacts(step: PolicyFacts['step'], target: {name: string; arn: string}, reads: Reads, aws: AwsPort): Promise<PolicyFacts | undefined> {
  const state = await reads.policy(target.arn);
  if (!state) return undefined;
  const [versions, entities] = await Promise.all([aws.listPolicyVersions(target.arn), aws.listEntitiesForPolicy(target.arn)]);
  return {step, name: target.name, arn: target.arn, managed: isManaged(state.policy.tags), versions, entities};
}
