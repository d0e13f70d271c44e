/**
 * Teardown's reading side: what exists of the user, its keys, the role, the
 * two policies (with their versions and everything they are attached to) and
 * the profile's sections. Read-only.
 */
import type {AccessKeyInfo, AwsPort, IamUser} from '../../aws/port.js';
import {isManaged} from '../../aws/port.js';
import type {LocalFiles} from '../../engine/local-files.js';
import type {Reads} from '../../engine/reads.js';
import type {DesiredState} from '../../plan/types.js';
import {localKey} from '../../steps/local-key.js';
import {taggedKeys} from '../../steps/key-tags.js';
import {adminHold} from '../../steps/profile-guard.js';
import type {Inventory, PolicyFacts, ProfileKey} from './plan.js';

/** How teardown was asked to run: --force, and the profile the admin credentials come from (steps/profile-guard.ts). */
export interface InventoryOptions { force: boolean; adminProfile?: string }

export async function takeInventory(desired: DesiredState, reads: Reads, aws: AwsPort, files: LocalFiles, options: InventoryOptions = {force: false}): Promise<Inventory> {
  const {userName, roleName, profileName, configSection} = desired;
  const [user, keys, userAttached, userGroups, role, roleAttached, policies] = await Promise.all([
    reads.user(userName), reads.accessKeys(userName), reads.userPolicies(userName), reads.groupsForUser(userName).catch(() => []),
    reads.role(roleName), reads.rolePolicies(roleName),
    Promise.all([
      policyFacts('deployment-policy', desired.deploymentPolicy, reads, aws),
      policyFacts('execution-policy', desired.executionPolicy, reads, aws),
    ]),
  ]);
  const kindParts = await identityParts(desired, reads, files);
  return {
    ...kindParts,
    user: user && {name: userName, managed: isManaged(user.tags), keys, attached: userAttached, groups: userGroups},
    role: role && {name: roleName, managed: isManaged(role.tags), attached: roleAttached},
    policies: policies.filter((p): p is PolicyFacts => p !== undefined),
    userName,
    profile: profileName,
    credentialsSection: files.section('credentials', profileName) ? profileName : undefined,
    configSection: files.section('config', configSection) ? configSection : undefined,
    profileKey: await profileKeyFacts(desired, reads, files, user, keys, options.force),
    ...(options.adminProfile === profileName ? {adminProfile: true} : {}),
  };
}

/** The group of --identity group, the deploy role of --identity role, and whether the profile assumes that role. */
async function identityParts(desired: DesiredState, reads: Reads, files: LocalFiles): Promise<Pick<Inventory, 'group' | 'deployRole' | 'roleProfile'>> {
  const id = desired.deployIdentity;
  if (id.kind === 'group') {
    const [group, attached] = await Promise.all([reads.group(id.group), reads.groupPolicies(id.group)]);
    return group ? {group: {name: id.group, members: group.members, attached}} : {};
  }
  if (id.kind !== 'role') return {};
  const [role, attached] = await Promise.all([reads.role(id.roleName), reads.rolePolicies(id.roleName)]);
  const roleArn = files.section('config', desired.configSection)?.role_arn;
  return {
    ...(role ? {deployRole: {name: id.roleName, managed: isManaged(role.tags), attached}} : {}),
    ...(roleArn === id.roleArn ? {roleProfile: true} : {}),
  };
}

/**
 * The key in [profile] of the credentials file, and whether the wizard wrote
 * it: one of the user's keys, or one the user's tags say it wrote there.
 * Only --force, which may remove a profile the wizard did not write, asks
 * STS whether the key is the one this run signs in with (never removed).
 */
async function profileKeyFacts(desired: DesiredState, reads: Reads, files: LocalFiles, user: IamUser | undefined, keys: AccessKeyInfo[], force: boolean): Promise<ProfileKey | undefined> {
  const local = localKey(files, desired.profileName);
  if (!local) return undefined;
  const tagged = taggedKeys(user?.tags ?? {}, desired.profileName);
  const wizards = Boolean(user) && (keys.some((k) => k.id === local.id) || local.id === tagged.written || local.id === tagged.replaced);
  if (wizards || !force) return {id: local.id, wizards};
  const place = {profileName: desired.profileName, credentialsPath: files.path('credentials')};
  const admin = await adminHold(reads, place, local, await reads.keyIdentity(local));
  return {id: local.id, wizards, ...(admin ? {admin} : {})};
}

async function policyFacts(step: PolicyFacts['step'], target: {name: string; arn: string}, reads: Reads, aws: AwsPort): Promise<PolicyFacts | undefined> {
  const state = await reads.policy(target.arn);
  if (!state) return undefined;
  const [versions, entities] = await Promise.all([aws.listPolicyVersions(target.arn), aws.listEntitiesForPolicy(target.arn)]);
  return {step, name: target.name, arn: target.arn, managed: isManaged(state.policy.tags), versions, entities};
}
