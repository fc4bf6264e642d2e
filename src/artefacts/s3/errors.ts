/**
 * Stable codes of the errors the S3 backend throws on top of the shared `ERR_ARTEFACT_*` ones (an absent blob is
 * still `ERR_ARTEFACT_NOT_FOUND`). Each carries the SDK's error as `cause` and `details` with the operation, the
 * key, and the S3 error code and HTTP status when S3 answered.
 *
 * @example
 * if (isDocketError(err, S3ArtefactErrorCode.Unreachable)) retryLater();
 */
export const S3ArtefactErrorCode = {
  /** S3 could not be reached, did not answer within the timeouts, or answered that it is unavailable (5xx). */
  Unreachable: 'ERR_ARTEFACT_S3_UNREACHABLE',
  /** S3 refused the credentials or the operation (403, unknown access key, bad signature, Object Lock refusal). */
  AccessDenied: 'ERR_ARTEFACT_S3_ACCESS_DENIED',
  /** The configured bucket does not exist. */
  BucketMissing: 'ERR_ARTEFACT_S3_BUCKET_MISSING',
  /** Retention was asked for but the bucket was not created with Object Lock enabled. */
  ObjectLockDisabled: 'ERR_ARTEFACT_S3_OBJECT_LOCK_DISABLED',
  /** S3 refused a request for another reason; `details.s3Code` and `details.status` say which. */
  RequestFailed: 'ERR_ARTEFACT_S3_REQUEST_FAILED',
  /** The backend options are unusable (bucket name, key prefix, retention days, part size, timeouts). */
  ConfigInvalid: 'ERR_ARTEFACT_S3_CONFIG_INVALID',
} as const;

/** One of the codes in {@link S3ArtefactErrorCode}. */
export type S3ArtefactErrorCode = (typeof S3ArtefactErrorCode)[keyof typeof S3ArtefactErrorCode];
