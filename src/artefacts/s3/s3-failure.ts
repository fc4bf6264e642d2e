// What went wrong with an S3 request, read from the SDK's error: the service's error code (`name`), the HTTP
// status, or a Node system error code for failures below HTTP. Shared by the artefact backend and the checkpoint
// anchors, which map the kinds to their own error codes.

/** The kinds of S3 failure a caller can act on differently. */
export type S3FailureKind =
  | 'unreachable'
  | 'access-denied'
  | 'bucket-missing'
  | 'not-found'
  | 'precondition-failed'
  | 'conflict'
  | 'not-implemented'
  | 'object-lock-missing'
  | 'other';

/** An S3 failure as plain facts, for error details. */
export interface S3FailureFacts {
  kind: S3FailureKind;
  /** The S3 error code (`NoSuchBucket`, `AccessDenied`…) or the Node error code (`ECONNREFUSED`…). */
  s3Code?: string;
  status?: number;
  message: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EPROTO',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
// versitygw answers an unknown access key with 404 XAdminUserNotFound; AWS with 403 InvalidAccessKeyId.
const DENIED_NAMES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'XAdminUserNotFound',
  'AllAccessDisabled',
  'ExpiredToken',
  'InvalidToken',
  'AccountProblem',
  // The SDK found no credentials to sign with: S3 would refuse the request anyway.
  'CredentialsProviderError',
]);
const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);

/** Classifies an error thrown by `S3Client.send` (or by reading a response body). */
export function describeS3Failure(err: unknown): S3FailureFacts {
  const e = (err ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof e.name === 'string' ? e.name : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(name ?? err);
  const facts = (kind: S3FailureKind, s3Code = name): S3FailureFacts => ({
    kind,
    ...(s3Code === undefined ? {} : { s3Code }),
    ...(status === undefined ? {} : { status }),
    message,
  });
  if ((code !== undefined && NETWORK_CODES.has(code)) || (name !== undefined && TIMEOUT_NAMES.has(name))) {
    return facts('unreachable', code ?? name);
  }
  if (name === 'NoSuchBucket') return facts('bucket-missing');
  if (name === 'ObjectLockConfigurationNotFoundError') return facts('object-lock-missing');
  // AWS: 400 InvalidRequest "Bucket is missing Object Lock Configuration" when a locked write hits a plain bucket.
  if (name === 'InvalidRequest' && /object ?lock ?configuration/i.test(message)) {
    return facts('object-lock-missing');
  }
  if ((name !== undefined && DENIED_NAMES.has(name)) || status === 403) return facts('access-denied');
  if ((name !== undefined && NOT_FOUND_NAMES.has(name)) || status === 404) return facts('not-found');
  if (name === 'PreconditionFailed' || status === 412) return facts('precondition-failed');
  if (name === 'ConditionalRequestConflict' || status === 409) return facts('conflict');
  if (name === 'NotImplemented' || status === 501) return facts('not-implemented');
  if (status !== undefined && status >= 500) return facts('unreachable');
  // No HTTP status at all: the request never got an answer (a socket error without a known code).
  if (status === undefined && e.$metadata === undefined && code !== undefined)
    return facts('unreachable', code);
  return facts('other');
}

/** What S3 answered, for a message: `403 AccessDenied`, `ECONNREFUSED`, or `no answer`. */
export function answerOf(facts: S3FailureFacts): string {
  return [facts.status, facts.s3Code].filter((part) => part !== undefined).join(' ') || 'no answer';
}
