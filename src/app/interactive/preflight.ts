/**
 * The quick checks before the first question: the settings file can be read
 * and has a stage, admin credentials can be found, STS says who they belong
 * to, and that identity may read what setup needs. Each problem is one
 * sentence saying what is wrong and what to do, so nobody answers questions
 * only to fail afterwards.
 */
import type {AwsCredentialIdentityProvider} from '@smithy/types';
import type {Options} from '../../args.js';
import {UserError} from '../../errors.js';
import {isKind, type AwsError} from '../../aws/aws-error.js';
import {
  adminCredentials, credentialSourceOf, endpointsFrom, explainCredentialFailure, noCredentialsFound, profileOf, rejectedInWords,
  typedKeyCredentials, type CredentialSource, type TypedKey,
} from '../../aws/credentials.js';
import type {CallerIdentity} from '../../aws/port.js';
import {SdkGateway} from '../../aws/sdk-gateway.js';
import type {LocalFiles} from '../../engine/local-files.js';
import {Reads} from '../../engine/reads.js';
import {deniedActions, wrongIdentity} from '../../engine/run.js';
import {maskKeyId} from '../../engine/step.js';
import {listSections} from '../../files/ini-document.js';
import {configSectionFor, DEPLOYMENT_POLICY_NAME, policyArn} from '../../plan/desired.js';
import {validateRegion} from '../../plan/regions.js';
import {identityError} from '../describe-error.js';
import {resolveAnswers, resolveStage, type Settings} from '../resolve.js';
import {loadLocalFiles, selfProvisioning} from '../session.js';
import {deactivationReminder} from './pasted-key.js';
import {isPromptCancel} from './prompter.js';

/** One way to get admin credentials: the SDK's default chain, a named profile, or a pasted key. */
export interface AdminChoice {
  /** undefined: the default chain (or the pasted key). */
  profile?: string;
  label: string;
  /** A key the person pasted: in memory only, for this run. */
  pasted?: TypedKey;
  /** Where the profile's credentials come from (its entries in the AWS files), for words about a failure. */
  source?: CredentialSource;
  /** Why signing in with it already failed in this run, in words: offered marked, never preselected. */
  failure?: string;
}

/** Admin credentials that worked, and who they are. */
export interface SignedIn {
  choice: AdminChoice;
  provider: AwsCredentialIdentityProvider;
  identity: CallerIdentity;
  /** Lines to show when the run ends, however it ends (the reminder to deactivate a pasted key). */
  farewell?: string[];
}

/**
 * Signs in with one choice and checks the identity may provision IAM.
 * Rejects with a UserError whose message says in one sentence what went wrong.
 */
export type SignIn = (choice: AdminChoice) => Promise<SignedIn>;

export interface Preflight {
  files: LocalFiles;
  settings: Settings;
  stages: string[];
  /** Every admin choice that can be offered, the working one first. */
  choices: AdminChoice[];
  /** The first choice that worked (the flag's, or the default chain's). */
  signedIn?: SignedIn;
  /** Why the default chain did not work, in one sentence; set whenever signedIn is not. */
  problem?: string;
  signIn: SignIn;
}

function defaultChainLabel(env: NodeJS.ProcessEnv): string {
  if (env.AWS_PROFILE) return `Default credentials (AWS_PROFILE=${env.AWS_PROFILE})`;
  if (env.AWS_ACCESS_KEY_ID) return 'Default credentials (environment variables)';
  return 'Default credentials ([default] profile, SSO or instance role)';
}

/** Where a profile's credentials come from, from both AWS files; undefined when it has none. */
export function profileSource(files: LocalFiles, name: string): CredentialSource | undefined {
  return credentialSourceOf({...files.section('config', configSectionFor(name)), ...files.section('credentials', name)});
}

/**
 * Profiles in the credentials and config files that could provision IAM:
 * those with credentials of some kind (a profile that only sets a region
 * signs nobody in). The profile the wizard writes for the deploy user is
 * left out: it could never create IAM users.
 */
