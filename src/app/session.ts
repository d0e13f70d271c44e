/**
 * Everything a command needs, assembled in the order that keeps bad input
 * cheap: flags and files first (exit 2, no AWS call), then the admin identity,
 * then the answers and the desired state.
 */
import {homedir} from 'node:os';
import {resolve as resolvePath} from 'node:path';
import type {Options} from '../args.js';
import {UserError} from '../errors.js';
import {adminCredentials, endpointsFrom, type CredentialChoice} from '../aws/credentials.js';
import {SdkGateway} from '../aws/sdk-gateway.js';
import {awsFilePaths} from '../files/aws-paths.js';
import {LocalFiles} from '../engine/local-files.js';
import {Reads} from '../engine/reads.js';
import type {StepContext} from '../engine/step.js';
import {buildDesiredState, configSectionFor} from '../plan/desired.js';
import type {Answers, DesiredState, Fix} from '../plan/types.js';
import type {CallerIdentity} from '../aws/port.js';
import {loadTemplates} from './templates.js';
import {presetInForce, type PresetInForce} from './preset.js';
import {PRESET_TAG} from '../plan/desired.js';
import {samePolicy} from '../plan/policy.js';
import {localKey} from '../steps/local-key.js';
import {adminProfileOf, consentOf} from '../steps/profile-guard.js';
import {zappaTargetOf} from '../policy/target.js';
import {assertExtendsResolve, missingStage, newStageOf, replaceBucket, replaceTakenBucket, resolveAnswers, resolveStage, resolveStages, unknownOwnerWarning, type Resolution, type StageChoice} from './resolve.js';
import {sharePolicies} from './share-policies.js';
import {bucketRegionProblem} from '../plan/region-features.js';
import {identityError} from './describe-error.js';
import {wizardCommand} from '../lifecycle/command-line.js';
import {assertIdentityFlags, identityInForce, withIdentity} from './identity-in-force.js';

/** One stage of the run, with the answers worked out for it. */
export interface StageRun { choice: StageChoice; resolution: Resolution }

export interface Session {
  options: Options;
  files: LocalFiles;
  gateway: SdkGateway;
  reads: Reads;
  /** The first stage's: the profile, the identity and the shared rows work from it. */
  resolution: Resolution;
  /** Every stage of the run, the first one first (one, unless --stage named several or all). */
  stages: StageRun[];
}

/** The end state of every stage: one deploy identity and one pair of policies, a role per role name. */
export interface DesiredStages { desired: DesiredState; desireds: DesiredState[]; identity: CallerIdentity; fixes: Fix[] }

/** rotate-key and teardown work on one stage the file has. */
const ONE_STAGE_COMMANDS = new Set(['rotate-key', 'teardown']);

/** The credentials, config and settings files, read and validated (UserError, exit 2). */
export function loadLocalFiles(options: Options): Promise<LocalFiles> {
  return LocalFiles.load({...awsFilePaths(process.env, homedir()), settings: resolvePath(options.settings)});
}

/** Step 1: files and flags only. Throws UserError (exit 2) on bad input. */
export async function openSession(options: Options, credentials: CredentialChoice = {profile: options.adminProfile}): Promise<Session> {
  assertIdentityFlags(options);
  const files = await loadLocalFiles(options);
  const stages = stageRuns(options, files);
  const profile = options.profile ?? options.user;
  const resolution = stages[0]!.resolution;
  const endpoints = endpointsFrom(options.endpointUrl, process.env);
  const gateway = new SdkGateway({
    credentials: adminCredentials({stsEndpoint: endpoints.sts, ...credentials}),
    region: resolution.answers.region,
    endpoints,
    profile: credentials.profile,
  });
  const reads = new Reads(gateway);
  for (const stage of stages) prefetch(reads, stage.resolution.answers, files, profile);
  return {options, files, gateway, reads, resolution, stages};
}

/**
 * Every stage of the run with its answers (flags, then the stage's effective
 * settings, then defaults). Bad input is a UserError (exit 2).
 */
export function stageRuns(options: Options, files: LocalFiles): StageRun[] {
  const choices = stageChoices(options, files);
  const settings = files.settings();
  assertExtendsResolve(settings, options.settings, choices.map((c) => c.stage));
  const configRegion = files.section('config', configSectionFor(options.profile ?? options.user))?.region;
  return choices.map((choice) => ({choice, resolution: withNewStage(resolveAnswers(options, settings, choice.stage, configRegion), choice)}));
}

