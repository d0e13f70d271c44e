/**
 * One place that turns SDK exceptions into the few kinds the wizard acts on.
 * Error codes: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 * and each IAM action's "Errors" section.
 */
export type AwsErrorKind =
  | 'NotFound' | 'AlreadyExists' | 'AccessDenied' | 'LimitExceeded' | 'Throttled' | 'Conflict' | 'InvalidCredentials'
  /** No answer in time (call-guard.ts); the message is the whole sentence. */
  | 'Timeout'
  /** The endpoint could not be reached at all (refused, unknown host…); the message is the whole sentence. */
  | 'Unreachable'
  /** Something answered that is not AWS (a web page); the message is the whole sentence. */
  | 'NotAws'
  /** AWS answered 5xx, and kept doing so through the SDK's retries. */
  | 'ServerError'
  | 'Other';

/** Kinds whose message already names the call and the endpoint and says what to do. */
const WHOLE_SENTENCE = new Set<AwsErrorKind>(['Timeout', 'Unreachable', 'NotAws']);

export class AwsError extends Error {
  /** Where the call went, when known (`http://127.0.0.1:4566/`). */
  readonly endpoint?: string;
  constructor(
    readonly kind: AwsErrorKind,
    readonly code: string,
    readonly action: string,
    message: string,
    options?: {cause?: unknown; endpoint?: string},
  ) {
    super(message, options?.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'AwsError';
    if (options?.endpoint) this.endpoint = options.endpoint;
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
  ServerError: 'AWS kept failing to answer through the retries',
};

/** The words for a status S3 sends without a body (HeadBucket), where the SDK knows no code. */
const STATUS_WORDS: Record<number, string> = {
  500: 'internal error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** Node's words for the network errors a person can act on. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ECONNRESET: 'the connection was dropped',
  EPIPE: 'the connection was dropped',
};

/** "IAM GetUser" for "iam:GetUser". */
function callWords(action: string): string {
  const [service = 'aws', name = action] = action.split(':');
  return `${service.toUpperCase()} ${name}`;
}

/** A network failure after the SDK's retries, named with the endpoint call-guard.ts attached. */
function unreachable(err: unknown, action: string): AwsError | undefined {
  const e = err as {code?: string; $endpoint?: string; $check?: string};
  const why = NETWORK[e?.code ?? ''];
  if (!why) return undefined;
  const where = e.$endpoint ?? 'its endpoint';
  const check = e.$check ?? 'check the network or --endpoint-url (or AWS_ENDPOINT_URL) and run again';
  return new AwsError('Unreachable', e.code!, action,
    `${callWords(action)} could not reach ${where}: ${why} (${e.code}); ${check}.`,
    {cause: err, ...(e.$endpoint ? {endpoint: e.$endpoint} : {})});
}

export function toAwsError(err: unknown, action: string): AwsError {
  if (err instanceof AwsError) return err;
  const network = unreachable(err, action);
  if (network) return network;
  const e = err as {name?: string; Code?: string; message?: string; $metadata?: {httpStatusCode?: number}};
  const status = e?.$metadata?.httpStatusCode;
  const given = e?.Code ?? e?.name ?? 'Unknown';
  // Without a body (HEAD) the SDK names the error "Unknown", "UnknownError" or the bare status.
  const nameless = /^(Unknown(Error)?|\d{3})$/.test(given);
  const code = nameless && status ? `HTTP ${status}` : given;
  let kind = KIND_BY_CODE[given] ?? 'Other';
  if (kind === 'Other' && status === 404) kind = 'NotFound';
  if (kind === 'Other' && status !== undefined && status >= 500) kind = 'ServerError';
  // The SDK appends advice for its own developers to answers it cannot parse.
  const own = e?.message?.replace(/\s*Deserialization error: to see the raw response[\s\S]*$/, '').trim();
  const message = own && own !== 'UnknownError' && !nameless ? own : STATUS_WORDS[status ?? 0] ?? `HTTP ${status ?? '?'}`;
  return new AwsError(kind, code, action, message, {cause: err});
}

/** "iam:CreateUser failed: AccessDenied (the identity is not allowed to do this): <AWS message>" */
export function describeAwsError(err: AwsError): string {
  if (WHOLE_SENTENCE.has(err.kind)) return err.message;
  const plain = PLAIN[err.kind];
  return `${err.action} failed with ${err.code}${plain ? ` (${plain})` : ''}: ${err.message}`;
}

export function isKind(err: unknown, kind: AwsErrorKind): boolean {
  return err instanceof AwsError && err.kind === kind;
}
