/** The `ci` deploy identity of the run's end state: what the CI steps work on. */
import type {DeployIdentity} from '../../plan/deploy-identity.js';
import type {DesiredState} from '../../plan/types.js';

export type CiIdentity = Extract<DeployIdentity, {kind: 'ci'}>;

/** The CI role of the end state; a bug when the run was not built for `ci github`. */
export function ciIdentityOf(desired: DesiredState): CiIdentity {
  const identity = desired.deployIdentity;
  if (identity.kind !== 'ci') throw new Error(`a ci github step ran for a deploy identity of kind ${identity.kind}`);
  return identity;
}