/** The stages of the run; a stage to add is planned in the files, so every check sees it as Zappa will. */
function stageChoices(options: Options, files: LocalFiles): StageChoice[] {
  const settings = files.settings();
  if (ONE_STAGE_COMMANDS.has(options.command)) return [{stage: resolveStage(settings, options.settings, options.stage), created: false}];
  const choices = resolveStages(settings, options.settings, options.stage);
  // Only setup (and plan, which shows it) adds a stage; doctor diagnoses the stages there are.
  const added = choices.find((c) => c.created);
  if (added && options.command === 'doctor') throw missingStage(settings, options.settings, added.stage);
  for (const c of choices) if (c.created) files.planStage(c.stage, c.parent);
  return choices;
}

function withNewStage(resolution: Resolution, choice: StageChoice): Resolution {
  if (!choice.created) return resolution;
  const newStage = newStageOf(choice.parent);
  return {...resolution, answers: {...resolution.answers, newStage}};
}

/** The warnings about every stage's inputs, each once. */
export const inputWarnings = (session: Session): string[] => [...new Set([...session.resolution.warnings, ...session.stages.flatMap((s) => s.resolution.warnings)])];

/**
 * Starts every read that does not need the account ID right away, so the
 * checks that follow find their answers already on the way.
 */
function prefetch(reads: Reads, a: Answers, files: LocalFiles, profile: string): void {
  void reads.identity();
  void reads.user(a.userName);
  void reads.accessKeys(a.userName);
  void reads.userPolicies(a.userName);
  void reads.role(a.roleName);
  void reads.rolePolicies(a.roleName);
  void reads.bucket(a.bucket);
  const key = localKey(files, profile);
  if (key) void reads.keyIdentity(key);
}

/** Step 2: who we are, then the bucket check, then the desired state (the first stage's). */
export async function desiredStateOf(session: Session): Promise<{desired: DesiredState; identity: CallerIdentity; fixes: Fix[]}> {
  const {desired, identity, fixes} = await desiredStagesOf(session);
  return {desired, identity, fixes};
}

/**
 * Every stage's end state, sharing one deployment and one execution policy
 * that cover them all (policy/merge.ts), and one trust per execution role
 * that every stage naming it can use.
 */
export async function desiredStagesOf(session: Session): Promise<DesiredStages> {
  let identity: CallerIdentity;
  try {
    identity = await session.reads.identity();
  } catch (err) {
    throw identityError(err, session.options);
  }
  const self = selfProvisioning(identity.arn, session.resolution.answers.userName);
  if (self) throw self;
  const kind = await identityInForce(session.options, session.reads, identity, session.resolution.answers.userName);
  const several = session.stages.length > 1;
  const fixes: Fix[] = [];
  const desireds: DesiredState[] = [];
  const finals: Answers[] = [];
  for (const stage of session.stages) {
    const own = withIdentity(stage.resolution.answers, kind, session.options, process.env);
    const stageFixes = stage.resolution.fixes.map((f) => (several ? {...f, stage: own.stage} : f));
    const final = await bucketFor(session, own, stageFixes, several);
    fixes.push(...stageFixes);
    finals.push(final);
    desireds.push(await desiredFor(session, final, identity));
  }
  const merged = await strictWhenUntagged(session, sharePolicies(desireds), finals, identity);
  await lintDeployedPolicies(merged[0]!);
  return {desired: merged[0]!, desireds: merged, identity, fixes};
}

/** A bucket the stage cannot use gives way to a fresh name (the fix says why). */
async function bucketFor(session: Session, answers: Answers, fixes: Fix[], several: boolean): Promise<Answers> {
  const owner = await session.reads.bucket(answers.bucket);
  const at = fixes.length;
  let final = answers;
  if (owner === 'taken') final = replaceTakenBucket(answers, fixes);
  else if (owner === 'unknown' && !session.resolution.warnings.includes(unknownOwnerWarning(answers.bucket))) session.resolution.warnings.push(unknownOwnerWarning(answers.bucket));
  else if (typeof owner === 'object') final = replaceBucket(answers, fixes, bucketRegionProblem(owner.elsewhere, answers.region));
  if (several) for (let i = at; i < fixes.length; i++) fixes[i] = {...fixes[i]!, stage: answers.stage};
  return final;
}

/**
 * The desired state for these answers: the policies of the preset in force
 * (--policy, else the one recorded on the deployment policy, else document;
 * see preset.ts), computed from the stage's effective settings.
 */
