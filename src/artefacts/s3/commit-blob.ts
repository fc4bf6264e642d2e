import {
  type CompletedPart,
  CompleteMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { copySource } from './layout.js';
import { copyRanges } from './part-size.js';
import { s3Error } from './s3-error.js';
import { describeS3Failure } from './s3-failure.js';
import { abortUpload, createUpload, type UploadedTemp } from './temp-upload.js';

/** Where and how a blob is committed. */
export interface CommitTarget {
  readonly bucket: string;
  readonly key: string;
  /** COMPLIANCE-mode retention for the committed object, if any. */
  readonly lock: { retainUntil: Date } | undefined;
  readonly copyPartBytes: number;
}

/**
 * Copies the temporary server-side under `target.key` unless an object is already there, and says whether it
 * made one. The write is conditional (`If-None-Match: *` on CompleteMultipartUpload, RFC 9110 §13.1.2, which S3
 * supports), so of two concurrent commits of one digest exactly one creates the blob and the other keeps it
 * untouched. A service that does not implement the condition (501) falls back to a HEAD check first.
 */
export async function commitTemp(
  client: S3Client,
  temp: UploadedTemp,
  target: CommitTarget,
): Promise<boolean> {
  const { bucket, key } = target;
  if (await objectExists(client, bucket, key)) return false;
  if (temp.size === 0) return putEmpty(client, target);
  const uploadId = await createUpload(client, bucket, key, target.lock);
  try {
    const parts: CompletedPart[] = [];
    for (const range of copyRanges(temp.size, target.copyPartBytes)) {
      const PartNumber = parts.length + 1;
      const { CopyPartResult } = await client
        .send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber,
            CopySource: copySource(bucket, temp.key, temp.versionId),
            ...(range === undefined ? {} : { CopySourceRange: range }),
          }),
        )
        .catch((err: unknown) => {
          throw s3Error(err, `copy ${temp.key} into part ${PartNumber} of`, { bucket, key });
        });
      parts.push({
        PartNumber,
        ...(CopyPartResult?.ETag === undefined ? {} : { ETag: CopyPartResult.ETag }),
      });
    }
    const complete = (conditional: boolean) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
          ...(conditional ? { IfNoneMatch: '*' } : {}),
        }),
      );
    try {
      await complete(true);
      return true;
    } catch (err) {
      const { kind } = describeS3Failure(err);
      // 412: the blob exists. 409: a concurrent write of the same key won (AWS ConditionalRequestConflict).
      if (
        kind === 'precondition-failed' ||
        (kind === 'conflict' && (await objectExists(client, bucket, key)))
      ) {
        await abortUpload(client, bucket, key, uploadId);
        return false;
      }
      if (kind !== 'not-implemented') throw s3Error(err, 'complete the copy to', { bucket, key });
    }
    if (await objectExists(client, bucket, key)) {
      await abortUpload(client, bucket, key, uploadId);
      return false;
    }
    await complete(false).catch((err: unknown) => {
      throw s3Error(err, 'complete the copy to', { bucket, key });
    });
    return true;
  } catch (err) {
    await abortUpload(client, bucket, key, uploadId);
    throw err;
  }
}

async function putEmpty(client: S3Client, target: CommitTarget): Promise<boolean> {
  const { bucket, key, lock } = target;
  const put = (conditional: boolean) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: new Uint8Array(),
        ContentLength: 0,
        ...(conditional ? { IfNoneMatch: '*' } : {}),
        ...(lock === undefined
          ? {}
          : { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: lock.retainUntil }),
      }),
    );
  try {
    await put(true);
    return true;
  } catch (err) {
    const { kind } = describeS3Failure(err);
    if (kind === 'precondition-failed') return false;
    if (kind === 'conflict' && (await objectExists(client, bucket, key))) return false;
    if (kind !== 'not-implemented') throw s3Error(err, 'put', { bucket, key });
  }
  if (await objectExists(client, bucket, key)) return false;
  await put(false).catch((err: unknown) => {
    throw s3Error(err, 'put', { bucket, key });
  });
  return true;
}

/** The object's size, or undefined when there is none (HEAD answers 404 without a body, so no code). */
export async function headSize(client: S3Client, bucket: string, key: string): Promise<number | undefined> {
  try {
    const { ContentLength } = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return ContentLength ?? 0;
  } catch (err) {
    if (describeS3Failure(err).kind === 'not-found') return undefined;
    throw s3Error(err, 'head', { bucket, key });
  }
}

async function objectExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  return (await headSize(client, bucket, key)) !== undefined;
}
