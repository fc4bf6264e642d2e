import type { Readable } from 'node:stream';
import type { Digest } from '../digest/index.js';

/**
 * Where blobs live. Deliberately small and dumb: it stores and returns bytes under the digest it is told;
 * hashing, verification and every policy live in `ArtefactStore`, so a new backend (S3 with Object Lock, next)
 * only has to pass `describeBackendConformance`.
 *
 * Errors: `ERR_ARTEFACT_NOT_FOUND` for an absent blob, `ERR_ARTEFACT_IO` (with `cause`) for storage failures.
 */
export interface ArtefactBackend {
  /**
   * Writes `source` under a fresh temporary name and resolves once every byte is written. A chunk of `source`
   * is only valid until the iterator is advanced (the store reuses read buffers): copy what you must keep.
   * If `source` throws, remove the temporary blob and reject with that same error.
   */
  writeTemp(source: AsyncIterable<Uint8Array>, options?: { sizeHint?: number }): Promise<TempBlob>;
  /** Opens a blob for reading. The caller either consumes `stream` or destroys it. */
  openRead(digest: Digest): Promise<{ size: number; stream: Readable }>;
  /** True when a blob is committed under `digest`. */
  exists(digest: Digest): Promise<boolean>;
  /** The committed blob's size in bytes, or undefined when absent. */
  size(digest: Digest): Promise<number | undefined>;
  /** Every committed digest, in ascending order. */
  list(): AsyncIterable<Digest>;
  /** Everything in the backend, for fsck: blobs, leftover temporaries, and objects that fit no name. */
  scan(): AsyncIterable<BackendEntry>;
  /** Deletes a leftover temporary reported by `scan`. */
  removeTemp(name: string): Promise<void>;
}

/** A fully written, durable, not yet visible blob. Exactly one of `commit` or `discard` must be called. */
export interface TempBlob {
  /** Bytes written. */
  readonly size: number;
  /**
   * Atomically makes the blob visible under `digest` (the store has verified it). When a blob already exists
   * under that digest the existing one is kept untouched and `created` is false.
   */
  commit(digest: Digest): Promise<{ created: boolean }>;
  /** Removes the temporary blob. Safe to call after a failed commit. */
  discard(): Promise<void>;
}

/** One object found by {@link ArtefactBackend.scan}. */
export type BackendEntry =
  | { readonly kind: 'blob'; readonly digest: Digest; readonly size: number }
  | { readonly kind: 'temp'; readonly name: string; readonly size: number; readonly modifiedAt: Date }
  | { readonly kind: 'misnamed'; readonly name: string };
