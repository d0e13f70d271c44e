/**
 * The execution role's half of the proof: can every service the stage hands
 * the role to assume it, and do its policies allow what Lambda and the
 * running function need for the stage's settings (needs/execution-role.ts)?
 * Pure: the caller reads the trust and the attached policies.
 */
import type {PolicyDocument} from '../plan/policy.js';
import {missingTrustedServices} from '../plan/trust.js';
import type {RequestContext} from './conditions.js';
import {evaluate} from './evaluate.js';
import {basePermissionNeeds, settingPermissionNeeds, trustNeeds, type TrustNeed} from './needs/execution-role.js';
import {stageFeatures} from './needs/features.js';
import {listOf, type NamedPolicy} from './statements.js';
import type {ZappaTarget} from './target.js';

/** A permission need the role's policies do not fully allow. */
export interface MissingPermission { id: string; setting: string; reason: string; actions: string[] }

export interface RoleProof {
  role: string;
  /** False when the role could not be examined (another account, or unreadable); `reason` says why. */
  checked: boolean;
  reason?: string;
  missingTrust: TrustNeed[];
  missingPermissions: MissingPermission[];
  /** Policies attached to the role that could not be read: the permissions check covers only the rest. */
  unreadable: string[];
  ok: boolean;
}

export interface RoleProofInput {
  target: ZappaTarget;
  /** The role's trust policy; undefined when the role does not exist. */
  trust?: PolicyDocument;
  policies: NamedPolicy[];
  unreadable?: string[];
}

const context = (t: ZappaTarget): RequestContext => ({values: {'aws:RequestedRegion': t.region, 'aws:PrincipalAccount': t.account}, absent: []});

export function proveRole(input: RoleProofInput): RoleProof {
  const {target} = input;
  const features = stageFeatures(target.settings);
  const base = {role: target.roleName, unreadable: input.unreadable ?? []};
  if (!input.trust) {
    return {...base, checked: true, reason: 'the role does not exist', missingTrust: trustNeeds(features), missingPermissions: [], ok: false};
  }
  const lacking = new Set(missingTrustedServices(input.trust, trustNeeds(features).map((n) => n.service)));
  const missingTrust = trustNeeds(features).filter((n) => lacking.has(n.service));
  const ctx = context(target);
  const missingPermissions = [...basePermissionNeeds(target), ...settingPermissionNeeds(target, features)].flatMap((need): MissingPermission[] => {
    const refused = listOf(need.statement.Action).filter((action) => !listOf(need.statement.Resource).every((resource) =>
      evaluate(input.policies, {action, resource, context: ctx}).decision === 'allowed'));
    return refused.length ? [{id: need.id, setting: need.setting, reason: need.reason, actions: refused}] : [];
  });
  return {...base, checked: true, missingTrust, missingPermissions, ok: !missingTrust.length && !missingPermissions.length};
}

/** A role this run cannot examine: reported, never guessed. */
export function uncheckedRole(target: ZappaTarget, reason: string): RoleProof {
  return {role: target.roleName, checked: false, reason, missingTrust: [], missingPermissions: [], unreadable: [], ok: true};
}
