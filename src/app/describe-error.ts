/** Turns any failure into one sentence of what happened plus what to do. */
import type {Options} from '../args.js';
import {AwsError, describeAwsError} from '../aws/aws-error.js';
import {callLimits} from '../aws/call-guard.js';
import {credentialCallTimedOut, explainCredentialFailure, profileOf, rejectedInWords} from '../aws/credentials.js';
import {EXIT, UserError} from '../errors.js';

const RERUN = 'Fix this and run again; finished steps are detected and skipped.';

const HINTS: Partial<Record<AwsError['kind'], string>> = {
  AccessDenied: 'The admin identity lacks this IAM permission. Use an identity with IAM administrator rights (--admin-profile <name>).',
  Throttled: 'AWS is rate-limiting this account. Wait a minute and run again.',
  LimitExceeded: 'An IAM quota was reached. Remove what you no longer need and run again.',
  InvalidCredentials: 'The admin credentials were rejected. Sign in again (aws sso login / aws configure) or pass --admin-profile.',
  ServerError: 'AWS could not answer just now; wait a minute.',
};

/** `who` is the admin identity's ARN, named when it lacks a permission. */
export function describeError(err: unknown, who?: string): {error: string; hint?: string} {
  if (err instanceof UserError) return {error: err.message, hint: err.hint ?? RERUN};
  if (err instanceof AwsError && err.kind === 'AccessDenied' && who) {
    return {error: `${who} is not allowed to call ${err.action} (${err.code}).`, hint: `${HINTS.AccessDenied} ${RERUN}`};
  }
  if (err instanceof AwsError) return {error: describeAwsError(err), hint: `${HINTS[err.kind] ?? ''} ${RERUN}`.trim()};
  return {error: (err as Error)?.message ?? String(err), hint: RERUN};
}

/** No or bad admin credentials: exit 2 with the ways in (exit 1 when AWS did not answer in time or could not be reached). */
export function identityError(err: unknown, options: Options): UserError {
  // Expired SSO or `aws login` sessions and MFA without a terminal: the command that fixes each.
  const known = explainCredentialFailure(err, profileOf(options.adminProfile));
  if (known) return new UserError(known.message, {hint: known.hint, cause: err});
  // The gateway wraps SDK errors, so the provider's error name arrives as the AwsError's code.
  const name = err instanceof AwsError ? err.code : (err as {name?: string})?.name ?? '';
  const which = options.adminProfile ? `the profile "${options.adminProfile}"` : 'the environment, ~/.aws or SSO';
  if (credentialCallTimedOut(err)) {
    return new UserError(`Signing in with ${which} did not finish: a call it makes (a role's sts:AssumeRole, or SSO) did not answer within ${callLimits().requestMs / 1000} s.`, {
      hint: 'Check the network and run again. Nothing was changed.', exitCode: EXIT.failed, cause: err,
    });
  }
  if (name === 'CredentialsProviderError' || /credential/i.test((err as Error)?.message ?? '') && !(err instanceof AwsError)) {
    return new UserError(`No usable AWS admin credentials were found in ${which}.`, {
      hint: 'Sign in first (`aws configure sso`, `aws login` or `aws configure`), or pass --admin-profile <name>, then run again.',
      cause: err,
    });
  }
  if (err instanceof AwsError && err.kind === 'InvalidCredentials') {
    // In words (which key, what happened), not the bare code such as ExpiredToken.
    const fromEnv = !options.adminProfile && Boolean(process.env.AWS_ACCESS_KEY_ID);
    return new UserError(`${rejectedInWords(err.code, {profile: profileOf(options.adminProfile), fromEnv})}.`, {
      hint: 'They may have expired. Sign in again (e.g. `aws sso login`) or pass --admin-profile <name>.',
      cause: err,
    });
  }
  // A frozen or unreachable endpoint is not bad input: exit 1, and the sentence names the call and the endpoint.
  if (err instanceof AwsError && (err.kind === 'Timeout' || err.kind === 'Unreachable')) {
    return new UserError(`Can't ask AWS who you are: ${err.message}`, {hint: 'Nothing was changed.', exitCode: EXIT.failed, cause: err});
  }
  if (err instanceof AwsError) return new UserError(`Can't ask AWS who you are: ${describeAwsError(err)}`, {cause: err});
  return new UserError(`Can't ask AWS who you are: ${(err as Error)?.message ?? err}`, {cause: err});
}
