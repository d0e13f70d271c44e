/**
 * Works out the answers from flags, then what the files already say, then
 * defaults, and fixes names that would break IAM or Zappa. Pure apart from
 * the inputs it is given and a --policy folder, which is read here so that a
 * bad one stops the run before any AWS call. Bad flags are UserErrors (exit 2).
 */
import {basename, dirname, resolve as resolvePath} from 'node:path';
import type {Options} from '../args.js';
import {UserError} from '../errors.js';
import {
  BUCKET_PREFIX, defaultRoleName, fixRoleName, proposeBucketName, roleNameOfArn, slugify,
  validateBucketName, validateProfileName, validateRoleName, validateUserName,
} from '../plan/names.js';
import {validateRegion} from '../plan/regions.js';
import {isSupportedRuntime, SUPPORTED_PYTHON_RUNTIMES} from '../plan/runtimes.js';
import type {Answers, Fix} from '../plan/types.js';
import {extendsChain, ExtendsError, stageOf} from '../plan/extends.js';
import {stageSettings} from '../policy/target.js';
import {checkPolicyFlag} from './templates.js';

export type Settings = Record<string, Record<string, unknown>>;

export interface Resolution {
  answers: Answers;
  fixes: Fix[];
  /** About the inputs themselves (a role_arn that is not a role ARN); the stage's own findings come from its row's check. */
  warnings: string[];
}

function invalid(flag: string, reason: string): UserError {
  return new UserError(`${flag}: ${reason}`, {hint: 'Nothing was changed. Correct the value and run again.'});
}

/** A stage of the run: one the file has, or one setup adds (extending the file's first stage). */
export interface StageChoice { stage: string; created: boolean; parent?: string }

/** What a stage setup adds starts from: `extends` the parent, when the file has one to extend. */
export const newStageOf = (parent: string | undefined): {extends?: string} => (parent === undefined ? {} : {extends: parent});

/** A name Zappa can put into function names (`<project>-<stage>`): letters, digits, - and _. */
const NEW_STAGE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Why setup cannot add a stage of that name, or undefined. */
export function newStageProblem(name: string): string | undefined {
  if (!NEW_STAGE_NAME.test(name)) return 'a new stage\'s name may only hold letters, digits, - and _ (Zappa puts it into the function name)';
  // Every reader and editor of the settings would have to treat this one key apart; no stage needs the name.
  if (name === '__proto__') return 'the wizard cannot add a stage named __proto__ (JavaScript objects reserve that name); choose another';
  return undefined;
}

/**
 * The stages of the run: --stage (one, `a,b` or `all`), else the file's only
 * stage, else dev. A name the file lacks is a stage to add, only when named.
 */
export function resolveStages(settings: Settings, settingsPath: string, flag?: string): StageChoice[] {
  const stages = Object.keys(settings);
  if (flag === 'all') {
    if (!stages.length) throw new UserError(`${settingsPath} has no stages yet, so --stage all names none.`, {hint: 'Pass --stage <name> to add one, or run `zappa init` first.'});
    return stages.map((stage) => ({stage, created: false}));
  }
  if (flag === undefined) return [existingStage(settings, settingsPath, stages.length === 1 ? stages[0]! : 'dev')];
  const names = [...new Set(flag.split(',').map((n) => n.trim()).filter(Boolean))];
  if (!names.length) throw invalid('--stage', 'name a stage, several as a,b, or all.');
  return names.map((stage): StageChoice => {
    if (stageOf(settings, stage)) return {stage, created: false};
    const refused = newStageProblem(stage);
    if (refused) throw invalid('--stage', `the file has no stage "${stage}", and ${refused}.`);
    return stages[0] === undefined ? {stage, created: true} : {stage, created: true, parent: stages[0]};
  });
}

function existingStage(settings: Settings, settingsPath: string, stage: string): StageChoice {
  if (stageOf(settings, stage)) return {stage, created: false};
  throw missingStage(settings, settingsPath, stage);
}

