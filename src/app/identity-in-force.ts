/**
 * Which kind of deploy identity a run works toward: --identity when given,
 * else the kind an earlier run recorded on the deployment policy (tag
 * IDENTITY_TAG: `user`, `group:<name>` or `role`), else `user`, the setup
 * document's. So `plan` and `doctor` judge a group or role setup as one, with
 * no flag. Also where a role's profile gets its source credentials.
 */
import type {Options} from '../args.js';
import {UserError} from '../errors.js';
import {DEPLOYMENT_POLICY_NAME, EXECUTION_POLICY_NAME, IDENTITY_TAG, PRESET_TAG, policyArn} from '../plan/desired.js';
import {validateBoundaryArn, validateGroupName, type IdentityKind} from '../plan/deploy-identity.js';
import type {Answers} from '../plan/types.js';
import type {Reads} from '../engine/reads.js';
import {adminProfileOf} from '../steps/profile-guard.js';

export interface IdentityInForce {
  kind: IdentityKind; group?: string;
  /** Told by what the untagged policy is attached to (an exported stack): nothing to record on it. */
  inferred?: boolean;
}

/** `group:ZappaGroup` → {kind: group, group: ZappaGroup}; anything unknown counts as the default. */
export function parseIdentityTag(value: string | undefined): IdentityInForce | undefined {
  if (value === 'user' || value === 'role') return {kind: value};
  if (value?.startsWith('group:') && value.length > 'group:'.length) return {kind: 'group', group: value.slice('group:'.length)};
  return undefined;
}

/** Flags that make no sense together, before any AWS call (exit 2). */
export function assertIdentityFlags(options: Options): void {
  if (options.group !== undefined && options.identity !== undefined && options.identity !== 'group') {
    throw new UserError(`--group names the group of --identity group, not of --identity ${options.identity}.`, {hint: 'Leave out --group, or use --identity group.'});
  }
  const group = options.group === undefined ? true : validateGroupName(options.group);
  if (group !== true) throw new UserError(group, {hint: 'Pass another --group. Nothing was changed.'});
  const boundary = options.permissionsBoundary === undefined ? true : validateBoundaryArn(options.permissionsBoundary);
  if (boundary !== true) throw new UserError(boundary, {hint: 'Pass the ARN of the boundary policy your organisation requires. Nothing was changed.'});
}

/** The kind the flags name, if they name one (--group alone means --identity group). */
export function flagIdentity(options: Options): IdentityInForce | undefined {
  if (options.identity === 'group' || (options.identity === undefined && options.group !== undefined)) return {kind: 'group', group: options.group ?? 'ZappaGroup'};
  return options.identity ? {kind: options.identity} : undefined;
}

export async function identityInForce(options: Options, reads: Reads, identity: {account: string; partition: string}, userName: string): Promise<IdentityInForce> {
  const flagged = flagIdentity(options);
  if (flagged) return flagged;
  const arn = policyArn(identity.partition, identity.account, DEPLOYMENT_POLICY_NAME);
  // Both policies' documents, which the preset and their checks read next, go out with it: no round trip waits on this one.
  void reads.policy(arn);
  void reads.policy(policyArn(identity.partition, identity.account, EXECUTION_POLICY_NAME));
  // The same memoised read the preset comes from: no extra call.
  const info = await reads.policyInfo(arn).catch(() => undefined);
  const recorded = parseIdentityTag(info?.tags[IDENTITY_TAG]);
  if (recorded) return recorded;
  // No tag of the wizard at all: a policy made elsewhere (an exported CloudFormation stack cannot tag it).
  if (!info || info.tags[PRESET_TAG] !== undefined) return {kind: 'user'};
  return inferredIdentity(reads, arn, userName);
}

/** What the policy is attached to tells the kind: the deploy role, or a group (the user's, when it is attached there only). */
async function inferredIdentity(reads: Reads, arn: string, userName: string): Promise<IdentityInForce> {
  const entities = await reads.policyEntities(arn).catch(() => undefined);
  if (!entities || entities.users.includes(userName)) return {kind: 'user'};
  if (entities.roles.includes(userName)) return {kind: 'role', inferred: true};
  const [group] = entities.groups;
  return group ? {kind: 'group', group, inferred: true} : {kind: 'user'};
}

/**
 * Where [profile serverless] of a role gets the credentials that assume it:
 * the profile this run's admin credentials come from, or the environment
 * when they are key variables (credential_source = Environment).
 */
export function roleSourceOf(options: Options, env: Record<string, string | undefined>): Answers['roleSource'] {
  const profile = adminProfileOf(options.adminProfile, env);
  return profile === undefined ? {credentialSource: 'Environment'} : {sourceProfile: profile};
}

/** The answers with the identity's own parts. */
export function withIdentity(answers: Answers, found: IdentityInForce, options: Options, env: Record<string, string | undefined>): Answers {
  return {
    ...answers,
    identityKind: found.kind,
    ...(found.inferred ? {identityInferred: true} : {}),
    ...(found.kind === 'group' ? {groupName: found.group ?? 'ZappaGroup'} : {}),
    ...(options.permissionsBoundary ? {permissionsBoundary: options.permissionsBoundary} : {}),
    ...(found.kind === 'role' ? {roleSource: roleSourceOf(options, env)} : {}),
  };
}
