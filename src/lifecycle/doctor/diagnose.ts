/**
 * Doctor's reading side: gathers the facts (files from the session, AWS
 * through the memoised Reads, every call a read) and hands them to the pure
 * check groups. A read that fails becomes a "not checked" entry with its
 * reason, never a crash, so a doctor without admin credentials still reports
 * everything the files and the profile's own key can tell.
 */
import type {Options} from '../../args.js';
import type {AccessKeyInfo, CallerIdentity} from '../../aws/port.js';
import type {LocalFiles} from '../../engine/local-files.js';
import type {Reads} from '../../engine/reads.js';
import {configSectionFor} from '../../plan/desired.js';
import type {Answers, DesiredState} from '../../plan/types.js';
import {defaultRoleName, validateBucketName, validateRoleName} from '../../plan/names.js';
import {localKey} from '../../steps/local-key.js';
import {wizardCommand} from '../command-line.js';
import {checkAccessKey} from './access-key.js';
import {checkBucket} from './bucket.js';
import {checkExecutionRole} from './execution-role.js';
import {merge, readFailed, readOk, type CheckResult, type Read} from './finding.js';
import {checkUserAndPolicy} from './iam-user.js';
import {checkProfileFiles, type ProfileSource} from './profile-files.js';
import {checkStageSettings} from './stage-settings.js';
import {stageSettings} from '../../policy/target.js';


/** What doctor reads from: the session's parts, passed in so this layer needs no app code. */
export interface DoctorInputs {
  options: Options;
  files: LocalFiles;
  reads: Reads;
  /** Names resolved from flags, files and defaults (resolveAnswers). */
  answers: Answers;
  /** The end state setup would converge to, once the account is known (the same one setup and plan use). */
  desiredFor(identity: CallerIdentity): Promise<DesiredState>;
  /** A failed read as a short reason; `who` is the admin identity's ARN when known. */
  describe(err: unknown, who?: string): string;
  /** Why the admin identity could not be had (no credentials, expired…). */
  describeIdentityError(err: unknown): string;
}