/** The file has no such stage (for a command that does not add one). */
export function missingStage(settings: Settings, settingsPath: string, stage: string): UserError {
  const stages = Object.keys(settings);
  const known = stages.length ? `It has: ${stages.join(', ')}.` : 'It has no stages yet.';
  return new UserError(`${settingsPath} has no stage "${stage}". ${known}`, {
    hint: stages.length ? 'Pass --stage with one of those names (setup --stage <new name> adds a stage).' : 'Run `zappa init` first, or run setup --stage <name> to add one.',
  });
}

/** The one stage of a command that works on one (rotate-key, teardown, the walk-through's probe). */
export function resolveStage(settings: Settings, settingsPath: string, flag?: string): string {
  const [first, ...rest] = resolveStages(settings, settingsPath, flag);
  if (rest.length) throw invalid('--stage', 'this command works on one stage; name one.');
  if (first!.created) return existingStage(settings, settingsPath, first!.stage).stage;
  return first!.stage;
}

/** Each stage's `extends` chain resolves as Zappa needs it to (exit 2 naming the stages otherwise). */
export function assertExtendsResolve(settings: Settings, settingsPath: string, stages: string[]): void {
  for (const stage of stages) {
    try {
      extendsChain(settings, stage);
    } catch (err) {
      if (!(err instanceof ExtendsError)) throw err;
      throw new UserError(`${settingsPath}: ${err.message}.`, {hint: 'Zappa would refuse to deploy the stage. Fix its extends (name a stage the file has, with no loop) and run again. Nothing was changed.'});
    }
  }
}

