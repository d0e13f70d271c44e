/**
 * `ci github` leaves the settings file alone (the workflow deals with the
 * committed profile_name), but Zappa in CI reads the rest of the stage as it
 * is committed: a stage setup has not brought into shape (manage_roles on, a
 * bucket without zappa-, another role name) makes the deploy fail there.
 * Those are warnings naming the setup command that fixes them.
 */
import {effectiveSettings} from '../plan/extends.js';
import type {DesiredState, Finding, Fix} from '../plan/types.js';
import type {Stages} from '../files/settings/index.js';

/** Keys whose committed value Zappa in CI must find as setup writes it; profile_name is the workflow's business. */
const CHECKED_KEYS = ['aws_region', 'manage_roles', 'role_name', 's3_bucket'] as const;

/**
 * Zappa's own defaults fit where a key is left out (the role name is
 * Zappa's default one, a bucket it makes up starts with zappa-), except
 * manage_roles, which is on unless set to false.
 */
function fitsInCi(key: (typeof CHECKED_KEYS)[number], committed: unknown, wanted: unknown): boolean {
  if (key === 'manage_roles') return committed === false;
  return committed === undefined || committed === wanted;
}

export function ciSettingsWarnings(desired: DesiredState, settings: Stages, fixes: Fix[], setupCommand: string): Finding[] {
  const effective = effectiveSettings(settings, desired.stage);
  const differing = CHECKED_KEYS.filter((key) => key in desired.settingsEntries && !fitsInCi(key, effective[key], desired.settingsEntries[key]));
  const named = [...new Set([...differing, ...fixes.map((f) => f.field)])];
  if (!named.length) return [];
  return [{
    id: 'ci-settings-not-set-up', severity: 'warning', where: `stage ${desired.stage} of ${desired.settingsFile ?? 'the settings file'}`,
    problem: `The stage's ${named.join(', ')} ${named.length === 1 ? 'is' : 'are'} not what the deployment policy allows, so zappa deploy in GitHub Actions would be refused.`,
    fix: `Run ${setupCommand} (or set ${differing.map((k) => `${k}=${JSON.stringify(desired.settingsEntries[k])}`).join(', ') || 'them'}), and commit the settings file.`,
  }];
}
