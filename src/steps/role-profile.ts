/**
 * [profile serverless] of --identity role: role_arn plus where the source
 * credentials come from (source_profile = the admin's profile, or
 * credential_source = Environment when the admin credentials are environment
 * variables). These keys are the profile's purpose there, not a redirect to
 * remove (profile-redirects.ts), as long as they name the deploy role.
 */
import type {DesiredState} from '../plan/types.js';

/** The config-file keys the role kind writes (empty for the kinds with a key). */
export function roleProfileEntries(d: DesiredState): Record<string, string> {
  const id = d.deployIdentity;
  if (id.kind !== 'role') return {};
  if (id.sourceProfile !== undefined) return {role_arn: id.roleArn, source_profile: id.sourceProfile};
  return {role_arn: id.roleArn, credential_source: id.credentialSource ?? 'Environment'};
}

/** Whether a key of the config section is one the role kind wants there, with the value it wants. */
export function isWantedRoleKey(d: DesiredState, key: string, value: string): boolean {
  return roleProfileEntries(d)[key.trim().toLowerCase()] === value.trim();
}
