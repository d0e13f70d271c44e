/**
 * What teardown removes, worked out from what is there. Pure: the inventory
 * in, an ordered list of actions and a list of what is left (with why) out.
 *
 * Rules: only resources tagged ManagedBy=zappa-iam-wizard go, unless
 * --force. A policy also attached to something teardown does not remove is
 * left (--force detaches it there too). The profile's sections in the AWS
 * files go with the user whose key they hold, and only when that shows the
 * wizard wrote them: the key in [profile] is one of the user's keys (or one
 * its tags say the wizard wrote there). --force removes them anyway, except
 * [default] and a profile holding the credentials this run signs in with,
 * which no flag removes. Order matters to IAM: detach
 * before deleting a policy, user or role; delete old policy versions before
 * the policy; delete keys before the user.
 */
import type {AccessKeyInfo, PolicyEntities, PolicyVersionInfo} from '../../aws/port.js';
import {maskKeyId} from '../../engine/step.js';

export type TeardownStepId = 'deployment-policy' | 'execution-policy' | 'access-key' | 'user' | 'execution-role' | 'credentials-file' | 'config-file'
  | 'group' | 'group-membership' | 'deploy-role';

export interface PolicyFacts {
  step: 'deployment-policy' | 'execution-policy';
  name: string;
  arn: string;
  managed: boolean;
  versions: PolicyVersionInfo[];
  entities: PolicyEntities;
}

export interface Inventory {
  /** The IAM user teardown is about, whether it exists or not. */
  userName?: string;
  /** Undefined when the user does not exist. */
  user?: {name: string; managed: boolean; keys: AccessKeyInfo[]; attached: string[]; groups?: string[]};
  role?: {name: string; managed: boolean; attached: string[]};
  /** --identity group: the group and what is in it (IAM groups carry no tags: it goes only when nothing but ours is left in it). */
  group?: {name: string; members: string[]; attached: string[]};
  /** --identity role: the deploy role. */
  deployRole?: {name: string; managed: boolean; attached: string[]};
  /** --identity role: [profile] of the config file assumes that deploy role, so the wizard wrote it. */
  roleProfile?: boolean;
  /** Only the policies that exist. */
  policies: PolicyFacts[];
  profile: string;
  /** Section names present in each file, e.g. `serverless` and `profile serverless`. */
  credentialsSection?: string;
  configSection?: string;
  /** The key in [profile] of the credentials file, when it holds one. */
  profileKey?: ProfileKey;
  /** The admin credentials of this run are read from this profile. */
  adminProfile?: boolean;
}

export interface ProfileKey {
  id: string;
  /** One of the user's keys, or a key its tags say the wizard wrote there: the wizard wrote the profile. */
  wizards: boolean;
  /** Set, to the reason, when the key is one this run signs in with (steps/profile-guard.ts). */
  admin?: string;
}

export type TeardownAction = {step: TeardownStepId; title: string} & (
  | {kind: 'detach-user-policy'; user: string; arn: string}
  | {kind: 'detach-role-policy'; role: string; arn: string}
  | {kind: 'detach-group-policy'; group: string; arn: string}
  | {kind: 'delete-policy-version'; arn: string; versionId: string}
  | {kind: 'delete-policy'; arn: string}
  | {kind: 'delete-access-key'; user: string; id: string}
  | {kind: 'delete-user'; user: string}
  | {kind: 'delete-role'; role: string}
  | {kind: 'remove-user-from-group'; group: string; user: string}
  | {kind: 'delete-group'; group: string}
  | {kind: 'remove-section'; file: 'credentials' | 'config'; section: string}
);

export interface Kept { step: TeardownStepId; what: string; reason: string }

export interface TeardownPlan { actions: TeardownAction[]; kept: Kept[] }

