/**
 * The client settings the AWS SDK would otherwise look up in the shared
 * files by itself. Each SDK client resolves each of them with its own loader,
 * and each loader parses both files again (the SDK caches the file's text,
 * not the parse): about 27 parses of ~/.aws/credentials per run, 15 s for a
 * file of 120,000 profiles. Here they are resolved once, the SDK's way
 * (the environment first, then the profile in the config and credentials
 * files, then the SDK's default), from our own cached parse, and handed to
 * the clients as explicit values.
 *
 * A setting this module cannot resolve exactly as the SDK would (a file that
 * does not parse, a value the SDK refuses) is left out, so the SDK resolves
 * it itself as before and says what it says about it.
 */
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {decodeText} from '../files/atomic-write.js';
import {awsFilePaths} from '../files/aws-paths.js';
import {getSection} from '../files/ini-document.js';

/** A profile's keys as the SDK reads them (config file over credentials file). */
export type ProfileValues = Record<string, string>;

/** The shared files' texts; undefined: the file does not exist. */
export interface SharedTexts { credentials?: string; config?: string }

export type SdkService = 'iam' | 'sts' | 's3';

const DEFAULTS_MODES = ['standard', 'in-region', 'cross-region', 'mobile', 'auto', 'legacy'] as const;
type DefaultsModeName = typeof DEFAULTS_MODES[number];
type ChecksumSetting = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';

/** Explicit values for the settings every client (IAM, STS, S3) resolves. */
export interface CommonSettings {
  maxAttempts?: number;
  retryMode?: string;
  defaultsMode?: DefaultsModeName;
  useDualstackEndpoint?: boolean;
  useFipsEndpoint?: boolean;
  /** A provider, because "none" must reach the client as a value too (undefined would start the SDK's loader). */
  userAgentAppId?: () => Promise<string | undefined>;
  authSchemePreference?: string[];
  disableClockSkewCorrection?: boolean;
}

/** What S3 resolves besides. */
export interface S3Settings {
  requestChecksumCalculation?: ChecksumSetting;
  responseChecksumValidation?: ChecksumSetting;
  disableS3ExpressSessionAuth?: boolean;
  useArnRegion?: () => Promise<boolean | undefined>;
  sigv4aSigningRegionSet?: () => Promise<string[] | undefined>;
}

export interface SdkSettings {
  common: CommonSettings;
  s3: S3Settings;
  /**
   * Per service: the endpoint the profile configures (`endpoint_url`, or the
   * `services` section's), null when it configures none (the client is told
   * to look no further), absent when that could not be worked out.
   */
  endpoints: Partial<Record<SdkService, string | null>>;
}

/** The gateway's retries when neither the environment nor the profile sets max_attempts. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/** Nothing explicit: every setting is left to the SDK. */
const NOTHING: SdkSettings = {common: {}, s3: {}, endpoints: {}};

/**
 * The settings for clients of `profile` (the admin profile: the flag, else
 * AWS_PROFILE, else default), from the environment and the shared files as
 * they are now. When the files cannot be read or parsed, nothing is explicit.
 */
export function sdkSettings(profile: string, env: NodeJS.ProcessEnv = process.env): SdkSettings {
  const texts = readSharedTexts(env);
  const values = texts && profileValues(texts, profile);
  return values ? settingsFrom(env, values, texts) : NOTHING;
}

/** Both files' texts, decoded as LocalFiles decodes them (so our parser's cache knows them); undefined when one cannot be read. */
export function readSharedTexts(env: NodeJS.ProcessEnv): SharedTexts | undefined {
  try {
    const paths = awsFilePaths(env, homedir());
    return {credentials: readIfExists(paths.credentials), config: readIfExists(paths.config)};
  } catch {
    return undefined;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return decodeText(readFileSync(path)).text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The profile's keys merged as the SDK merges them: the credentials file's
 * [name], then the config file's [profile name] (or [default] / [profile
 * default]) over it. undefined when a file does not parse.
 */
export function profileValues(texts: SharedTexts, profile: string): ProfileValues | undefined {
  try {
    const fromCredentials = texts.credentials === undefined ? undefined : getSection(texts.credentials, profile);
    const fromConfig = texts.config === undefined ? undefined : configSection(texts.config, profile);
    return {...sdkValues(fromCredentials), ...sdkValues(fromConfig)};
  } catch {
    return undefined;
  }
}

/** In the config file, [profile default] replaces [default] entirely, as in the SDK. */
function configSection(text: string, profile: string): Record<string, string> | undefined {
  const named = getSection(text, `profile ${profile}`);
  return profile === 'default' ? named ?? getSection(text, 'default') : named;
}