export function adminProfiles(files: LocalFiles, exclude: string): string[] {
  const names = new Set<string>();
  for (const name of listSections(files.text('credentials') ?? '')) names.add(name);
  for (const section of listSections(files.text('config') ?? '')) {
    if (section === 'default') names.add('default');
    else if (section.startsWith('profile ')) names.add(section.slice('profile '.length).trim());
  }
  names.delete(exclude);
  return [...names].filter((name) => profileSource(files, name) !== undefined);
}

/**
 * The profile the SDK's default chain reads, when that is one of `profiles`:
 * with no keys in the environment it is AWS_PROFILE, else [default]. Then
 * "Default credentials" and "Profile default" are the same source, offered once.
 */
export function chainProfile(profiles: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_ACCESS_KEY_ID) return undefined;
  const name = profileOf(undefined, env);
  return profiles.includes(name) ? name : undefined;
}

/** The stage the run will most likely use, before it is asked. */
function likelyStage(options: Options, stages: string[]): string | undefined {
  return options.stage ?? (stages.includes('dev') ? 'dev' : stages[0]);
}

/** The region STS is asked in: the flag, else the stage's, else us-east-1. */
function probeRegion(options: Options, settings: Settings, stages: string[]): string {
  const stage = likelyStage(options, stages);
  const fromFile = stage ? settings[stage]?.aws_region : undefined;
  const region = options.region ?? (typeof fromFile === 'string' ? fromFile : undefined) ?? 'us-east-1';
  return validateRegion(region) === true ? region : 'us-east-1';
}

async function loadProject(options: Options): Promise<{files: LocalFiles; settings: Settings; stages: string[]}> {
  const files = await loadLocalFiles(options);
  const settings = files.settings();
  const stages = Object.keys(settings);
  if (stages.length === 0) {
    throw new UserError(`${options.settings} has no stages yet.`, {hint: 'Run `zappa init` in the project first, then run the wizard again.'});
  }
  if (options.stage) resolveStage(settings, options.settings, options.stage);
  return {files, settings, stages};
}

/** The names the plan will read, as they stand before the questions. */
export interface ProbeNames { userName: string; roleName: string }

/**
 * Tries the IAM reads the plan's checks make, all at once (one round trip).
 * An identity denied any of them cannot provision: that is reported now, in
 * the words the checks would use, instead of after every question. Other
 * failures are left for the checks to report.
 */
export async function assertCanProvision(gateway: SdkGateway, identity: CallerIdentity, names: ProbeNames): Promise<void> {
  const self = selfProvisioning(identity.arn, names.userName);
  if (self) throw self;
  const reads = new Reads(gateway);
  const settled = await Promise.allSettled([
    reads.user(names.userName), reads.accessKeys(names.userName), reads.userPolicies(names.userName),
    reads.role(names.roleName), reads.rolePolicies(names.roleName),
    reads.policy(policyArn(identity.partition, identity.account, DEPLOYMENT_POLICY_NAME)),
  ]);
  const denied = deniedActions(settled);
  if (denied.length) throw wrongIdentity(identity.arn, denied, names.userName);
}

