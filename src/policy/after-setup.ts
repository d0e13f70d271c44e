/**
 * The proof shown after a successful setup: the deployment policy just put
 * in place plus whatever else is attached to the user, proven against the
 * stage's Zappa calls.
 */
import type {Reads} from '../engine/reads.js';
import type {DesiredState} from '../plan/types.js';
import {effectivePolicies} from './effective.js';
import {provePermissions, type Proof} from './proof.js';
import {zappaTargetOf} from './target.js';

/** Proves the user's permissions after setup; `allSettings` is the whole zappa_settings.json. */
export async function proveAfterSetup(reads: Reads, desired: DesiredState, allSettings: Record<string, Record<string, unknown>>): Promise<Proof> {
  const {policies, unreadable} = await effectivePolicies(reads, desired.userName, [
    {arn: desired.deploymentPolicy.arn, document: desired.deploymentPolicy.document},
  ]);
  return provePermissions({policies, unreadable, target: zappaTargetOf(desired, allSettings), userName: desired.userName});
}
