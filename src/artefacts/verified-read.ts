import { constants } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  abortableIterable,
  CHUNK_SIZE,
  createContentHasher,
  type Digest,
  type ProgressCallback,
} from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import type { ArtefactBackend } from './backend.js';
import { ArtefactErrorCode } from './errors.js';
import { ioError, writeAll } from './local-files.js';
import { abortedError } from './put.js';

/** A blob opened by the backend. */
export type OpenedBlob = Awaited<ReturnType<ArtefactBackend['openRead']>>;

/** Options of reads that report progress and can be aborted. */
export interface ReadOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * Yields a blob's bytes while hashing them, and ends with `ERR_ARTEFACT_CORRUPT` instead of ending cleanly when
 * they do not hash to `digest`. The last chunk is held back until the digest is checked, so a consumer never
 * receives the complete bytes of a corrupt blob.
 */
export async function* verifiedChunks(
  opened: OpenedBlob,
  digest: Digest,
  options: ReadOptions = {},
): AsyncGenerator<Uint8Array> {
  const { size, stream } = opened;
  const hasher = createContentHasher();
  const chunks = abortableIterable<Uint8Array>(stream, options.signal, abortedError);
  let held: Uint8Array | undefined;
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await chunks.next();
      } catch (err) {
        throw ioError(err, `cannot read blob ${digest}`, { digest });
      }
      if (step.done === true) break;
      hasher.update(step.value);
      options.onProgress?.(hasher.size, size);
      // Outside the inner try: an error thrown into this generator by its consumer must pass through unchanged.
      if (held !== undefined) yield held;
      held = step.value;
    }
  } finally {
    await chunks.return();
    stream.destroy();
  }
  const actual = hasher.finish();
  if (actual !== digest) throw corruptError(digest, actual, hasher.size);
  if (held !== undefined) yield held;
}

/** A Readable over {@link verifiedChunks}: errors with `ERR_ARTEFACT_CORRUPT` rather than end on bad bytes. */
export async function openVerified(
  backend: ArtefactBackend,
  digest: Digest,
  options: ReadOptions,
): Promise<Readable> {
  // Opened before the stream exists, so that NOT_FOUND rejects here rather than surfacing as a stream error.
  const opened = await backend.openRead(digest);
  const readable = Readable.from(verifiedChunks(opened, digest, options), {
    objectMode: false,
    highWaterMark: CHUNK_SIZE,
  });
  // A Readable destroyed before its first read never starts the generator, whose `finally` would close the blob.
  readable.once('close', () => opened.stream.destroy());
  return readable;
}

/** Reads a whole blob into memory after checking its size against `maxBytes`, verified. */
export async function readVerifiedBytes(
  backend: ArtefactBackend,
  digest: Digest,
  maxBytes: number,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new DocketError(
      ArtefactErrorCode.InvalidArgument,
      `maxBytes must be a non-negative integer, got ${maxBytes}`,
    );
  }
  const opened = await backend.openRead(digest);
  if (opened.size > maxBytes) {
    opened.stream.destroy();
    throw tooLarge(digest, opened.size, maxBytes);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of verifiedChunks(opened, digest)) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(digest, total, maxBytes);
    // Copied: the chunk belongs to the stream, and the result must outlive it.
    parts.push(chunk);
  }
  return new Uint8Array(Buffer.concat(parts, total));
}

/**
 * Writes a blob to a new file at `path` (O_EXCL: never over an existing file, never through a symlink),
 * verifying while writing, then fsyncs it. On any failure the partial file is removed.
 */
export async function writeVerifiedFile(
  backend: ArtefactBackend,
  digest: Digest,
  path: string,
  options: ReadOptions = {},
): Promise<number> {
  const opened = await backend.openRead(digest);
  let handle: FileHandle;
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    handle = await open(path, flags, 0o644);
  } catch (err) {
    opened.stream.destroy();
    throw ioError(err, `cannot create ${path}`, { path });
  }
  let size = 0;
  try {
    for await (const chunk of verifiedChunks(opened, digest, options)) {
      await writeAll(handle, chunk, path);
      size += chunk.byteLength;
    }
    await handle.sync().catch((err: unknown) => {
      throw ioError(err, `cannot fsync ${path}`, { path });
    });
    await handle.close();
    return size;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
}

/** The error of a blob that no longer hashes to its digest. */
export function corruptError(digest: Digest, actual: Digest, size: number): DocketError {
  return new DocketError(
    ArtefactErrorCode.Corrupt,
    `artefact ${digest} is corrupt: its ${size} bytes hash to ${actual}`,
    {
      details: { digest, actualDigest: actual, size },
    },
  );
}

/** The error of an absent blob. */
export function notFoundError(digest: Digest, details: Record<string, unknown> = {}): DocketError {
  return new DocketError(ArtefactErrorCode.NotFound, `no artefact ${digest} in the store`, {
    details: { digest, ...details },
  });
}

function tooLarge(digest: Digest, size: number, maxBytes: number): DocketError {
  return new DocketError(
    ArtefactErrorCode.TooLarge,
    `artefact ${digest} has ${size} bytes, over the limit of ${maxBytes}`,
    {
      details: { digest, size, maxBytes },
    },
  );
}