/**
 * Values as the SDK's reader sees them: a `;` or `#` after whitespace starts
 * a comment, and a key without a value opens a nested block, which is no
 * setting of its own.
 */
function sdkValues(section: Record<string, string> | undefined): ProfileValues {
  const out: ProfileValues = {};
  for (const [key, raw] of Object.entries(section ?? {})) {
    const value = raw.split(/(?:^|\s)[;#]/)[0]!.trim();
    if (value !== '') out[key.trim()] = value;
  }
  return out;
}

/** The SDK's chain for one setting: the environment, else the profile, else the default. */
function pick<T>(env: NodeJS.ProcessEnv, envName: string, values: ProfileValues, key: string, parse: (v: string) => T, fallback: T): T {
  if (env[envName] !== undefined && env[envName] !== '') return parse(env[envName]!);
  if (values[key] !== undefined) return parse(values[key]!);
  return fallback;
}

/** "true" or "false", as the SDK's booleanSelector; anything else is the SDK's to refuse. */
function bool(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error('not a boolean');
}

function whole(text: string): number {
  const n = parseInt(text, 10);
  if (Number.isNaN(n)) throw new Error('not a number');
  return n;
}

const list = (text: string) => text.split(',').map((item) => item.trim());
const same = (text: string) => text;

/** WHEN_SUPPORTED or WHEN_REQUIRED, any case, as the SDK's checksum settings. */
function checksumSetting(text: string): ChecksumSetting {
  const upper = text.toUpperCase();
  if (upper !== 'WHEN_SUPPORTED' && upper !== 'WHEN_REQUIRED') throw new Error('not a checksum setting');
  return upper;
}

/** One of the SDK's defaults modes, any case. */
function defaultsMode(text: string): DefaultsModeName {
  const mode = DEFAULTS_MODES.find((m) => m === text.toLowerCase());
  if (!mode) throw new Error('not a defaults mode');
  return mode;
}

/** Runs one resolution; a value the SDK would refuse leaves the setting to the SDK. */
function attempt<T>(resolve: () => T): T | undefined {
  try {
    return resolve();
  } catch {
    return undefined;
  }
}

function settingsFrom(env: NodeJS.ProcessEnv, values: ProfileValues, texts: SharedTexts): SdkSettings {
  const get = <T>(envName: string, key: string, parse: (v: string) => T, fallback: T) => attempt(() => pick(env, envName, values, key, parse, fallback));
  const appId = attempt(() => env.AWS_SDK_UA_APP_ID ?? values.sdk_ua_app_id ?? values['sdk-ua-app-id']);
  const useArnRegion = get<boolean | undefined>('AWS_S3_USE_ARN_REGION', 's3_use_arn_region', bool, undefined);
  const regionSet = get<string[] | undefined>('AWS_SIGV4A_SIGNING_REGION_SET', 'sigv4a_signing_region_set', list, undefined);
  return {
    common: {
      // AWS_MAX_ATTEMPTS / max_attempts (the SDK's default is 3; the gateway's is DEFAULT_MAX_ATTEMPTS).
      // A value that is no number keeps the gateway's default, as before this was read at all.
      maxAttempts: get('AWS_MAX_ATTEMPTS', 'max_attempts', whole, DEFAULT_MAX_ATTEMPTS) ?? DEFAULT_MAX_ATTEMPTS,
      // AWS_RETRY_MODE / retry_mode: standard, adaptive (or legacy); every defaults mode makes it standard.
      retryMode: get('AWS_RETRY_MODE', 'retry_mode', same, 'standard'),
      // AWS_DEFAULTS_MODE / defaults_mode: legacy unless set.
      defaultsMode: get<DefaultsModeName>('AWS_DEFAULTS_MODE', 'defaults_mode', defaultsMode, 'legacy'),
      // AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint.
      useDualstackEndpoint: get('AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint', bool, false),
      // AWS_USE_FIPS_ENDPOINT / use_fips_endpoint.
      useFipsEndpoint: get('AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint', bool, false),
      // AWS_SDK_UA_APP_ID / sdk_ua_app_id (or the older sdk-ua-app-id): none unless set.
      userAgentAppId: async () => appId,
      // AWS_AUTH_SCHEME_PREFERENCE / auth_scheme_preference: a comma-separated list, empty unless set.
      authSchemePreference: attempt(() => (env.AWS_AUTH_SCHEME_PREFERENCE !== undefined
        ? splitOrEmpty(env.AWS_AUTH_SCHEME_PREFERENCE)
        : values.auth_scheme_preference !== undefined ? splitOrEmpty(values.auth_scheme_preference) : [])),
      // AWS_DISABLE_CLOCK_SKEW_CORRECTION / disable_clock_skew_correction.
      disableClockSkewCorrection: get('AWS_DISABLE_CLOCK_SKEW_CORRECTION', 'disable_clock_skew_correction', bool, false),
    },
    s3: {
      // AWS_REQUEST_CHECKSUM_CALCULATION / request_checksum_calculation: WHEN_SUPPORTED unless set.
      requestChecksumCalculation: get<ChecksumSetting>('AWS_REQUEST_CHECKSUM_CALCULATION', 'request_checksum_calculation', checksumSetting, 'WHEN_SUPPORTED'),
      // AWS_RESPONSE_CHECKSUM_VALIDATION / response_checksum_validation: WHEN_SUPPORTED unless set.
      responseChecksumValidation: get<ChecksumSetting>('AWS_RESPONSE_CHECKSUM_VALIDATION', 'response_checksum_validation', checksumSetting, 'WHEN_SUPPORTED'),
      // AWS_S3_DISABLE_EXPRESS_SESSION_AUTH / s3_disable_express_session_auth.
      disableS3ExpressSessionAuth: get('AWS_S3_DISABLE_EXPRESS_SESSION_AUTH', 's3_disable_express_session_auth', bool, false),
      // AWS_S3_USE_ARN_REGION / s3_use_arn_region: unset unless set (providers, so that unset is a value too).
      ...(useArnRegionKnown(env, values, useArnRegion) ? {useArnRegion: async () => useArnRegion} : {}),
      // AWS_SIGV4A_SIGNING_REGION_SET / sigv4a_signing_region_set: a comma-separated list, unset unless set.
      sigv4aSigningRegionSet: async () => regionSet,
    },
    endpoints: attempt(() => configuredEndpoints(env, values, texts)) ?? {},
  };
}

/** The SDK reads an empty AUTH_SCHEME_PREFERENCE as no preference. */
const splitOrEmpty = (text: string) => (text.length > 0 ? list(text) : []);

/** useArnRegion resolved unless the value given is one the SDK refuses (then the SDK says so). */
function useArnRegionKnown(env: NodeJS.ProcessEnv, values: ProfileValues, resolved: boolean | undefined): boolean {
  return resolved !== undefined || (env.AWS_S3_USE_ARN_REGION === undefined && values.s3_use_arn_region === undefined);
}

/**
 * The endpoint each service gets from the profile when no flag or variable
 * names one: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls
 * turns this off; else the `services` section's `<service> = \n  endpoint_url = …`,
 * else the profile's own `endpoint_url`. (AWS_ENDPOINT_URL_<SERVICE> and
 * AWS_ENDPOINT_URL come before all of these; endpointsFrom reads them.)
 */
function configuredEndpoints(env: NodeJS.ProcessEnv, values: ProfileValues, texts: SharedTexts): SdkSettings['endpoints'] {
  const ignore = pick(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', values, 'ignore_configured_endpoint_urls', bool, false);
  const services: SdkService[] = ['iam', 'sts', 's3'];
  if (ignore) return Object.fromEntries(services.map((s) => [s, null]));
  const nested = values.services === undefined ? undefined : servicesSection(texts.config, values.services);
  return Object.fromEntries(services.map((s) => [s, nested?.[`${s}.endpoint_url`] ?? values.endpoint_url ?? null]));
}

/**
 * `[services <name>]` of the config file with its nested blocks flattened as
 * the SDK flattens them (`iam.endpoint_url`). A profile naming a services
 * section that is not there is the SDK's to report: this throws, and the
 * endpoint is left to the SDK.
 */
function servicesSection(configText: string | undefined, name: string): Record<string, string> {
  const header = `services ${name}`;
  if (configText === undefined || !getSection(configText, header)) throw new Error(`no [${header}]`);
  const out: Record<string, string> = {};
  let inside = false;
  let block: string | undefined;
  for (const line of configText.split(/\r?\n/)) {
    const text = line.split(/(?:^|\s)[;#]/)[0]!.trim();
    if (text.startsWith('[') && text.endsWith(']')) {
      inside = text.slice(1, -1) === header;
      block = undefined;
      continue;
    }
    const eq = text.indexOf('=');
    if (!inside || eq <= 0) continue;
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (value === '') block = key;
    else {
      // An unindented key ends the nested block.
      if (block && line.trimStart() === line) block = undefined;
      out[block ? `${block}.${key}` : key] = value;
    }
  }
  return out;
}
