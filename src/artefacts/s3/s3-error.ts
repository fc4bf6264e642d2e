import { DocketError } from '../../errors/index.js';
import { S3ArtefactErrorCode } from './errors.js';
import { answerOf, describeS3Failure, type S3FailureKind } from './s3-failure.js';

const CODE_OF_KIND: Record<S3FailureKind, S3ArtefactErrorCode> = {
  unreachable: S3ArtefactErrorCode.Unreachable,
  'access-denied': S3ArtefactErrorCode.AccessDenied,
  'bucket-missing': S3ArtefactErrorCode.BucketMissing,
  'object-lock-missing': S3ArtefactErrorCode.ObjectLockDisabled,
  'not-found': S3ArtefactErrorCode.RequestFailed,
  'precondition-failed': S3ArtefactErrorCode.RequestFailed,
  conflict: S3ArtefactErrorCode.RequestFailed,
  'not-implemented': S3ArtefactErrorCode.RequestFailed,
  other: S3ArtefactErrorCode.RequestFailed,
};

/**
 * Wraps a failed S3 request as a coded error naming the operation, bucket and key, with the SDK error as `cause`.
 * DocketErrors pass through unchanged.
 */
export function s3Error(
  err: unknown,
  operation: string,
  where: { bucket: string; key?: string },
): DocketError {
  if (err instanceof DocketError) return err;
  const facts = describeS3Failure(err);
  const target = where.key === undefined ? `s3://${where.bucket}` : `s3://${where.bucket}/${where.key}`;
  return new DocketError(
    CODE_OF_KIND[facts.kind],
    `${operation} ${target} failed (${answerOf(facts)}): ${facts.message}`,
    {
      cause: err,
      details: {
        operation,
        bucket: where.bucket,
        ...(where.key === undefined ? {} : { key: where.key }),
        ...(facts.s3Code === undefined ? {} : { s3Code: facts.s3Code }),
        ...(facts.status === undefined ? {} : { status: facts.status }),
      },
    },
  );
}
