/**
 * Checks of the stage in zappa_settings.json against the profile files and
 * the deployment policy's naming rules. Offline and pure.
 */
import {validateRoleName} from '../../plan/names.js';
import {validateRegion} from '../../plan/regions.js';
import {stageFindings} from '../../plan/stage-checks.js';
import {Collector, type CheckResult} from './finding.js';

export interface StageFacts {
  /** e.g. `/p/zappa_settings.json stage "dev"` */
  where: string;
  /** The stage's settings as written. */
  conf: Record<string, unknown>;
  /** The profile doctor checks (see ProfileFileFacts). */
  profile: string;
  /** `region` of the profile's section in the config file, if any. */
  configRegion?: string;
  configPath: string;
  setup: string;
  /** The stage's effective settings (extends applied) and region, for what AWS refuses (plan/stage-checks.ts). */
  effective: Record<string, unknown>;
  region: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function checkStageSettings(facts: StageFacts): CheckResult {
  const out = new Collector();
  checkProfileName(facts, out);
  checkRegion(facts, out);
  checkRole(facts, out);
  checkStageFindings(facts, out);
  return out;
}

function checkProfileName(facts: StageFacts, out: Collector): void {
  const {where, conf, profile, setup} = facts;
  const written = text(conf.profile_name);
  if (!written) {
    out.add({
      id: 'settings-profile-missing', where,
      problem: `has no profile_name, so Zappa deploys with whatever default AWS credentials it finds instead of profile "${profile}"`,
      fix: setup,
    });
  } else if (written !== profile) {
    out.add({
      id: 'settings-profile-mismatch', where,
      problem: `profile_name is "${written}", but the profile set up for it is "${profile}"`,
      fix: setup,
    });
  }
}

function checkRegion(facts: StageFacts, out: Collector): void {
  const {where, conf, configRegion, setup} = facts;
  const region = text(conf.aws_region);
  if (!region) {
    out.add({
      id: 'settings-region-missing', where,
      problem: `has no aws_region, so the region depends on the environment Zappa runs in`,
      fix: configRegion ? `${setup} (writes aws_region ${configRegion})` : setup,
    });
    return;
  }
  const valid = validateRegion(region);
  if (valid !== true) {
    out.add({id: 'settings-region-invalid', where, problem: `aws_region: ${valid}`, fix: `${setup} --region <region>`});
    return;
  }
  if (configRegion && configRegion !== region) {
    out.add({
      id: 'region-mismatch', where,
      problem: `aws_region is "${region}", but the profile's region in ${facts.configPath} is "${configRegion}"`,
      fix: `${setup} --region ${region} (or --region ${configRegion})`,
    });
  }
}

function checkRole(facts: StageFacts, out: Collector): void {
  const {where, conf, setup} = facts;
  const role = text(conf.role_name);
  if (role) {
    const valid = validateRoleName(role);
    if (valid !== true) out.add({id: 'role-name-not-passable', where, problem: `role_name ${valid}`, fix: setup});
  }
  if (conf.manage_roles !== false) {
    out.add({
      id: 'manage-roles', where,
      problem: `manage_roles is ${conf.manage_roles === undefined ? 'not set (Zappa defaults to true)' : JSON.stringify(conf.manage_roles)}, so Zappa creates and rewrites the execution role itself instead of using the role and policy made for it`,
      fix: setup,
    });
  }
}

/** The same stage findings setup and plan report, with the same severity and words. */
function checkStageFindings(facts: StageFacts, out: Collector): void {
  for (const f of stageFindings({settings: facts.effective, region: facts.region, today: new Date()})) {
    out.add({id: f.id, where: facts.where, problem: f.message, fix: f.id.startsWith('runtime') ? `set "runtime" in the stage, or run ${facts.setup} --runtime <python3.x>` : 'edit the stage as the sentence says',
      ...(f.severity === 'warning' ? {severity: 'warning' as const} : {})});
  }
}