/** Why signing in failed, in one sentence (the message) plus what to do (the hint); a cancel stays a cancel. */
function signInError(err: unknown, choice: AdminChoice, options: Options): unknown {
  if (err instanceof UserError) return err;
  // Ctrl-C at the MFA prompt arrives wrapped by the SDK and the gateway: it is a cancel, not a failure.
  const cancel = [err, (err as Error)?.cause].find(isPromptCancel);
  if (cancel) return cancel;
  if (choice.pasted && isKind(err, 'InvalidCredentials')) {
    const {code} = err as AwsError;
    return new UserError(`${rejectedInWords(code, {named: `the pasted key ${maskKeyId(choice.pasted.id)}`})}.`, {cause: err});
  }
  const known = explainCredentialFailure(err, profileOf(choice.profile));
  if (known) return new UserError(known.message, {hint: known.hint, cause: err});
  // AWS turned the credentials down: say which ones and why in words, not with the bare code.
  if (isKind(err, 'InvalidCredentials')) {
    const fromEnv = choice.profile === undefined && Boolean(process.env.AWS_ACCESS_KEY_ID);
    const words = rejectedInWords((err as AwsError).code, {profile: profileOf(choice.profile), source: choice.source, fromEnv});
    return new UserError(`${words}.`, {hint: 'Nothing was changed.', cause: err});
  }
  return identityError(err, {...options, adminProfile: choice.profile});
}

export interface SignInContext {
  options: Options;
  /** Where STS is asked (and a role profile's AssumeRole is made). */
  region: string;
  names: ProbeNames;
  mfaCode: (serial: string) => Promise<string>;
}

export function signInWith({options, region, names, mfaCode}: SignInContext): SignIn {
  const endpoints = endpointsFrom(options.endpointUrl, process.env);
  return async (choice) => {
    const provider = choice.pasted
      ? typedKeyCredentials(choice.pasted)
      : adminCredentials({profile: choice.profile, mfaCode, stsEndpoint: endpoints.sts});
    const gateway = new SdkGateway({credentials: provider, region, endpoints});
    try {
      const identity = await gateway.getCallerIdentity().catch((err: unknown) => {
        throw signInError(err, choice, options);
      });
      await assertCanProvision(gateway, identity, names);
      const farewell = choice.pasted ? deactivationReminder(choice.pasted.id, identity) : undefined;
      return {choice, provider, identity, farewell};
    } finally {
      gateway.destroy();
    }
  };
}

/** The one sentence said when the default credentials cannot be used. */
function problemOf(err: UserError, first: AdminChoice): string {
  return noCredentialsFound(err.cause) ? err.message : `${first.label} did not work: ${err.message}`;
}

/**
 * Runs the checks. A failing --admin-profile stops the run (UserError, exit
 * 2): the person named it. Failing default credentials do not: the
 * walk-through then offers the other ways in.
 */
export async function runPreflight(options: Options, mfaCode: (serial: string) => Promise<string>): Promise<Preflight> {
  const {files, settings, stages} = await loadProject(options);
  const stage = likelyStage(options, stages)!;
  const {answers} = resolveAnswers(options, settings, stage, undefined);
  const signIn = signInWith({
    options, region: probeRegion(options, settings, stages), mfaCode,
    names: {userName: answers.userName, roleName: answers.roleName},
  });
  const profiles = options.adminProfile ? [] : adminProfiles(files, options.profile ?? options.user);
  // The default chain reading one of these profiles is that profile: one choice, not two.
  const same = chainProfile(profiles, process.env);
  const first: AdminChoice = options.adminProfile
    ? {profile: options.adminProfile, label: `Profile ${options.adminProfile}`, source: profileSource(files, options.adminProfile)}
    : same ? {label: `Profile ${same} (your default credentials)`, source: profileSource(files, same)} : {label: defaultChainLabel(process.env)};
  const others = profiles.filter((p) => p !== same).map((profile): AdminChoice => ({profile, label: `Profile ${profile}`, source: profileSource(files, profile)}));
  try {
    const signedIn = await signIn(first);
    return {files, settings, stages, choices: [first, ...others], signedIn, signIn};
  } catch (err) {
    if (!(err instanceof UserError) || options.adminProfile) throw err;
    // The profile behind the failed default chain stays on offer, marked with what failed: it can work after signing in again.
    const failed: AdminChoice[] = same ? [{profile: same, label: `Profile ${same}`, source: first.source, failure: err.message}] : [];
    return {files, settings, stages, choices: [...failed, ...others], problem: problemOf(err, first), signIn};
  }
}