export interface Diagnosis extends CheckResult {
  stage: string;
  profile: string;
  userName: string;
  roleName: string;
  /** The account, from the admin identity or else from the profile's key. */
  account?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

async function settle<T>(promise: Promise<T>, describe: (err: unknown) => string): Promise<Read<T>> {
  try {
    return readOk(await promise);
  } catch (err) {
    return readFailed(describe(err));
  }
}

/** The profile Zappa uses: --profile, else the stage's profile_name, else the user name. */
export function chooseProfile(options: Options, conf: Record<string, unknown>): {profile: string; source: ProfileSource} {
  if (options.profile) return {profile: options.profile, source: 'flag'};
  const written = text(conf.profile_name);
  if (written) return {profile: written, source: 'settings'};
  return {profile: options.user, source: 'user'};
}

export async function diagnose(inputs: DoctorInputs, chosen: {profile: string; source: ProfileSource}): Promise<Diagnosis> {
  const {options, files, reads, answers} = inputs;
  const {stage, userName, projectName} = answers;
  const conf = files.settings()[stage] ?? {};
  const {profile, source} = chosen;
  const setup = wizardCommand('setup', options);
  // role_arn wins over role_name, as in Zappa; otherwise doctor reports the file's own value.
  const roleName = answers.roleArn ? answers.roleName : options.roleName ?? text(conf.role_name) ?? defaultRoleName(projectName, stage);
  const where = `${files.path('settings')} stage "${stage}"`;
  const configRegion = files.section('config', configSectionFor(profile))?.region;

  const offline = [
    checkProfileFiles({
      profile, profileSource: source, setup,
      credentials: {path: files.path('credentials'), text: files.text('credentials'), mode: files.mode('credentials')},
      config: {path: files.path('config'), text: files.text('config')},
    }),
    checkStageSettings({where, conf, profile, configRegion, configPath: files.path('config'), setup, effective: stageSettings(files.settings(), stage), region: answers.region}),
  ];

  const key = localKey(files, profile);
  const keyIdentity = key ? await reads.keyIdentity(key) : undefined;
  const admin = await settle(reads.identity(), inputs.describeIdentityError);
  // Naming the admin identity in "not allowed" reasons shows when the wrong one is signed in.
  const describe = (err: unknown) => inputs.describe(err, admin.ok ? admin.value.arn : undefined);
  const aws = await awsFacts(inputs, admin, roleName, describe);
  const bucket = text(conf.s3_bucket);
  // Only a name S3 could hold is worth a HeadBucket; the offline checks explain the others.
  const ownership = bucket && validateBucketName(bucket) === true ? await ifAdmin(admin, () => settle(reads.bucket(bucket), describe)) : undefined;

  const online: CheckResult[] = [
    checkBucket({where, bucket, setup, ownership, region: answers.region}),
    checkAccessKey({
      userName, profile, credentialsPath: files.path('credentials'), keyId: key?.id, keyIdentity,
      userExists: aws.userExists, keys: aws.keys, describe, setup,
    }),
  ];
  if (aws.desired) {
    const {desired} = aws;
    const role = aws.role.ok ? aws.role.value : undefined;
    online.push(
      checkUserAndPolicy({
        userName, userExists: aws.userExists, userPolicies: aws.userPolicies, policy: aws.deploymentPolicy,
        wanted: desired.deploymentPolicy, setup,
        roleArn: desired.roleArn ?? role?.arn ?? `arn:${desired.partition}:iam::${desired.account}:role/${roleName}`,
        // A role_arn role need not follow the naming rule: it must only be passable.
        roleNameValid: desired.roleArn !== undefined || validateRoleName(roleName) === true,
      }),
    );
    if (desired.roleInAccount) {
      online.push(checkExecutionRole({
        roleName, role: aws.role, rolePolicies: aws.rolePolicies, executionPolicy: aws.executionPolicy,
        executionPolicyName: desired.executionPolicy.name, executionPolicyArn: desired.executionPolicy.arn,
        trustServices: desired.trustServices, setup,
      }));
    } else {
      online.push({findings: [], notChecked: [{check: `IAM role ${desired.roleArn}`, reason: 'role_arn names a role in another account'}]});
    }
  } else if (!admin.ok) {
    for (const check of [`IAM user ${userName} and its deployment policy`, `IAM role ${roleName} and its execution policy`]) {
      online.push({findings: [], notChecked: [{check, reason: admin.reason}]});
    }
  }
  const account = admin.ok ? admin.value.account : keyIdentity instanceof Error ? undefined : keyIdentity?.account;
  return {stage, profile, userName, roleName, account, ...merge([...offline, ...online])};
}

function ifAdmin<T>(admin: Read<CallerIdentity>, read: () => Promise<Read<T>>): Promise<Read<T>> {
  return admin.ok ? read() : Promise.resolve(readFailed(admin.reason));
}

/** Every IAM read doctor needs, in parallel, once the admin identity is known (none without it). */
async function awsFacts(inputs: DoctorInputs, admin: Read<CallerIdentity>, roleName: string, describe: (err: unknown) => string) {
  const {reads, answers} = inputs;
  const {userName} = answers;
  const read = <T>(p: () => Promise<T>) => ifAdmin(admin, () => settle(p(), describe));
  const desired = admin.ok ? await inputs.desiredFor(admin.value) : undefined;
  const [user, keys, userPolicies, role, rolePolicies, deploymentPolicy, executionPolicy] = await Promise.all([
    read(() => reads.user(userName)),
    read<AccessKeyInfo[]>(() => reads.accessKeys(userName)),
    read(() => reads.userPolicies(userName)),
    read(() => reads.role(roleName)),
    read(() => reads.rolePolicies(roleName)),
    read(async () => (desired ? reads.policy(desired.deploymentPolicy.arn) : undefined)),
    read(async () => (desired ? reads.policy(desired.executionPolicy.arn) : undefined)),
  ]);
  const userExists: Read<boolean> = user.ok ? readOk(user.value !== undefined) : user;
  return {desired, userExists, keys, userPolicies, role, rolePolicies, deploymentPolicy, executionPolicy};
}
