import { S3Client } from '@aws-sdk/client-s3';
import { DocketError } from '../../errors/index.js';
import { S3ArtefactErrorCode } from './errors.js';

/** How to reach an S3-compatible service. Every field but `bucket` has a default. */
export interface S3ConnectionOptions {
  readonly bucket: string;
  /** e.g. `http://127.0.0.1:7070`; AWS's regional endpoint when absent. */
  readonly endpoint?: string;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Static keys; the SDK's default chain (environment, profile, instance role) when absent. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** `bucket` in the path rather than the host name; default true when `endpoint` is given (most S3-compatibles). */
  readonly forcePathStyle?: boolean;
  /** How long to wait for a TCP connection (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** How long a request may sit without a byte in either direction (default 30 s); not a cap on transfers. */
  readonly idleTimeoutMs?: number;
  /** Attempts per request, including the first, for retryable failures (default 3). */
  readonly maxAttempts?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 3;
// S3 bucket naming rules (lowercase letters, digits, dots, hyphens; 3-63; starts and ends alphanumeric).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Throws `ERR_ARTEFACT_S3_CONFIG_INVALID` unless the connection options are usable. */
export function assertConnectionOptions(options: S3ConnectionOptions): void {
  if (typeof options?.bucket !== 'string' || !BUCKET_NAME.test(options.bucket)) {
    throw configInvalid(`${JSON.stringify(options?.bucket)} is not an S3 bucket name`, 'bucket');
  }
  for (const field of ['connectTimeoutMs', 'idleTimeoutMs', 'maxAttempts'] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw configInvalid(`${field} must be a positive integer`, field);
    }
  }
  if (options.endpoint !== undefined && !URL.canParse(options.endpoint)) {
    throw configInvalid(`${JSON.stringify(options.endpoint)} is not a URL`, 'endpoint');
  }
}

/**
 * An S3 client that cannot hang: a connect timeout, an idle-socket timeout (which also ends a stalled response
 * body), and bounded retries. Callers destroy it when done.
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  assertConnectionOptions(options);
  return new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      socketTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    },
  });
}

/** The error of unusable options. */
export function configInvalid(message: string, field: string): DocketError {
  return new DocketError(S3ArtefactErrorCode.ConfigInvalid, message, { details: { field } });
}
