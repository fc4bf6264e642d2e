import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { partSizeFor } from './part-size.js';
import { s3Error } from './s3-error.js';

/** A temporary object written in full. */
export interface UploadedTemp {
  readonly key: string;
  /** The version written, in a versioned bucket (every Object Lock bucket is). */
  readonly versionId: string | undefined;
  readonly size: number;
}

/**
 * Streams `source` to `key`: one PutObject when it ends within the first part, else a multipart upload holding
 * one part in memory at a time (chunks are copied, since the caller reuses its buffers). If the source or S3
 * fails, a started multipart upload is aborted and the error rethrown as is (the source's own error unchanged).
 */
export async function uploadTemp(
  client: S3Client,
  bucket: string,
  key: string,
  source: AsyncIterable<Uint8Array>,
  basePartBytes: number,
): Promise<UploadedTemp> {
  const where = { bucket, key };
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let size = 0;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];

  const uploadPart = async (id: string): Promise<void> => {
    const PartNumber = parts.length + 1;
    const body = Buffer.concat(pending, pendingBytes);
    pending.length = 0;
    pendingBytes = 0;
    const { ETag } = await client
      .send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: id, PartNumber, Body: body }))
      .catch((err: unknown) => {
        throw s3Error(err, `upload part ${PartNumber} of`, where);
      });
    parts.push({ PartNumber, ...(ETag === undefined ? {} : { ETag }) });
  };

  try {
    for await (const chunk of source) {
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.byteLength;
      size += chunk.byteLength;
      if (pendingBytes >= partSizeFor(parts.length + 1, basePartBytes)) {
        uploadId ??= await createUpload(client, bucket, key);
        await uploadPart(uploadId);
      }
    }
    if (uploadId === undefined) {
      const body = Buffer.concat(pending, pendingBytes);
      const { VersionId } = await client
        .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.byteLength }))
        .catch((err: unknown) => {
          throw s3Error(err, 'put', where);
        });
      return { key, versionId: VersionId, size };
    }
    if (pendingBytes > 0) await uploadPart(uploadId);
    const { VersionId } = await client
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      )
      .catch((err: unknown) => {
        throw s3Error(err, 'complete the upload of', where);
      });
    return { key, versionId: VersionId, size };
  } catch (err) {
    if (uploadId !== undefined) await abortUpload(client, bucket, key, uploadId);
    throw err;
  }
}

/** Starts a multipart upload; `lock` sets Object Lock retention on the object it will make. */
export async function createUpload(
  client: S3Client,
  bucket: string,
  key: string,
  lock?: { retainUntil: Date },
): Promise<string> {
  const { UploadId } = await client
    .send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ...(lock === undefined
          ? {}
          : { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: lock.retainUntil }),
      }),
    )
    .catch((err: unknown) => {
      throw s3Error(err, 'start an upload of', { bucket, key });
    });
  if (UploadId === undefined) {
    throw s3Error(new Error('S3 returned no UploadId'), 'start an upload of', { bucket, key });
  }
  return UploadId;
}

/** Aborts a multipart upload, best effort: a leftover is only storage, which a lifecycle rule reclaims. */
export async function abortUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  await client
    .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
    .catch(() => undefined);
}
