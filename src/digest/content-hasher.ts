import { createHash } from 'node:crypto';
import { DocketError } from '../errors/index.js';
import { type Digest, digestFromHex } from './digest.js';
import { DigestErrorCode } from './errors.js';
import { typeName } from './text.js';

/** An incremental SHA-256 that also counts bytes; `finish()` may be called once. */
export interface ContentHasher {
  /** Adds bytes. The chunk is read synchronously and not retained, so the caller may reuse its buffer. */
  update(chunk: Uint8Array): void;
  /** Bytes added so far. */
  readonly size: number;
  /** The digest of everything added. */
  finish(): Digest;
}

/**
 * Starts an incremental SHA-256 over a sequence of chunks.
 *
 * @example
 * const hasher = createContentHasher();
 * for await (const chunk of stream) hasher.update(chunk);
 * const digest = hasher.finish();
 */
export function createContentHasher(): ContentHasher {
  const hash = createHash('sha256');
  let size = 0;
  return {
    update(chunk: Uint8Array): void {
      if (!(chunk instanceof Uint8Array)) {
        throw new DocketError(
          DigestErrorCode.InvalidChunk,
          `a byte stream produced ${typeName(chunk)} instead of bytes (is it in object or string mode?)`,
          { details: { type: typeName(chunk) } },
        );
      }
      hash.update(chunk);
      size += chunk.byteLength;
    },
    get size(): number {
      return size;
    },
    finish(): Digest {
      return digestFromHex(hash.digest('hex'));
    },
  };
}