export async function desiredFor(
  session: Session, answers: Answers, identity: {account: string; partition: string; arn?: string}, given?: PresetInForce,
): Promise<DesiredState> {
  const {command, policy, settings} = session.options;
  // ci github deploys with setup's policies: it must keep the preset they were made from, not reset them to document.
  const documentsMatter = command === 'setup' || command === 'plan' || command === 'doctor' || command === 'ci';
  const choice = given ?? (await presetInForce({flag: policy, settings, documentsMatter, reads: session.reads, identity}));
  if (choice.warning && !session.resolution.warnings.includes(choice.warning)) session.resolution.warnings.push(choice.warning);
  const templates = await loadTemplates(choice.preset);
  const target = zappaTargetOf({...answers, account: identity.account, partition: identity.partition}, session.files.settings());
  const {policySetFor} = await import('../policy/policy-set.js');
  const set = policySetFor(choice.preset, templates, target, answers.userName);
  return buildDesiredState(answers, identity, set, {source: choice.source, ...(choice.tag === undefined ? {} : {tag: choice.tag})});
}

/**
 * A deployment policy with no preset tag was not made by the wizard (every
 * run of it records one): an exported CloudFormation stack, whose managed
 * policies cannot carry tags. When its document is exactly the strict
 * preset's for these stages, that is the preset in force, kept untagged, so
 * the following run changes nothing in IAM.
 */
async function strictWhenUntagged(session: Session, merged: DesiredState[], finals: Answers[], identity: CallerIdentity): Promise<DesiredState[]> {
  const first = merged[0]!;
  if (first.presetSource !== 'default') return merged;
  const arn = first.deploymentPolicy.arn;
  const info = await session.reads.policyInfo(arn).catch(() => undefined);
  if (!info || info.tags[PRESET_TAG] !== undefined) return merged;
  const deployed = await session.reads.policy(arn).catch(() => undefined);
  if (!deployed || samePolicy(deployed.document, first.deploymentPolicy.document)) return merged;
  const strict = sharePolicies(await Promise.all(finals.map((a) => desiredFor(session, a, identity, {preset: 'strict', source: 'recorded'}))));
  return samePolicy(deployed.document, strict[0]!.deploymentPolicy.document) ? strict : merged;
}

/** The deploy user's (or deploy role's) own credentials cannot (and must not) provision it. */
export function selfProvisioning(arn: string, userName: string): UserError | undefined {
  if (!arn.endsWith(`:user/${userName}`) && !arn.includes(`:assumed-role/${userName}/`)) return undefined;
  return new UserError(`You are signed in as ${arn}: the very user this wizard sets up.`, {
    hint: 'Provision with an administrator identity instead (--admin-profile <name>, or sign in as an admin); the deploy user must not manage itself.',
  });
}

const LINT_HINTS: Record<string, string> = {
  strict: 'The strict policy for these settings does not fit; run with --policy document instead.',
  document: 'This is a bug in the bundled templates; please report it.',
};

/** Statements the stage's own settings put there are the person's to fix, whatever the preset. */
const SETTINGS_HINT = 'That statement comes from the stage\'s settings (ExtraPermissions… from extra_permissions, the others from its event sources or remote_env): fix the value in the settings file and run again.';

/**
 * Every policy the wizard would deploy must name real actions on resources
 * they can act on; otherwise stop (exit 2) before any AWS write.
 */
async function lintDeployedPolicies(desired: DesiredState): Promise<void> {
  try {
    await lintOrThrow(desired);
  } catch (err) {
    // A statement the stage's settings wrote is the person's to fix, not a bug of ours.
    const sids = err instanceof UserError ? [...err.message.matchAll(/statement \d+ \("([^"]+)"\)/g)].map((m) => m[1]!) : [];
    const {copiesSettings} = await import('../policy/needs/execution-role.js');
    if (sids.some(copiesSettings)) {
      throw new UserError((err as UserError).message, {hint: `${SETTINGS_HINT} Nothing was changed.`});
    }
    throw err;
  }
}

async function lintOrThrow(desired: DesiredState): Promise<void> {
  const {preset, presetSource} = desired;
  const folderHint = presetSource === 'recorded'
    ? `Fix the templates in ${preset} (recorded on ${desired.deploymentPolicy.name} by an earlier run), or run with --policy document, and run again.`
    : `Fix the templates in ${preset} (or leave out --policy to use the setup document's) and run again.`;
  const {assertPoliciesLintClean, deployedDocuments} = await import('../policy/lint.js');
  assertPoliciesLintClean(deployedDocuments(desired), LINT_HINTS[preset] ?? folderHint);
}

export function stepContext(session: Session, desired: DesiredState, stages: readonly DesiredState[] = [desired]): StepContext {
  return {
    desired,
    stages,
    reads: session.reads,
    aws: session.gateway,
    files: session.files,
    run: {},
    consent: consentOf(session.options),
    adminProfile: adminProfileOf(session.options.adminProfile, process.env),
    setup: wizardCommand('setup', session.options),
    progress: () => {},
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