const NOT_OURS = 'not created by the wizard (no ManagedBy=zappa-iam-wizard tag); --force removes it anyway';
const policyName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export function planTeardown(inv: Inventory, force: boolean): TeardownPlan {
  const detaches: TeardownAction[] = [];
  const deletions: TeardownAction[] = [];
  const kept: Kept[] = [];
  const seen = new Set<string>();
  const detach = (action: TeardownAction & {arn: string}, entity: string) => {
    const key = `${action.kind}:${entity}:${action.arn}`;
    if (seen.has(key)) return;
    seen.add(key);
    detaches.push(action);
  };

  for (const p of inv.policies) {
    const others = otherEntities(p.entities, inv);
    if (!p.managed && !force) {
      kept.push({step: p.step, what: `policy ${p.name}`, reason: NOT_OURS});
    } else if (others.length && !force) {
      kept.push({step: p.step, what: `policy ${p.name}`, reason: `also attached to ${others.join(', ')}; detach it there first, or use --force`});
    } else {
      for (const user of p.entities.users) detach({step: p.step, kind: 'detach-user-policy', user, arn: p.arn, title: `detach ${p.name} from user ${user}`}, user);
      for (const role of p.entities.roles) detach({step: p.step, kind: 'detach-role-policy', role, arn: p.arn, title: `detach ${p.name} from role ${role}`}, role);
      for (const group of p.entities.groups) detach({step: p.step, kind: 'detach-group-policy', group, arn: p.arn, title: `detach ${p.name} from group ${group}`}, group);
      for (const v of p.versions.filter((x) => !x.isDefault)) {
        deletions.push({step: p.step, kind: 'delete-policy-version', arn: p.arn, versionId: v.id, title: `delete version ${v.id} of ${p.name}`});
      }
      deletions.push({step: p.step, kind: 'delete-policy', arn: p.arn, title: `delete policy ${p.name}`});
    }
  }

  const userGoes = inv.user && (inv.user.managed || force);
  if (inv.user && userGoes) {
    const {name} = inv.user;
    for (const arn of inv.user.attached) detach({step: 'user', kind: 'detach-user-policy', user: name, arn, title: `detach ${policyName(arn)} from user ${name}`}, name);
    for (const k of inv.user.keys) deletions.push({step: 'access-key', kind: 'delete-access-key', user: name, id: k.id, title: `delete access key ${maskKeyId(k.id)} (${k.status}) of ${name}`});
    deletions.push({step: 'user', kind: 'delete-user', user: name, title: `delete user ${name}`});
  } else if (inv.user) {
    kept.push({step: 'user', what: `user ${inv.user.name} and its access keys`, reason: NOT_OURS});
  }

  if (inv.role && (inv.role.managed || force)) {
    const {name} = inv.role;
    for (const arn of inv.role.attached) detach({step: 'execution-role', kind: 'detach-role-policy', role: name, arn, title: `detach ${policyName(arn)} from role ${name}`}, name);
    deletions.push({step: 'execution-role', kind: 'delete-role', role: name, title: `delete role ${name}`});
  } else if (inv.role) {
    kept.push({step: 'execution-role', what: `role ${inv.role.name}`, reason: NOT_OURS});
  }

  if (inv.deployRole && (inv.deployRole.managed || force)) {
    const {name} = inv.deployRole;
    for (const arn of inv.deployRole.attached) detach({step: 'deploy-role', kind: 'detach-role-policy', role: name, arn, title: `detach ${policyName(arn)} from role ${name}`}, name);
    deletions.push({step: 'deploy-role', kind: 'delete-role', role: name, title: `delete deploy role ${name}`});
  } else if (inv.deployRole) {
    kept.push({step: 'deploy-role', what: `role ${inv.deployRole.name}`, reason: NOT_OURS});
  }

  const groupActions = inv.group ? groupTeardown(inv, inv.group, Boolean(userGoes), force, kept, detach) : [];
  // Membership goes before the user (IAM refuses to delete a member); the group after its policies are detached.
  const [leave, dissolve] = [groupActions.filter((a) => a.kind === 'remove-user-from-group'), groupActions.filter((a) => a.kind === 'delete-group')];
  // IAM deletes no user that is still in a group: it leaves every other group too (those groups stay).
  if (inv.user && userGoes) {
    const {name} = inv.user;
    for (const g of (inv.user.groups ?? []).filter((g) => g !== inv.group?.name)) {
      leave.push({step: 'group-membership', kind: 'remove-user-from-group', group: g, user: name, title: `remove user ${name} from group ${g}`});
    }
  }
  const roleKind = inv.deployRole !== undefined || inv.roleProfile === true;
  const profileOwnerGone = roleKind ? Boolean(inv.roleProfile) && (!inv.deployRole || inv.deployRole.managed || force) : !inv.user || Boolean(userGoes);
  return {actions: [...leave, ...detaches, ...deletions, ...dissolve, ...fileEdits(inv, profileOwnerGone, force, kept)], kept};
}

