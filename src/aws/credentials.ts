/**
 * Where the admin credentials come from. The SDK's own providers do the work
 * (env vars, profiles, SSO, `aws login`, credential_process, role + MFA); we
 * only choose the profile, supply the MFA prompt, and put the SDK's failures
 * into words with the command that fixes them.
 */
import {fromNodeProviderChain} from '@aws-sdk/credential-providers';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import {callLimits, requestHandlerOptions} from './call-guard.js';
import {sdkSettings} from './sdk-settings.js';

export interface CredentialChoice {
  profile?: string;
  /**
   * Asked when a role profile has mfa_serial. Without it such a profile
   * fails with MfaNeedsTerminalError: only a person at a terminal can type a code.
   */
  mfaCode?: (serial: string) => Promise<string>;
  /** Where a role profile's AssumeRole goes (an emulator's STS, when one is used). */
  stsEndpoint?: string;
}

/** A role profile asked for an MFA code, and nobody is there to type it. */
export class MfaNeedsTerminalError extends Error {
  constructor(readonly serial: string) {
    super(`An MFA code for ${serial} is needed, and this run cannot ask for one.`);
    this.name = 'MfaNeedsTerminalError';
  }
}

export function adminCredentials(choice: CredentialChoice): AwsCredentialIdentityProvider {
  guardSourceProfileRejection();
  return oneChainAtATime(fromNodeProviderChain({
    profile: choice.profile,
    mfaCodeProvider: choice.mfaCode ?? (async (serial) => {
      throw new MfaNeedsTerminalError(serial);
    }),
    // The role's AssumeRole and SSO calls get the same timeouts as every other call (call-guard.ts).
    // The settings resolved once (sdk-settings.ts), so that the role's and SSO's clients do not parse the files per setting.
    clientConfig: {
      ...sdkSettings(profileOf(choice.profile)).common,
      requestHandler: requestHandlerOptions(callLimits()), ...(choice.stsEndpoint ? {endpoint: choice.stsEndpoint} : {}),
    },
    // Re-read the files on every run of the chain: we edit them ourselves. (This re-reads the text; the
    // SDK parses the files on every run of the chain either way.)
    ignoreCache: true,
  }));
}

/**
 * fromNodeProviderChain builds its chain on the first call, after an await:
 * calls made meanwhile (the IAM, STS and S3 clients' first requests go out
 * together) each build a chain of their own, and each parses the shared
 * files. Here the first call goes alone; the others wait for it and then
 * find the chain, and its credentials, in place. A call that fails fails
 * for those waiting on it too, and the next call starts afresh.
 */
function oneChainAtATime(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let first: Promise<AwsCredentialIdentity> | undefined;
  return async (args) => {
    if (!first) {
      const started = provider(args);
      first = started;
      started.catch(() => {
        if (first === started) first = undefined;
      });
      return started;
    }
    await first;
    return provider(args);
  };
}

/** An access key the person typed in: lives in memory for this run only. */
export interface TypedKey {
  id: string;
  secret: string;
  /** Only temporary (ASIA…) keys have one. */
  sessionToken?: string;
}

/** Static credentials for a typed key; nothing is read from or written to a file. */
export function typedKeyCredentials(key: TypedKey): AwsCredentialIdentityProvider {
  const identity: AwsCredentialIdentity = {accessKeyId: key.id, secretAccessKey: key.secret, sessionToken: key.sessionToken};
  return async () => identity;
}

let guarded = false;

/**
 * The SDK starts resolving a role profile's source_profile before it asks
 * for the MFA code. When the source fails meanwhile (a misnamed or expired
 * source profile), that promise rejects before anyone awaits it, and Node
 * would end the process with a stack trace in the middle of the prompt. The
 * same failure is reported again when the SDK awaits the promise (or the MFA
 * error wins), so such a rejection is dropped here; any other one still ends
 * the process as Node would.
 */
function guardSourceProfileRejection(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    if ((reason as {name?: string})?.name === 'CredentialsProviderError') return;
    throw reason;
  });
  // When the SDK awaits that promise after all, Node would print a
  // PromiseRejectionHandledWarning across the prompt; a listener replaces it.
  process.on('rejectionHandled', () => {});
}

/** --endpoint-url beats AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL. */
export function endpointsFrom(flag: string | undefined, env: NodeJS.ProcessEnv): {iam?: string; sts?: string; s3?: string} {
  const pick = (svc: string) => flag ?? env[`AWS_ENDPOINT_URL_${svc}`] ?? env.AWS_ENDPOINT_URL ?? undefined;
  return {iam: pick('IAM'), sts: pick('STS'), s3: pick('S3')};
}

/** The profile a credential choice reads: the named one, else AWS_PROFILE, else default. */
export function profileOf(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return profile ?? env.AWS_PROFILE ?? 'default';
}

/** A credential failure in words: what happened, and what to do (with the command). */
export interface CredentialFailure {
  message: string;
  hint: string;
}

/** The error and what it wraps (the gateway wraps SDK errors in AwsError). */
function chainOf(err: unknown): Array<{name?: string; message?: string}> {
  const out: Array<{name?: string; message?: string}> = [];
  for (let e = err as {name?: string; message?: string; cause?: unknown} | undefined; e && out.length < 4; e = e.cause as typeof e) out.push(e);
  return out;
}

// The SDK's own wording for an SSO session that is missing, invalid or
// expired ("The SSO session token associated with profile=… was not found or
// is invalid. To refresh this SSO session run 'aws sso login' …"), and for an
// expired `aws login` session ("… please re-authenticate using aws login").
const SSO_SESSION = /\bSSO session\b|\bSSO token\b|aws sso login/i;
const LOGIN_SESSION = /re-authenticate using aws login/i;

