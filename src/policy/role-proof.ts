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
import type {Statement} from '../plan/policy.js';
import {executionRoleNeeds, trustNeeds, type TrustNeed} from './needs/execution-role.js';
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

/** What is known offline about a call the running function makes as the role. */
const roleContext = (t: ZappaTarget): RequestContext => ({values: {'aws:RequestedRegion': t.region, 'aws:PrincipalAccount': t.account}, absent: []});

/** The actions of a needed statement that the policies do not allow on every one of its resources. */
export function refusedActions(policies: NamedPolicy[], statement: Statement, target: ZappaTarget): string[] {
  const context = roleContext(target);
  return listOf(statement.Action).filter((action) => !listOf(statement.Resource).every((resource) =>
    evaluate(policies, {action, resource, context}).decision === 'allowed'));
}

export function proveRole(input: RoleProofInput): RoleProof {
  const {target} = input;
  const features = stageFeatures(target.settings);
  const trust = trustNeeds(features);
  const base = {role: target.roleName, unreadable: input.unreadable ?? []};
  if (!input.trust) {
    return {...base, checked: true, reason: 'the role does not exist', missingTrust: trust, missingPermissions: [], ok: false};
  }
  const lacking = new Set(missingTrustedServices(input.trust, trust.map((n) => n.service)));
  const missingTrust = trust.filter((n) => lacking.has(n.service));
  const missingPermissions = executionRoleNeeds(target, features).flatMap((need): MissingPermission[] => {
    const refused = refusedActions(input.policies, need.statement, target);
    return refused.length ? [{id: need.id, setting: need.setting, reason: need.reason, actions: refused}] : [];
  });
  return {...base, checked: true, missingTrust, missingPermissions, ok: !missingTrust.length && !missingPermissions.length};
}

/** A role this run cannot examine: reported, never guessed. */
export function uncheckedRole(target: ZappaTarget, reason: string): RoleProof {
  return {role: target.roleName, checked: false, reason, missingTrust: [], missingPermissions: [], unreadable: [], ok: true};
}
