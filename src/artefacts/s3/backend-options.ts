import type { S3Client } from '@aws-sdk/client-s3';
import { isKeyPrefix } from './layout.js';
import { DEFAULT_COPY_PART_BYTES, DEFAULT_PART_BYTES, MAX_PART_BYTES, MIN_PART_BYTES } from './part-size.js';
import { assertConnectionOptions, configInvalid, type S3ConnectionOptions } from './s3-client.js';

/** Options of `S3ArtefactBackend.open`. */
export interface S3BackendOptions extends S3ConnectionOptions {
  /** Key prefix of the store inside the bucket: empty (default) or segments ending in '/', e.g. `docket/`. */
  readonly prefix?: string;
  /**
   * Object Lock retention of committed blobs, in COMPLIANCE mode (on AWS no one, not even the account root, can
   * delete the version or shorten its retention before it ends). Needs a bucket created with Object Lock enabled.
   */
  readonly retention?: { readonly days: number };
  /** Size of upload parts held in memory, 5 MiB to 5 GiB (default 8 MiB). */
  readonly partSizeBytes?: number;
  /** Size of the ranges copied server-side on commit, 5 MiB to 5 GiB (default 256 MiB). */
  readonly copyPartBytes?: number;
  /** A client to use instead of one made from the connection options; the caller then owns its timeouts. */
  readonly client?: S3Client;
}

/** The options, checked, with defaults filled in. */
export interface ResolvedBackendOptions {
  readonly prefix: string;
  readonly retentionDays: number | undefined;
  readonly partSizeBytes: number;
  readonly copyPartBytes: number;
}

/** The longest retention accepted, 100 years: a typo of extra digits locks a blob for good. */
export const MAX_RETENTION_DAYS = 36_500;

/** Checks every option before any request; throws `ERR_ARTEFACT_S3_CONFIG_INVALID` naming the field. */
export function resolveBackendOptions(options: S3BackendOptions): ResolvedBackendOptions {
  assertConnectionOptions(options);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string' || !isKeyPrefix(prefix)) {
    throw configInvalid(
      `${JSON.stringify(prefix)} is not a key prefix (empty, or segments ending in '/')`,
      'prefix',
    );
  }
  const days = options.retention?.days;
  if (options.retention !== undefined && !isRetentionDays(days)) {
    throw configInvalid(`retention days must be an integer in [1, ${MAX_RETENTION_DAYS}]`, 'retention.days');
  }
  for (const field of ['partSizeBytes', 'copyPartBytes'] as const) {
    const value = options[field];
    if (
      value !== undefined &&
      !(Number.isSafeInteger(value) && value >= MIN_PART_BYTES && value <= MAX_PART_BYTES)
    ) {
      throw configInvalid(`${field} must be an integer from 5 MiB to 5 GiB`, field);
    }
  }
  return {
    prefix,
    retentionDays: days,
    partSizeBytes: options.partSizeBytes ?? DEFAULT_PART_BYTES,
    copyPartBytes: options.copyPartBytes ?? DEFAULT_COPY_PART_BYTES,
  };
}

/** True for a whole number of days in [1, MAX_RETENTION_DAYS]. */
export function isRetentionDays(days: unknown): days is number {
  return typeof days === 'number' && Number.isSafeInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS;
}

/** Now plus `days`, for `ObjectLockRetainUntilDate`. */
export function retainUntil(days: number, now = new Date()): Date {
  return new Date(now.getTime() + days * 86_400_000);
}