/**
 * The credential failures a person fixes with one command: an expired SSO
 * or `aws login` session, or an MFA code nobody can type. undefined for
 * anything else (the caller words those).
 */
export function explainCredentialFailure(err: unknown, profile: string): CredentialFailure | undefined {
  const chain = chainOf(err);
  const mfa = chain.find((e): e is MfaNeedsTerminalError => e instanceof MfaNeedsTerminalError);
  if (mfa) {
    return {
      message: `Profile ${profile} assumes a role that needs an MFA code (${mfa.serial}), and only an interactive run can ask for it.`,
      hint: 'Run the wizard in a terminal without --yes or --json and type the code when asked, or put temporary credentials in the environment first '
        + `(AWS CLI v2: eval "$(aws configure export-credentials --profile ${profile} --format env)").`,
    };
  }
  const text = chain.map((e) => e.message ?? '').join(' ');
  if (SSO_SESSION.test(text)) {
    return {
      message: `The IAM Identity Center (SSO) sign-in of profile ${profile} has expired or was never made: renew it with \`aws sso login --profile ${profile}\`.`,
      hint: 'Then run the wizard again; nothing was changed.',
    };
  }
  if (LOGIN_SESSION.test(text)) {
    const command = profile === 'default' ? 'aws login' : `aws login --profile ${profile}`;
    return {
      message: `The console sign-in (aws login) of profile ${profile} has expired: renew it with \`${command}\`.`,
      hint: 'Then run the wizard again; nothing was changed.',
    };
  }
  return undefined;
}

/** Where a profile's credentials come from, as its entries in the config and credentials files say. */
export type CredentialSource = 'sso' | 'login' | 'role' | 'process' | 'web-identity' | 'temporary-key' | 'key';

/**
 * The source of a profile's credentials, from its entries (config and
 * credentials sections merged); undefined when it has none, e.g. a profile
 * that only sets a region: such a profile cannot sign anyone in.
 */
export function credentialSourceOf(entries: Record<string, string | undefined>): CredentialSource | undefined {
  if (entries.sso_session || entries.sso_start_url) return 'sso';
  if (entries.login_session) return 'login';
  if (entries.role_arn && (entries.source_profile || entries.credential_source)) return 'role';
  if (entries.web_identity_token_file) return 'web-identity';
  if (entries.credential_process) return 'process';
  if (entries.aws_access_key_id && entries.aws_secret_access_key) return entries.aws_session_token ? 'temporary-key' : 'key';
  return undefined;
}

/** Which credentials were rejected: a profile (and what kind), the environment variables, or a pasted key. */
export interface RejectedCredentials {
  profile?: string;
  source?: CredentialSource;
  /** The default chain took them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  fromEnv?: boolean;
  /** Words for a key that is in no file ("the pasted key AKIA…WXYZ"). */
  named?: string;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const UNKNOWN_KEY = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'AuthFailure']);

/** What happened to the credentials and what gets new ones, for an expired temporary key or session. */
function expiredInWords(who: RejectedCredentials): string {
  const p = who.profile ?? 'default';
  if (who.named) return `${who.named} has expired: temporary keys stop working when their session ends; paste a new one or choose another way in`;
  if (who.fromEnv) {
    return 'The temporary key in the environment variables (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN) has expired: export a new one, '
      + 'or unset them (`unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`) to use your profiles';
  }
  switch (who.source) {
    case 'sso': return `The IAM Identity Center (SSO) sign-in of [${p}] has expired: renew it with \`aws sso login --profile ${p}\``;
    case 'login': return `The console sign-in (aws login) of [${p}] has expired: renew it with \`${p === 'default' ? 'aws login' : `aws login --profile ${p}`}\``;
    case 'role': return `The credentials [${p}] assumes its role with have expired: renew those of its source_profile, then choose it again`;
    default: return `The temporary key in [${p}] has expired: copy a new one (for example from your AWS access portal) into ~/.aws/credentials, or sign in with \`aws configure sso\` instead`;
  }
}

/**
 * Why AWS rejected admin credentials, in words, with what to do: never the
 * bare error code ("ExpiredToken"), which says nothing to most people.
 */
export function rejectedInWords(code: string, who: RejectedCredentials): string {
  const p = who.profile ?? 'default';
  const place = who.named ?? (who.fromEnv ? 'the access key in the environment variables (AWS_ACCESS_KEY_ID)' : `the access key in [${p}]`);
  const fix = who.named ? 'check that it is active and was copied whole' : who.fromEnv ? 'export a working one' : `put a working one there (\`aws configure --profile ${p}\`)`;
  const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  if (EXPIRED.has(code)) return capital(expiredInWords(who));
  if (UNKNOWN_KEY.has(code)) return `AWS does not know ${place}: it was deleted or deactivated, or is mistyped; ${fix}`;
  if (code === 'SignatureDoesNotMatch') return `${capital(place)} does not match its secret key (one of them is mistyped or cut off); ${fix}`;
  return `AWS did not accept ${place}; ${fix}`;
}

/** True when the SDK's default chain found no credentials at all (as opposed to broken ones). */
export function noCredentialsFound(err: unknown): boolean {
  return chainOf(err).some((e) => /Could not load credentials from any providers/.test(e.message ?? ''));
}

/** A call the credential chain makes itself (a role's AssumeRole, SSO) ran out of time. */
export function credentialCallTimedOut(err: unknown): boolean {
  return chainOf(err).some((e) => e.name === 'TimeoutError' || /^@smithy\/node-http-handler - .*time/.test(e.message ?? ''));
}
