/**
 * One place that turns SDK exceptions into the few kinds the wizard acts on.
 * Error codes: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 * and each IAM action's "Errors" section.
 */
export type AwsErrorKind = 'NotFound' | 'AlreadyExists' | 'AccessDenied' | 'LimitExceeded' | 'Throttled' | 'Conflict' | 'InvalidCredentials' | 'Other';

export class AwsError extends Error {
  constructor(
    readonly kind: AwsErrorKind,
    readonly code: string,
    readonly action: string,
    message: string,
    options?: {cause?: unknown},
  ) {
    super(message, options);
    this.name = 'AwsError';
  }
}

const KIND_BY_CODE: Record<string, AwsErrorKind> = {
  NoSuchEntity: 'NotFound',
  NoSuchEntityException: 'NotFound',
  NotFound: 'NotFound',
  NoSuchBucket: 'NotFound',
  EntityAlreadyExists: 'AlreadyExists',
  EntityAlreadyExistsException: 'AlreadyExists',
  AccessDenied: 'AccessDenied',
  AccessDeniedException: 'AccessDenied',
  UnauthorizedOperation: 'AccessDenied',
  LimitExceeded: 'LimitExceeded',
  LimitExceededException: 'LimitExceeded',
  Throttling: 'Throttled',
  ThrottlingException: 'Throttled',
  DeleteConflict: 'Conflict',
  DeleteConflictException: 'Conflict',
  InvalidClientTokenId: 'InvalidCredentials',
  SignatureDoesNotMatch: 'InvalidCredentials',
  ExpiredToken: 'InvalidCredentials',
  ExpiredTokenException: 'InvalidCredentials',
  UnrecognizedClientException: 'InvalidCredentials',
};

/** Sentences for the codes a person meets, in plain words. */
const PLAIN: Partial<Record<AwsErrorKind, string>> = {
  AccessDenied: 'the identity is not allowed to do this',
  LimitExceeded: 'an IAM limit was reached',
  Throttled: 'AWS asked us to slow down and kept refusing after retries',
  InvalidCredentials: 'the credentials were rejected',
  Conflict: 'something still depends on it',
};

export function toAwsError(err: unknown, action: string): AwsError {
  if (err instanceof AwsError) return err;
  const e = err as {name?: string; Code?: string; message?: string; $metadata?: {httpStatusCode?: number}};
  const code = e?.Code ?? e?.name ?? 'Unknown';
  const status = e?.$metadata?.httpStatusCode;
  let kind = KIND_BY_CODE[code] ?? 'Other';
  if (kind === 'Other' && status === 404) kind = 'NotFound';
  const message = e?.message && e.message !== 'UnknownError' ? e.message : `HTTP ${status ?? '?'}`;
  return new AwsError(kind, code, action, message, {cause: err});
}

/** "iam:CreateUser failed: AccessDenied (the identity is not allowed to do this): <AWS message>" */
export function describeAwsError(err: AwsError): string {
  const plain = PLAIN[err.kind];
  return `${err.action} failed with ${err.code}${plain ? ` (${plain})` : ''}: ${err.message}`;
}

export function isKind(err: unknown, kind: AwsErrorKind): boolean {
  return err instanceof AwsError && err.kind === kind;
}
