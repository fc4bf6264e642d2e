import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Digest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import type { ArtefactBackend, BackendEntry, TempBlob } from '../backend.js';
import { ArtefactErrorCode } from '../errors.js';
import {
  type ResolvedBackendOptions,
  resolveBackendOptions,
  retainUntil,
  type S3BackendOptions,
} from './backend-options.js';
import { type ListedObject, listObjects, listObjectVersions } from './bucket-listing.js';
import { commitTemp, headSize } from './commit-blob.js';
import { S3ArtefactErrorCode } from './errors.js';
import { BLOB_KEY_PREFIX, blobKey, isTempName, keyMeaning, tempKey } from './layout.js';
import { basePartSize } from './part-size.js';
import { createS3Client } from './s3-client.js';
import { s3Error } from './s3-error.js';
import { describeS3Failure } from './s3-failure.js';
import { type UploadedTemp, uploadTemp } from './temp-upload.js';

/**
 * The S3 backend: `<prefix>blobs/sha256/<64 hex>` and `<prefix>tmp/` in one bucket of any S3-compatible service.
 * A write streams to a temporary object (one PUT, or a multipart upload one part at a time); commit copies it
 * server-side under its digest with `If-None-Match: *`, so an existing blob is never replaced, and with COMPLIANCE
 * retention when configured; then the temporary version is deleted. Every request has connect and idle timeouts,
 * so an unreachable service gives `ERR_ARTEFACT_S3_UNREACHABLE`, not a hang.
 *
 * The bucket should have no default retention rule (temporaries must stay deletable) and, ideally, a lifecycle
 * rule aborting incomplete multipart uploads (a crashed writer leaves one, invisible to `scan`).
 *
 * @example
 * const backend = await S3ArtefactBackend.open({ bucket: 'evidence', endpoint, credentials, retention: { days: 2555 } });
 * const store = new ArtefactStore(backend);
 */
export class S3ArtefactBackend implements ArtefactBackend {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly options: ResolvedBackendOptions;
  private readonly versioned: boolean;

  private constructor(
    bucket: string,
    options: ResolvedBackendOptions,
    client: { client: S3Client; owned: boolean },
    versioned: boolean,
  ) {
    this.bucket = bucket;
    this.prefix = options.prefix;
    this.options = options;
    this.client = client.client;
    this.ownsClient = client.owned;
    this.versioned = versioned;
  }

  /**
   * Checks the options, that the bucket exists and is reachable with these credentials, and (when retention is
   * asked for) that it has Object Lock enabled.
   *
   * @throws DocketError `ERR_ARTEFACT_S3_CONFIG_INVALID`, `ERR_ARTEFACT_S3_BUCKET_MISSING`,
   *   `ERR_ARTEFACT_S3_ACCESS_DENIED`, `ERR_ARTEFACT_S3_UNREACHABLE`, `ERR_ARTEFACT_S3_OBJECT_LOCK_DISABLED`,
   *   `ERR_ARTEFACT_S3_REQUEST_FAILED`.
   */
  static async open(options: S3BackendOptions): Promise<S3ArtefactBackend> {
    const resolved = resolveBackendOptions(options);
    const client = options.client ?? createS3Client(options);
    try {
      const { bucket } = options;
      // GetBucketVersioning rather than HeadBucket: a HEAD answers without a body, so its 404 cannot tell a
      // missing bucket from an unknown access key (versitygw answers 404 XAdminUserNotFound to the latter).
      const versioning = await client
        .send(new GetBucketVersioningCommand({ Bucket: bucket }))
        .catch((err: unknown) => {
          throw s3Error(err, 'get the versioning of', { bucket });
        });
      if (options.retention !== undefined) await assertObjectLock(client, bucket);
      const owned = options.client === undefined;
      return new S3ArtefactBackend(bucket, resolved, { client, owned }, versioning.Status === 'Enabled');
    } catch (err) {
      if (options.client === undefined) client.destroy();
      throw err;
    }
  }

  /** Closes the connections of a client the backend made itself. */
  close(): void {
    if (this.ownsClient) this.client.destroy();
  }

  async writeTemp(source: AsyncIterable<Uint8Array>, options: { sizeHint?: number } = {}): Promise<TempBlob> {
    const key = tempKey(this.prefix, `${randomUUID()}.tmp`);
    const temp = await uploadTemp(
      this.client,
      this.bucket,
      key,
      source,
      basePartSize(this.options.partSizeBytes, options.sizeHint),
    );
    return this.tempBlob(temp);
  }

