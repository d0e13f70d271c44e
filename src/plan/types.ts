/** Shared vocabulary of the planning layer (pure data, no I/O). */
import type {PolicyDocument} from './policy.js';
import type {DeployIdentity, IdentityKind} from './deploy-identity.js';

/** DESIGN.md's step ids of the setup document's user with a key, in the order the checklist shows them. */
export const USER_STEP_IDS = [
  'identity', 'user', 'access-key', 'credentials-file', 'config-file', 'zappa-settings',
  'deployment-policy', 'deployment-policy-attached', 'execution-policy', 'execution-role',
  'execution-policy-attached', 'verify',
] as const;
/** Every step id: the user's, and those of --identity group, --identity role and `ci github`. */
export const STEP_IDS = [
  ...USER_STEP_IDS,
  'group', 'group-membership', 'deploy-role', 'oidc-provider', 'ci-role', 'workflow-file',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** What a step reports in the checklist and the --json report. */
export type StepStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

/**
 * ✖ problem: a deploy or a later run will fail (doctor exits 1; setup and plan fix or refuse it).
 * ! warning: works, but is risky or looser than needed (exit 0). • info: worth knowing.
 */
export type Severity = 'problem' | 'warning' | 'info';

/**
 * One thing a check found, in the words plan, setup and doctor all print.
 * `id` is stable kebab-case (`key-inactive`), so scripts may match on it.
 */
export interface Finding {
  id: string;
  severity: Severity;
  /** The file (with section or stage) or the AWS resource it is about. */
  where: string;
  /** What is wrong, in one sentence. */
  problem: string;
  /** The command (or edit) that fixes it. */
  fix: string;
}

/**
 * The result of a read-only check: the row's state, and what else the check
 * noticed that does not change the state (warnings and info, never problems:
 * a row that is not in place is itself the problem).
 */
export type Check = (
  | {state: 'present'; detail: string}
  | {state: 'missing'; detail: string}
  | {state: 'drifted'; detail: string}
  | {state: 'blocked'; detail: string; hint?: string}
) & {
  /** Why the row is not in place, as a stable id (`key-inactive`); the step id when unset. */
  reason?: string;
  findings?: Finding[];
};

/** A correction the wizard made to an input so that Zappa can work with it. */
export interface Fix {
  field: string; from: string; to: string; reason: string;
  /** The stage it is about, when the run has several. */
  stage?: string;
}

/** The answers every step works from: flags, then the files, then defaults. */
export interface Answers {
  stage: string;
  projectName: string;
  userName: string;
  profileName: string;
  region: string;
  roleName: string;
  bucket: string;
  /** Set only when the person agreed to move to a supported runtime. */
  runtime?: string;
  /** The stage's role_arn: Zappa uses that role, so it is the execution role (roleName is its name). */
  roleArn?: string;
  /** The stage is not in the file yet: setup adds it, extending this stage (the file's first) when there is one. */
  newStage?: {extends?: string};
  /** The settings file's name as the person knows it (zappa_settings.yml…), for titles. */
  settingsFile?: string;
  /** What Zappa signs in as (DESIGN.md --identity); unset means `user`. */
  identityKind?: IdentityKind;
  /** The kind was told by what an untagged deployment policy is attached to: it is not recorded on it. */
  identityInferred?: boolean;
  /** --identity group: the group that holds the deployment policy. */
  groupName?: string;
  /** --permissions-boundary: on every user and role the wizard creates. */
  permissionsBoundary?: string;
  /** --identity role: where the profile's source credentials come from (the admin's profile, or the environment). */
  roleSource?: {sourceProfile: string} | {credentialSource: 'Environment'};
}

export interface PolicyTarget {
  name: string; arn: string; document: PolicyDocument; description: string;
  /** The preset to record on the policy (tag PRESET_TAG); unset when it cannot be recorded. */
  presetTag?: string;
  /** The deployment policy only: the kind of deploy identity to record (tag IDENTITY_TAG, `user` when absent). */
  identityTag?: string;
}

/** Why a preset is in force: --policy named it, an earlier run recorded it on the deployment policy, or neither (document). */
export type PresetSource = 'flag' | 'recorded' | 'default';

/** Something the stage's settings add to a preset's policies, named in the plan with its reason. */
export interface PolicyAddition {
  policy: 'deployment' | 'execution' | 'trust';
  /** The setting that asks for it, as written in zappa_settings (`vpc_config`…). */
  setting: string;
  reason: string;
  /** The actions granted (for trust: the service principals). */
  actions: string[];
}

/** The documents of a preset for one stage, with the account filled in (policy/policy-set.ts). */
export interface PolicySet {
  /** `document`, `strict`, or the folder the templates came from. */
  preset: string;
  deployment: PolicyDocument;
  execution: PolicyDocument;
  trust: PolicyDocument;
  /** Services that must be able to assume the execution role. */
  trustServices: string[];
  additions: PolicyAddition[];
  /** Actions the preset leaves out of the setup document's policy, and why. */
  omissions: {actions: string[]; reason: string}[];
}

/** Everything the end state is made of, with the account filled in. */
export interface DesiredState extends Answers {
  account: string;
  partition: string;
  userArn: string;
  deploymentPolicy: PolicyTarget;
  executionPolicy: PolicyTarget;
  trust: PolicyDocument;
  /** Services that must be able to assume the execution role. */
  trustServices: string[];
  /** What the preset is and what the settings added to it (for the plan). */
  preset: string;
  presetSource: PresetSource;
  additions: PolicyAddition[];
  omissions: PolicySet['omissions'];
  /** The execution role is in this account, so the wizard can check and repair it. */
  roleInAccount: boolean;
  /** The keys we own in the stage of zappa_settings.json. */
  settingsEntries: Record<string, unknown>;
  /** The config-file section name: "profile x", or "default" for the default profile. */
  configSection: string;
  /** The deploy identity's kind and what belongs to it (plan/deploy-identity.ts). */
  deployIdentity: DeployIdentity;
}
