import { DocketError } from '../errors/index.js';
import { abortableIterable } from './abortable.js';
import { createContentHasher } from './content-hasher.js';
import type { Digest } from './digest.js';
import { DigestErrorCode } from './errors.js';
import { openRegularFile, readFileChunks } from './regular-file.js';

/** Called after each chunk with the bytes hashed so far and, when known, the total. */
export type ProgressCallback = (bytesDone: number, bytesTotal: number | undefined) => void;

/** Options of {@link hashFile} and {@link hashStream}. */
export interface HashOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** The digest of some bytes and how many there were. */
export interface HashResult {
  digest: Digest;
  size: number;
}

/**
 * Streams a file through SHA-256 in 1 MiB chunks with two reused buffers: constant memory for any size, and
 * reads overlapped with hashing so a multi-GB file goes at disk (or SHA-NI) speed. A symlink given as `path`
 * is followed, since the caller named it; inside directories see `directoryManifest`.
 *
 * @throws DocketError `ERR_DIGEST_FILE_NOT_FOUND`, `ERR_DIGEST_NOT_A_FILE`, `ERR_DIGEST_SPECIAL_FILE`,
 *   `ERR_DIGEST_READ_FAILED`, `ERR_DIGEST_ABORTED`.
 * @example
 * const { digest, size } = await hashFile('model.onnx', { onProgress: (done, total) => bar.update(done, total) });
 */
export async function hashFile(path: string, options: HashOptions = {}): Promise<HashResult> {
  const file = await openRegularFile(path);
  try {
    const hasher = createContentHasher();
    for await (const chunk of abortableIterable(readFileChunks(file), options.signal, abortError)) {
      hasher.update(chunk);
      options.onProgress?.(hasher.size, file.size);
    }
    return { digest: hasher.finish(), size: hasher.size };
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}

/**
 * Hashes every chunk of a byte stream (a Node Readable such as `process.stdin`, or any async iterable of
 * Uint8Array). String or object chunks are refused rather than hashed as some encoding of them.
 *
 * @throws DocketError `ERR_DIGEST_INVALID_CHUNK`, `ERR_DIGEST_ABORTED`; errors of the stream itself pass through.
 * @example
 * const { digest } = await hashStream(process.stdin);
 */
export async function hashStream(
  source: AsyncIterable<Uint8Array>,
  options: HashOptions = {},
): Promise<HashResult> {
  const hasher = createContentHasher();
  for await (const chunk of abortableIterable(source, options.signal, abortError)) {
    hasher.update(chunk);
    options.onProgress?.(hasher.size, undefined);
  }
  return { digest: hasher.finish(), size: hasher.size };
}

function abortError(reason: unknown): DocketError {
  return new DocketError(DigestErrorCode.Aborted, 'hashing was aborted', { cause: reason });
}