/**
 * The user leaves the group when the user goes; the group goes too when
 * nothing is left in it but what teardown removes (no other member, no
 * policy but the wizard's, which are detached above), or with --force.
 */
function groupTeardown(
  inv: Inventory, group: NonNullable<Inventory['group']>, userGoes: boolean, force: boolean, kept: Kept[],
  detach: (action: TeardownAction & {arn: string}, entity: string) => void,
): TeardownAction[] {
  const actions: TeardownAction[] = [];
  const user = inv.user?.name;
  if (user && userGoes && group.members.includes(user)) {
    actions.push({step: 'group-membership', kind: 'remove-user-from-group', group: group.name, user, title: `remove user ${user} from group ${group.name}`});
  }
  const otherMembers = group.members.filter((m) => m !== user || !userGoes);
  const ours = new Set(inv.policies.map((p) => p.arn));
  const otherPolicies = group.attached.filter((arn) => !ours.has(arn));
  if ((otherMembers.length || otherPolicies.length) && !force) {
    const what = [...otherMembers.map((m) => `member ${m}`), ...otherPolicies.map((a) => `policy ${policyName(a)}`)];
    kept.push({step: 'group', what: `group ${group.name}`, reason: `it still holds ${what.join(', ')}; --force removes it anyway`});
    return actions;
  }
  for (const arn of group.attached) detach({step: 'group', kind: 'detach-group-policy', group: group.name, arn, title: `detach ${policyName(arn)} from group ${group.name}`}, group.name);
  for (const m of otherMembers) actions.push({step: 'group-membership', kind: 'remove-user-from-group', group: group.name, user: m, title: `remove user ${m} from group ${group.name}`});
  actions.push({step: 'group', kind: 'delete-group', group: group.name, title: `delete group ${group.name}`});
  return actions;
}

/** Users, roles and groups other than the ones teardown is about. */
function otherEntities(entities: PolicyEntities, inv: Inventory): string[] {
  return [
    ...entities.users.filter((u) => u !== inv.user?.name).map((u) => `user ${u}`),
    ...entities.roles.filter((r) => r !== inv.role?.name && r !== inv.deployRole?.name).map((r) => `role ${r}`),
    ...entities.groups.filter((g) => g !== inv.group?.name).map((g) => `group ${g}`),
  ];
}

function fileEdits(inv: Inventory, userGone: boolean, force: boolean, kept: Kept[]): TeardownAction[] {
  const sections = [
    {file: 'credentials' as const, step: 'credentials-file' as const, section: inv.credentialsSection},
    {file: 'config' as const, step: 'config-file' as const, section: inv.configSection},
  ].filter((s): s is typeof s & {section: string} => s.section !== undefined);
  if (sections.length === 0) return [];
  const keep = (reason: string) => {
    for (const s of sections) kept.push({step: s.step, what: `[${s.section}] in the ${s.file} file`, reason});
    return [];
  };
  if (inv.profile === 'default') {
    // [default] is usually the person's own everyday profile, whoever wrote it.
    return keep('the default profile is never removed; edit the file by hand');
  }
  // The credentials this very run uses are never removed, whatever the flags.
  if (inv.profileKey?.admin) return keep(`${inv.profileKey.admin}; it is never removed, not even with --force`);
  if (inv.adminProfile) return keep(`this run signs in with profile ${inv.profile}; it is never removed, not even with --force`);
  if (!userGone) return keep(inv.deployRole ? `it assumes role ${inv.deployRole.name}, which stays` : `it belongs to user ${inv.user?.name}, which stays`);
  const notWritten = inv.profileKey?.wizards || (inv.roleProfile && !inv.profileKey) ? undefined : notTheWizards(inv);
  if (notWritten && !force) return keep(`${notWritten}, so nothing shows the wizard wrote it; --force removes it anyway`);
  return sections.map((s) => ({step: s.step, kind: 'remove-section', file: s.file, section: s.section, title: `remove [${s.section}] from the ${s.file} file`}));
}

/** Why the profile's sections do not look like the wizard's. */
function notTheWizards(inv: Inventory): string {
  const name = inv.user?.name;
  if (!inv.user) return `user ${inv.userName ?? 'the wizard sets up'} does not exist in this account`;
  if (!inv.profileKey) return `[${inv.profile}] in the credentials file holds no access key of user ${name}`;
  return `its key ${maskKeyId(inv.profileKey.id)} is not one of user ${name}'s keys`;
}
