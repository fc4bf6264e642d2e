import { isAbsolute } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  isKeyPrefix,
  isRetentionDays,
  MAX_RETENTION_DAYS,
  type S3ConnectionOptions,
} from '../../artefacts/s3/index.js';
import { DocketError } from '../../errors/index.js';
import { AnchorErrorCode } from './errors.js';

/** Anchors as files in a directory (a WORM mount, a synced folder, an auditor's disk). It must exist. */
export interface DirectoryAnchorTarget {
  readonly kind: 'directory';
  /** Absolute path of an existing directory. */
  readonly path: string;
}

/** Anchors as objects in a bucket created with Object Lock, each under COMPLIANCE retention. */
export interface S3AnchorTarget extends S3ConnectionOptions {
  readonly kind: 's3';
  /** Key prefix: empty (default) or segments ending in '/'. */
  readonly prefix?: string;
  /** COMPLIANCE retention of each anchor, in days (1 to 36,500). */
  readonly retentionDays: number;
  /** A client to use instead of one made from the connection options. */
  readonly client?: S3Client;
}

/** Where checkpoints are anchored outside the database. */
export type AnchorTarget = DirectoryAnchorTarget | S3AnchorTarget;

/** A short human name of a target: `dir:/srv/anchors` or `s3://bucket/prefix/`. */
export function describeAnchorTarget(target: AnchorTarget): string {
  return target.kind === 'directory' ? `dir:${target.path}` : `s3://${target.bucket}/${target.prefix ?? ''}`;
}

/** Throws `ERR_ANCHOR_TARGET_INVALID` unless the target is usable (the S3 connection is checked when used). */
export function assertAnchorTarget(target: AnchorTarget): void {
  const invalid = (message: string): DocketError =>
    new DocketError(AnchorErrorCode.TargetInvalid, message, { details: { target: safeDescribe(target) } });
  if (target?.kind === 'directory') {
    if (typeof target.path !== 'string' || !isAbsolute(target.path)) {
      throw invalid(`anchor directory ${JSON.stringify(target.path)} must be an absolute path`);
    }
    return;
  }
  if (target?.kind === 's3') {
    const prefix = target.prefix ?? '';
    if (typeof prefix !== 'string' || !isKeyPrefix(prefix)) {
      throw invalid(`${JSON.stringify(prefix)} is not a key prefix (empty, or segments ending in '/')`);
    }
    if (!isRetentionDays(target.retentionDays)) {
      throw invalid(`anchor retention must be a whole number of days in [1, ${MAX_RETENTION_DAYS}]`);
    }
    return;
  }
  throw invalid(`unknown anchor target kind ${JSON.stringify((target as { kind?: unknown })?.kind)}`);
}

function safeDescribe(target: AnchorTarget): string {
  try {
    return describeAnchorTarget(target);
  } catch {
    return String(target);
  }
}
