import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  answerOf,
  createS3Client,
  describeS3Failure,
  type ListedVersion,
  listObjectVersions,
  retainUntil,
  type S3FailureKind,
} from '../../artefacts/s3/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { MAX_NOTE_BYTES } from '../../ledger/note/index.js';
import { anchorName, originSegment, sizeOfAnchorName } from './anchor-layout.js';
import { AnchorErrorCode } from './errors.js';
import { type AnchorWrite, conflict, type RawAnchor } from './raw-anchor.js';
import { describeAnchorTarget, type S3AnchorTarget } from './targets.js';

const CODE_OF_KIND: Record<S3FailureKind, AnchorErrorCode> = {
  unreachable: AnchorErrorCode.Unreachable,
  'access-denied': AnchorErrorCode.AccessDenied,
  'bucket-missing': AnchorErrorCode.TargetMissing,
  'object-lock-missing': AnchorErrorCode.TargetInvalid,
  'not-found': AnchorErrorCode.Io,
  'precondition-failed': AnchorErrorCode.Io,
  conflict: AnchorErrorCode.Io,
  'not-implemented': AnchorErrorCode.Io,
  other: AnchorErrorCode.Io,
};

/**
 * Puts `bytes` at `<prefix><origin-segment>/<size>.checkpoint` with COMPLIANCE retention, only if no object is
 * there (`If-None-Match: *`). When one is, it must hold the same bytes (then nothing is written), else
 * `ERR_ANCHOR_CONFLICT`: nothing is ever stacked over a different anchor.
 */
export async function writeS3Anchor(
  target: S3AnchorTarget,
  origin: string,
  size: number,
  bytes: Uint8Array,
): Promise<AnchorWrite> {
  const key = anchorKey(target, origin, size);
  return withClient(target, async (client) => {
    const put = (conditional: boolean) =>
      client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: 'text/plain; charset=utf-8',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: retainUntil(target.retentionDays),
          ...(conditional ? { IfNoneMatch: '*' } : {}),
        }),
      );
    try {
      const { VersionId } = await put(true);
      return { location: location(target, key, VersionId), created: true };
    } catch (err) {
      if (describeS3Failure(err).kind !== 'precondition-failed') throw anchorS3Error(err, 'put', target, key);
    }
    const current = await getBounded(client, target, key, undefined);
    if (current === undefined) {
      // The key exists only as a delete marker (versitygw still answers 412 to If-None-Match then): the locked
      // versions under it stay listed, and the anchor becomes visible again on top.
      const { VersionId } = await put(false).catch((err: unknown) => {
        throw anchorS3Error(err, 'put', target, key);
      });
      return { location: location(target, key, VersionId), created: true };
    }
    const here = location(target, key, current.versionId);
    if (Buffer.compare(Buffer.from(current.bytes), Buffer.from(bytes)) !== 0) {
      throw conflict(here, describeAnchorTarget(target), origin, size);
    }
    return { location: here, created: false };
  });
}

/**
 * Every version of every anchor of the origin, delete markers aside: a locked version stays evidence even when
 * something was put or a delete marker stacked over it.
 */
export async function readS3Anchors(target: S3AnchorTarget, origin: string): Promise<RawAnchor[]> {
  const prefix = `${target.prefix ?? ''}${originSegment(origin)}/`;
  return withClient(target, async (client) => {
    const versions: ListedVersion[] = [];
    try {
      for await (const version of listObjectVersions(client, target.bucket, prefix)) {
        if (!version.deleteMarker) versions.push(version);
      }
    } catch (err) {
      throw anchorS3Error(err, 'list the versions under', target, prefix);
    }
    const anchors: RawAnchor[] = [];
    for (const version of versions) {
      const nameSize = sizeOfAnchorName(version.key.slice(prefix.length));
      if (nameSize === undefined) continue;
      const here = location(target, version.key, version.versionId);
      try {
        if (version.size > MAX_NOTE_BYTES) throw tooLarge(here, target);
        const got = await getBounded(client, target, version.key, version.versionId);
        if (got === undefined)
          throw anchorS3Error(new Error('the version vanished'), 'get', target, version.key);
        anchors.push({ location: here, nameSize, bytes: got.bytes });
      } catch (err) {
        if (!isDocketError(err)) throw err;
        // A target that fails as a whole fails the listing; a single unreadable anchor is reported.
        if (err.code === AnchorErrorCode.Unreachable || err.code === AnchorErrorCode.AccessDenied) throw err;
        anchors.push({ location: here, error: err });
      }
    }
    return anchors;
  });
}

