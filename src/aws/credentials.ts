/**
 * Where the admin credentials come from. The SDK's own providers do the work
 * (env vars, profiles, SSO, `aws login`, credential_process, role + MFA); we
 * only choose the profile, supply the MFA prompt, and put the SDK's failures
 * into words with the command that fixes them.
 */
import {fromNodeProviderChain} from '@aws-sdk/credential-providers';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import {callLimits, requestHandlerOptions} from './call-guard.js';

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
  return fromNodeProviderChain({
    profile: choice.profile,
    mfaCodeProvider: choice.mfaCode ?? (async (serial) => {
      throw new MfaNeedsTerminalError(serial);
    }),
    // The role's AssumeRole and SSO calls get the same timeouts as every other call (call-guard.ts).
    clientConfig: {requestHandler: requestHandlerOptions(callLimits()), ...(choice.stsEndpoint ? {endpoint: choice.stsEndpoint} : {})},
    // Re-read the files on every run of the chain: we edit them ourselves.
    ignoreCache: true,
  });
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

/** True when the SDK's default chain found no credentials at all (as opposed to broken ones). */
export function noCredentialsFound(err: unknown): boolean {
  return chainOf(err).some((e) => /Could not load credentials from any providers/.test(e.message ?? ''));
}

/** A call the credential chain makes itself (a role's AssumeRole, SSO) ran out of time. */
export function credentialCallTimedOut(err: unknown): boolean {
  return chainOf(err).some((e) => e.name === 'TimeoutError' || /^@smithy\/node-http-handler - .*time/.test(e.message ?? ''));
}
