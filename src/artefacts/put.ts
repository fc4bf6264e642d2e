import {
  abortableIterable,
  type ContentHasher,
  createContentHasher,
  type Digest,
  type ProgressCallback,
  parseDigest,
} from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import type { ArtefactBackend } from './backend.js';
import { ArtefactErrorCode } from './errors.js';

/** Options of every `put*` method of `ArtefactStore`. */
export interface PutOptions {
  /** Refuse (with `ERR_ARTEFACT_DIGEST_MISMATCH`, before anything is committed) unless the bytes hash to this. */
  expectedDigest?: Digest;
  /** Called after each chunk with bytes stored so far and the total when known. */
  onProgress?: ProgressCallback;
  /** Aborting removes the temporary blob and rejects with `ERR_ARTEFACT_ABORTED`. */
  signal?: AbortSignal;
}

/** What a put stored. */
export interface PutResult {
  digest: Digest;
  size: number;
  /** False when the store already held these bytes (nothing was rewritten). */
  created: boolean;
}

/** How many bytes a put expects, for progress and for the backend's choice of upload strategy. */
export interface PutSizing {
  bytesTotal?: number;
}

/**
 * Streams `source` into the backend while hashing it; commits under the resulting digest only after the whole
 * stream is written and the digest matches any expectation. On any failure the temporary blob is discarded.
 */
export async function putChunks(
  backend: ArtefactBackend,
  source: AsyncIterable<Uint8Array>,
  options: PutOptions & PutSizing,
): Promise<PutResult> {
  const expected = options.expectedDigest === undefined ? undefined : parseDigest(options.expectedDigest);
  const hasher = createContentHasher();
  const chunks = hashing(abortableIterable(source, options.signal, abortedError), hasher, options);
  if (expected !== undefined && (await backend.exists(expected))) {
    // Already stored: still read the source, because the caller's claim about it must hold, but write nothing.
    for await (const _chunk of chunks);
    const digest = hasher.finish();
    if (digest !== expected) throw mismatch(expected, digest);
    return { digest, size: hasher.size, created: false };
  }
  const temp = await backend.writeTemp(
    chunks,
    options.bytesTotal === undefined ? {} : { sizeHint: options.bytesTotal },
  );
  try {
    const digest = hasher.finish();
    if (expected !== undefined && digest !== expected) throw mismatch(expected, digest);
    if (temp.size !== hasher.size) {
      throw new DocketError(ArtefactErrorCode.Io, `the backend wrote ${temp.size} bytes of ${hasher.size}`, {
        details: { digest, written: temp.size, expected: hasher.size },
      });
    }
    if (options.signal?.aborted === true) throw abortedError(options.signal.reason);
    const { created } = await temp.commit(digest);
    return { digest, size: hasher.size, created };
  } catch (err) {
    await temp.discard().catch(() => undefined);
    throw err;
  }
}

async function* hashing(
  source: AsyncIterable<Uint8Array>,
  hasher: ContentHasher,
  options: PutOptions & PutSizing,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of sourceErrorsCoded(source)) {
    hasher.update(chunk);
    options.onProgress?.(hasher.size, options.bytesTotal);
    yield chunk;
  }
}

// Separates "the input broke" (SOURCE_FAILED) from "the store broke" (IO), which callers handle differently.
async function* sourceErrorsCoded(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* source;
  } catch (err) {
    if (err instanceof DocketError) throw err;
    throw new DocketError(
      ArtefactErrorCode.SourceFailed,
      `the input failed: ${(err as Error)?.message ?? err}`,
      {
        cause: err,
      },
    );
  }
}

/** The error of an aborted store operation. */
export function abortedError(reason: unknown): DocketError {
  return new DocketError(ArtefactErrorCode.Aborted, 'the artefact operation was aborted', { cause: reason });
}

function mismatch(expected: Digest, actual: Digest): DocketError {
  return new DocketError(
    ArtefactErrorCode.DigestMismatch,
    `expected ${expected} but the bytes hash to ${actual}`,
    {
      details: { expected, actual },
    },
  );
}
