/**
 * The quick checks before the first question: the settings file can be read
 * and has a stage, admin credentials can be found, and STS says who they
 * belong to. Each problem is one UserError saying what is wrong and what to
 * do, so nobody answers questions only to fail afterwards.
 */
import {homedir} from 'node:os';
import {resolve as resolvePath} from 'node:path';
import type {AwsCredentialIdentityProvider} from '@smithy/types';
import type {Options} from '../../args.js';
import {UserError} from '../../errors.js';
import {adminCredentials, endpointsFrom} from '../../aws/credentials.js';
import type {CallerIdentity} from '../../aws/port.js';
import {SdkGateway} from '../../aws/sdk-gateway.js';
import {LocalFiles} from '../../engine/local-files.js';
import {awsFilePaths} from '../../files/aws-paths.js';
import {listSections} from '../../files/ini-document.js';
import {validateRegion} from '../../plan/regions.js';
import {identityError} from '../describe-error.js';
import {resolveStage, type Settings} from '../resolve.js';

/** One way to get admin credentials: the SDK's default chain, or a named profile. */
export interface AdminChoice {
  /** undefined: the default chain. */
  profile?: string;
  label: string;
}

/** Admin credentials that worked, and who they are. */
export interface SignedIn {
  choice: AdminChoice;
  provider: AwsCredentialIdentityProvider;
  identity: CallerIdentity;
}

/** Signs in with one choice; rejects with whatever the SDK or STS said. */
export type SignIn = (choice: AdminChoice) => Promise<SignedIn>;

export interface Preflight {
  files: LocalFiles;
  settings: Settings;
  stages: string[];
  /** Every admin choice that can be offered, the working one first. */
  choices: AdminChoice[];
  /** The first choice that worked (the flag's, or the default chain's). */
  signedIn?: SignedIn;
  /** Why the default chain did not work, when another choice is left to try. */
  problem?: string;
  signIn: SignIn;
}

function defaultChainLabel(env: NodeJS.ProcessEnv): string {
  if (env.AWS_PROFILE) return `Default credentials (AWS_PROFILE=${env.AWS_PROFILE})`;
  if (env.AWS_ACCESS_KEY_ID) return 'Default credentials (environment variables)';
  return 'Default credentials ([default] profile, SSO or instance role)';
}

/**
 * Profiles in the credentials and config files that could provision IAM.
 * The profile the wizard writes for the deploy user is left out: it could
 * never create IAM users.
 */
export function adminProfiles(files: LocalFiles, exclude: string): string[] {
  const names = new Set<string>();
  for (const name of listSections(files.text('credentials') ?? '')) names.add(name);
  for (const section of listSections(files.text('config') ?? '')) {
    if (section === 'default') names.add('default');
    else if (section.startsWith('profile ')) names.add(section.slice('profile '.length).trim());
  }
  names.delete(exclude);
  return [...names];
}

/** The region STS is asked in: the flag, else the stage's, else us-east-1. */
function probeRegion(options: Options, settings: Settings, stages: string[]): string {
  const stage = options.stage ?? (stages.includes('dev') ? 'dev' : stages[0]);
  const fromFile = stage ? settings[stage]?.aws_region : undefined;
  const region = options.region ?? (typeof fromFile === 'string' ? fromFile : undefined) ?? 'us-east-1';
  return validateRegion(region) === true ? region : 'us-east-1';
}

async function loadProject(options: Options): Promise<{files: LocalFiles; settings: Settings; stages: string[]}> {
  const paths = awsFilePaths(process.env, homedir());
  const files = await LocalFiles.load({...paths, settings: resolvePath(options.settings)});
  const settings = files.settings();
  const stages = Object.keys(settings);
  if (stages.length === 0) {
    throw new UserError(`${options.settings} has no stages yet.`, {hint: 'Run `zappa init` in the project first, then run the wizard again.'});
  }
  if (options.stage) resolveStage(settings, options.settings, options.stage);
  return {files, settings, stages};
}

export function signInWith(options: Options, region: string, mfaCode: (serial: string) => Promise<string>): SignIn {
  return async (choice) => {
    const provider = adminCredentials({profile: choice.profile, mfaCode});
    const gateway = new SdkGateway({credentials: provider, region, endpoints: endpointsFrom(options.endpointUrl, process.env)});
    try {
      return {choice, provider, identity: await gateway.getCallerIdentity()};
    } finally {
      gateway.destroy();
    }
  };
}

/** Runs the checks; throws UserError (exit 2) when there is no way forward. */
export async function runPreflight(options: Options, mfaCode: (serial: string) => Promise<string>): Promise<Preflight> {
  const {files, settings, stages} = await loadProject(options);
  const signIn = signInWith(options, probeRegion(options, settings, stages), mfaCode);
  const first: AdminChoice = options.adminProfile
    ? {profile: options.adminProfile, label: `Profile ${options.adminProfile}`}
    : {label: defaultChainLabel(process.env)};
  const profiles = options.adminProfile ? [] : adminProfiles(files, options.profile ?? options.user);
  const others = profiles.map((profile): AdminChoice => ({profile, label: `Profile ${profile}`}));
  try {
    const signedIn = await signIn(first);
    return {files, settings, stages, choices: [first, ...others], signedIn, signIn};
  } catch (err) {
    if (others.length === 0) throw identityError(err, options);
    const problem = `${first.label} did not work: ${identityError(err, options).message}`;
    return {files, settings, stages, choices: others, problem, signIn};
  }
}