/** Zappa's own default: the folder name, slugified, first 15 characters. */
export function projectNameOf(stage: Record<string, unknown>, settingsPath: string): string {
  const fromFile = stage.project_name;
  if (typeof fromFile === 'string' && fromFile) return fromFile;
  return slugify(basename(dirname(resolvePath(settingsPath)))).slice(0, 15) || 'zappa-app';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function resolveAnswers(
  options: Options, settings: Settings, stage: string, configRegion: string | undefined,
): Resolution {
  // Zappa's effective settings: what the stage inherits through extends counts as its own.
  const conf = stageSettings(settings, stage);
  const fixes: Fix[] = [];
  const warnings: string[] = [];
  const projectName = projectNameOf(conf, options.settings);

  const userOk = validateUserName(options.user);
  if (userOk !== true) throw invalid('--user', userOk);
  const profileName = options.profile ?? options.user;
  const profileOk = validateProfileName(profileName);
  if (profileOk !== true) {
    throw options.profile === undefined
      ? invalid('--user', `${profileOk} The profile takes the user's name unless --profile names another.`)
      : invalid('--profile', profileOk);
  }

  checkPolicyFlag(options.policy);

  if (options.region) {
    const ok = validateRegion(options.region);
    if (ok !== true) throw invalid('--region', ok);
  }
  let region = options.region ?? str(conf.aws_region) ?? configRegion ?? 'us-east-1';
  if (validateRegion(region) !== true) {
    fixes.push({field: 'aws_region', from: region, to: 'us-east-1', reason: 'not a valid region name'});
    region = 'us-east-1';
  }

  const effective = conf;
  const explicitRole = roleArnOf(effective, options.roleName, warnings);
  const roleName = explicitRole ? roleNameOfArn(explicitRole)! : resolveRoleName(options.roleName, str(conf.role_name), defaultRoleName(projectName, stage), fixes);
  const bucket = options.bucket ? bucketFlag(options.bucket) : resolveBucket(str(conf.s3_bucket), projectName, fixes);

  const runtime = resolveRuntime(options.runtime, str(effective.runtime));
  const answers: Answers = {
    stage, projectName, settingsFile: basename(options.settings), userName: options.user, profileName, region, roleName, bucket,
    ...(explicitRole ? {roleArn: explicitRole} : {}),
    ...(runtime && runtime !== str(effective.runtime) ? {runtime} : {}),
  };
  return {answers, fixes, warnings};
}

/** --runtime is the person's agreement to change the stage's runtime; it must be one Lambda takes today. */
function resolveRuntime(flag: string | undefined, fromFile: string | undefined): string | undefined {
  if (!flag) return fromFile;
  if (!isSupportedRuntime(flag, new Date())) {
    throw invalid('--runtime', `${flag} is not a Python runtime Lambda supports today (supported: ${SUPPORTED_PYTHON_RUNTIMES(new Date()).join(', ')}).`);
  }
  return flag;
}

/**
 * A stage's role_arn is the role Zappa uses, whatever role_name says. One
 * that is not a role ARN is reported and left to Zappa (which would fail).
 */
function roleArnOf(effective: Record<string, unknown>, flag: string | undefined, warnings: string[]): string | undefined {
  const arn = effective.role_arn;
  if (typeof arn !== 'string' || !arn) return undefined;
  if (!roleNameOfArn(arn)) {
    warnings.push(`role_arn "${arn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>); Zappa will fail to use it. Fix or remove it in the settings file.`);
    return undefined;
  }
  if (flag) throw invalid('--role-name', `the stage sets role_arn ${arn}, which Zappa uses instead of any role name. Remove role_arn from the stage to use --role-name.`);
  return arn;
}

function resolveRoleName(flag: string | undefined, fromFile: string | undefined, fallback: string, fixes: Fix[]): string {
  if (flag && !/^[\w+=,.@-]+$/.test(flag)) throw invalid('--role-name', `"${flag}" may only contain letters, digits and + = , . @ _ -.`);
  const chosen = flag ?? fromFile ?? fallback;
  if (validateRoleName(chosen) === true) return chosen;
  const fixed = fixRoleName(chosen);
  fixes.push({field: 'role_name', from: chosen, to: fixed, reason: String(validateRoleName(chosen))});
  return fixed;
}

/** --bucket is taken as given, or refused: a name the wizard would correct is not the one the person chose. */
function bucketFlag(name: string): string {
  const ok = validateBucketName(name);
  if (ok !== true) throw invalid('--bucket', String(ok));
  return name;
}

function resolveBucket(fromFile: string | undefined, projectName: string, fixes: Fix[]): string {
  if (fromFile && validateBucketName(fromFile) === true) return fromFile;
  const fixed = proposeBucketName(fromFile ?? projectName);
  if (fromFile) {
    const why = fromFile.startsWith(BUCKET_PREFIX) ? String(validateBucketName(fromFile)) : `the deployment policy only grants S3 on ${BUCKET_PREFIX}* buckets`;
    fixes.push({field: 's3_bucket', from: fromFile, to: fixed, reason: why});
  }
  return fixed;
}

/**
 * HeadBucket answered 403 and the account's bucket list could not be read:
 * the bucket may well be the person's own, so its name is kept.
 */
export function unknownOwnerWarning(bucket: string): string {
  return `S3 would not say whether bucket ${bucket} belongs to this account (HeadBucket answered 403 Forbidden and the admin identity may not list the account's buckets), so the name is kept. `
    + 'If it belongs to another account, zappa deploy fails to upload to it: then remove s3_bucket from the stage and run setup again for a fresh name.';
}

/** Called once S3 says who owns the bucket: another account's name must change. */
export function replaceTakenBucket(answers: Answers, fixes: Fix[]): Answers {
  return replaceBucket(answers, fixes, 'the bucket belongs to another AWS account');
}

/** A bucket the stage cannot use (taken, in another region…) gives way to a fresh name; the fix says why. */
export function replaceBucket(answers: Answers, fixes: Fix[], reason: string): Answers {
  const fixed = proposeBucketName(answers.projectName);
  fixes.push({field: 's3_bucket', from: answers.bucket, to: fixed, reason});
  return {...answers, bucket: fixed};
}