function anchorKey(target: S3AnchorTarget, origin: string, size: number): string {
  return `${target.prefix ?? ''}${originSegment(origin)}/${anchorName(size)}`;
}

function location(target: S3AnchorTarget, key: string, versionId: string | undefined): string {
  const base = `s3://${target.bucket}/${key}`;
  return versionId === undefined ? base : `${base}?versionId=${versionId}`;
}

async function withClient<T>(target: S3AnchorTarget, work: (client: S3Client) => Promise<T>): Promise<T> {
  let client: S3Client;
  try {
    client = target.client ?? createS3Client(target);
  } catch (err) {
    throw new DocketError(AnchorErrorCode.TargetInvalid, (err as Error).message, {
      cause: err,
      details: { target: describeAnchorTarget(target) },
    });
  }
  try {
    return await work(client);
  } finally {
    if (target.client === undefined) client.destroy();
  }
}

// Reads one object (version) into memory, refusing more than a signed note may hold; undefined when absent.
async function getBounded(
  client: S3Client,
  target: S3AnchorTarget,
  key: string,
  versionId: string | undefined,
): Promise<{ bytes: Uint8Array; versionId: string | undefined } | undefined> {
  const here = location(target, key, versionId);
  try {
    const got = await client.send(
      new GetObjectCommand({
        Bucket: target.bucket,
        Key: key,
        ...(versionId === undefined ? {} : { VersionId: versionId }),
      }),
    );
    const body = got.Body as Readable | undefined;
    if ((got.ContentLength ?? 0) > MAX_NOTE_BYTES) {
      body?.destroy();
      throw tooLarge(here, target);
    }
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of body ?? []) {
      total += (chunk as Buffer).byteLength;
      if (total > MAX_NOTE_BYTES) {
        body?.destroy();
        throw tooLarge(here, target);
      }
      parts.push(chunk as Buffer);
    }
    return { bytes: new Uint8Array(Buffer.concat(parts)), versionId: got.VersionId ?? versionId };
  } catch (err) {
    if (isDocketError(err)) throw err;
    if (describeS3Failure(err).kind === 'not-found') return undefined;
    throw anchorS3Error(err, 'get', target, key);
  }
}

function tooLarge(here: string, target: S3AnchorTarget): DocketError {
  return new DocketError(AnchorErrorCode.Invalid, `${here} is larger than a signed note may be`, {
    details: { target: describeAnchorTarget(target), location: here },
  });
}

function anchorS3Error(err: unknown, operation: string, target: S3AnchorTarget, key: string): DocketError {
  const facts = describeS3Failure(err);
  const where = `s3://${target.bucket}/${key}`;
  const message =
    facts.kind === 'object-lock-missing'
      ? `bucket ${target.bucket} has no Object Lock: anchors need a bucket created with Object Lock enabled`
      : `${operation} ${where} failed (${answerOf(facts)}): ${facts.message}`;
  return new DocketError(CODE_OF_KIND[facts.kind], message, {
    cause: err,
    details: {
      target: describeAnchorTarget(target),
      operation,
      key,
      ...(facts.s3Code === undefined ? {} : { s3Code: facts.s3Code }),
      ...(facts.status === undefined ? {} : { status: facts.status }),
    },
  });
}