  private tempBlob(temp: UploadedTemp): TempBlob {
    let settled = false;
    // Once only: versitygw answers 500 to a DELETE of a version it already deleted.
    let removal: Promise<void> | undefined;
    const remove = async (): Promise<void> => {
      removal ??= this.deleteVersion(temp.key, temp.versionId).catch((err: unknown) => {
        removal = undefined;
        throw err;
      });
      return removal;
    };
    return {
      size: temp.size,
      commit: async (digest: Digest): Promise<{ created: boolean }> => {
        if (settled) {
          throw new DocketError(ArtefactErrorCode.InvalidArgument, 'this temporary blob was already settled');
        }
        const days = this.options.retentionDays;
        const created = await commitTemp(this.client, temp, {
          bucket: this.bucket,
          key: blobKey(this.prefix, digest),
          lock: days === undefined ? undefined : { retainUntil: retainUntil(days) },
          copyPartBytes: this.options.copyPartBytes,
        });
        settled = true;
        // The blob is committed; a temporary left behind is reported by scan and removed by fsck.
        await remove().catch(() => undefined);
        return { created };
      },
      discard: async (): Promise<void> => {
        settled = true;
        await remove();
      },
    };
  }

  async openRead(digest: Digest): Promise<{ size: number; stream: Readable }> {
    const key = blobKey(this.prefix, digest);
    try {
      const { Body, ContentLength } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      if (Body === undefined) throw new Error('S3 returned no body');
      return { size: ContentLength ?? 0, stream: Body as Readable };
    } catch (err) {
      if (describeS3Failure(err).kind === 'not-found') {
        throw new DocketError(ArtefactErrorCode.NotFound, `no artefact ${digest} in the store`, {
          cause: err,
          details: { digest },
        });
      }
      throw s3Error(err, 'get', { bucket: this.bucket, key });
    }
  }

  async exists(digest: Digest): Promise<boolean> {
    return (await this.size(digest)) !== undefined;
  }

  async size(digest: Digest): Promise<number | undefined> {
    return headSize(this.client, this.bucket, blobKey(this.prefix, digest));
  }

  async *list(): AsyncIterable<Digest> {
    for await (const object of this.listObjects(`${this.prefix}${BLOB_KEY_PREFIX}`)) {
      const meaning = keyMeaning(this.prefix, object.key);
      if (meaning.kind === 'blob') yield meaning.digest;
    }
  }

  async *scan(): AsyncIterable<BackendEntry> {
    for await (const object of this.listObjects(this.prefix)) {
      const meaning = keyMeaning(this.prefix, object.key);
      if (meaning.kind === 'blob') yield { kind: 'blob', digest: meaning.digest, size: object.size };
      else if (meaning.kind === 'temp') {
        yield { kind: 'temp', name: meaning.name, size: object.size, modifiedAt: object.modifiedAt };
      } else yield meaning;
    }
  }

  async removeTemp(name: string): Promise<void> {
    if (typeof name !== 'string' || !isTempName(name)) {
      throw new DocketError(
        ArtefactErrorCode.InvalidArgument,
        `${JSON.stringify(name)} is not a temporary name`,
      );
    }
    const key = tempKey(this.prefix, name);
    if (!this.versioned) return this.deleteVersion(key, undefined);
    // Every version and delete marker of the key, so that nothing of the temporary stays in the bucket.
    const versions: (string | undefined)[] = [];
    try {
      for await (const version of listObjectVersions(this.client, this.bucket, key)) {
        if (version.key === key) versions.push(version.versionId);
      }
    } catch (err) {
      throw s3Error(err, 'list the versions of', { bucket: this.bucket, key });
    }
    for (const versionId of versions) await this.deleteVersion(key, versionId);
  }

  private async deleteVersion(key: string, versionId: string | undefined): Promise<void> {
    await this.client
      .send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId === undefined ? {} : { VersionId: versionId }),
        }),
      )
      .catch((err: unknown) => {
        if (describeS3Failure(err).kind === 'not-found') return;
        throw s3Error(err, 'delete', { bucket: this.bucket, key });
      });
  }

  // Keys in ascending UTF-8 order, which for `blobs/sha256/<hex>` is digest order.
  private async *listObjects(prefix: string): AsyncIterable<ListedObject> {
    try {
      yield* listObjects(this.client, this.bucket, prefix);
    } catch (err) {
      throw s3Error(err, 'list', { bucket: this.bucket, key: prefix });
    }
  }
}

async function assertObjectLock(client: S3Client, bucket: string): Promise<void> {
  const config = await client
    .send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))
    .catch((err: unknown) => {
      if (describeS3Failure(err).kind !== 'object-lock-missing')
        throw s3Error(err, 'get the Object Lock configuration of', { bucket });
      return undefined;
    });
  if (config?.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled') {
    throw new DocketError(
      S3ArtefactErrorCode.ObjectLockDisabled,
      `bucket ${bucket} has no Object Lock: create it with Object Lock enabled to keep blobs under retention`,
      { details: { bucket } },
    );
  }
}
