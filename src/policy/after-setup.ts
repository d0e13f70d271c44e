/**
 * The proof shown after a successful setup: the deployment policy just put
 * in place plus whatever else is attached to the user, proven against the
 * stage's Zappa calls; and the execution role as setup left it (the trust it
 * wrote or repaired, the execution policy it attached, anything else the
 * person attached). Reads only what is not already known.
 */
import type {Reads} from '../engine/reads.js';
import {withTrustedServices} from '../plan/trust.js';
import type {DesiredState} from '../plan/types.js';
import {deployerPolicies, rolePolicyDocuments} from './effective.js';
import {provePermissions, type Proof} from './proof.js';
import {proveRole, uncheckedRole, type RoleProof} from './role-proof.js';
import {zappaTargetOf, type ZappaTarget} from './target.js';

/** Proves the user's permissions after setup; `allSettings` is the whole zappa_settings.json. */
export async function proveAfterSetup(reads: Reads, desired: DesiredState, allSettings: Record<string, Record<string, unknown>>): Promise<Proof> {
  const target = zappaTargetOf(desired, allSettings);
  const [{policies, unreadable}, role] = await Promise.all([
    deployerPolicies(reads, desired, [{arn: desired.deploymentPolicy.arn, document: desired.deploymentPolicy.document}]),
    roleAfterSetup(reads, desired, target),
  ]);
  return provePermissions({policies, unreadable, target, userName: desired.userName, role});
}

async function roleAfterSetup(reads: Reads, desired: DesiredState, target: ZappaTarget): Promise<RoleProof> {
  if (!desired.roleInAccount) return uncheckedRole(target, `${desired.roleArn} is in another account`);
  // Setup created the role with the desired trust, or added what was missing to the one there.
  const before = await reads.role(desired.roleName).catch(() => undefined);
  const trust = before ? withTrustedServices(before.trust, desired.trustServices) : desired.trust;
  const {policies, unreadable} = await rolePolicyDocuments(reads, desired.roleName, [{arn: desired.executionPolicy.arn, document: desired.executionPolicy.document}]);
  return proveRole({target, trust, policies, unreadable});
}
