/**
 * The stage a policy is computed or proven for: the wizard's answers plus
 * the stage's settings. Kept apart from the call data so that code building
 * a target does not load it. Pure.
 */
import {effectiveSettings} from '../plan/extends.js';
import {roleNameOfArn} from '../plan/names.js';

/** Who deploys what: the answers the wizard works from, plus the stage's settings. */
export interface ZappaTarget {
  account: string;
  partition: string;
  region: string;
  projectName: string;
  stage: string;
  roleName: string;
  bucket: string;
  /** The stage's entries from zappa_settings.json, with `extends` merged (see stageSettings). */
  settings: Record<string, unknown>;
  /** The stage's `role_arn`: Zappa then uses that role, and `roleName` is its name. */
  roleArn?: string;
}

/** Zappa's own rule: a stage's settings are its `extends` chain, nearer stages winning (plan/extends.ts). */
export const stageSettings = effectiveSettings;

/** The target for a desired state (or anything with the same fields) and the whole settings file. */
export function zappaTargetOf(
  d: {account: string; partition: string; region: string; projectName: string; stage: string; roleName: string; bucket: string},
  allSettings: Record<string, Record<string, unknown>>,
): ZappaTarget {
  const {account, partition, region, projectName, stage, bucket} = d;
  const settings = stageSettings(allSettings, stage);
  const explicit = typeof settings.role_arn === 'string' && roleNameOfArn(settings.role_arn) ? settings.role_arn : undefined;
  const roleName = explicit ? roleNameOfArn(explicit)! : d.roleName;
  return {account, partition, region, projectName, stage, roleName, bucket, settings, ...(explicit ? {roleArn: explicit} : {})};
}
