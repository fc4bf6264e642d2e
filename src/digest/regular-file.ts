import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { DocketError } from '../errors/index.js';
import { DigestErrorCode } from './errors.js';

/** 1 MiB: large enough that per-read overhead vanishes next to SHA-256, small enough to stay cache-friendly. */
export const CHUNK_SIZE = 1024 * 1024;

/** A regular file opened for reading, with its size at open time. Close `handle` when done. */
export interface OpenedFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens `path` for reading and checks, on the open descriptor (so no rename can slip in between), that it is a
 * regular file. O_NONBLOCK keeps a FIFO from blocking the open; with `followSymlinks: false` O_NOFOLLOW makes a
 * symlink fail instead of being followed.
 *
 * @throws DocketError `ERR_DIGEST_FILE_NOT_FOUND`, `ERR_DIGEST_NOT_A_FILE`, `ERR_DIGEST_SPECIAL_FILE`,
 *   `ERR_DIGEST_SYMLINK` or `ERR_DIGEST_READ_FAILED`, each with `details.path`.
 */
export async function openRegularFile(
  path: string,
  options: { followSymlinks?: boolean } = {},
): Promise<OpenedFile> {
  const flags =
    constants.O_RDONLY | constants.O_NONBLOCK | (options.followSymlinks === false ? constants.O_NOFOLLOW : 0);
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (err) {
    throw fileError(err, path);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(stats, path);
    return { path, handle, size: stats.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw fileError(err, path);
  }
}

/**
 * Reads an opened file from start to end in {@link CHUNK_SIZE} chunks, reading the next chunk while the caller
 * processes the current one. Two buffers are reused for the whole file, so memory stays constant for any size:
 * a yielded chunk is valid only until the iterator is advanced (copy it to keep it).
 */
export async function* readFileChunks(file: OpenedFile, chunkSize = CHUNK_SIZE): AsyncGenerator<Uint8Array> {
  const buffers = [Buffer.allocUnsafeSlow(chunkSize), Buffer.allocUnsafeSlow(chunkSize)] as const;
  const bufferAt = (index: number): Buffer => (index === 0 ? buffers[0] : buffers[1]);
  let position = 0;
  let current = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = readAt(file, buffers[0], position);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      const chunk = bufferAt(current).subarray(0, bytesRead);
      position += bytesRead;
      current ^= 1;
      pending = readAt(file, bufferAt(current), position);
      yield chunk;
    }
  } finally {
    // Never leave a read in flight into a buffer we no longer own, nor an unhandled rejection.
    await pending?.catch(() => undefined);
  }
}

function readAt(file: OpenedFile, buffer: Buffer, position: number): Promise<{ bytesRead: number }> {
  return file.handle.read(buffer, 0, buffer.length, position).catch((err: unknown) => {
    throw fileError(err, file.path);
  });
}

function notRegular(stats: Stats, path: string): DocketError {
  if (stats.isDirectory()) {
    return new DocketError(DigestErrorCode.NotAFile, `${path} is a directory, not a file`, {
      details: { path },
    });
  }
  const kind = stats.isFIFO() ? 'FIFO' : stats.isSocket() ? 'socket' : 'device';
  return new DocketError(DigestErrorCode.SpecialFile, `${path} is a ${kind}, not a regular file`, {
    details: { path, kind },
  });
}

/** Turns a system error about `path` into the matching coded error; DocketErrors pass through. */
export function fileError(err: unknown, path: string): DocketError {
  if (err instanceof DocketError) return err;
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return new DocketError(DigestErrorCode.FileNotFound, `${path} does not exist`, {
        cause: err,
        details: { path },
      });
    case 'ELOOP':
      return new DocketError(
        DigestErrorCode.Symlink,
        `${path} is a symbolic link, which docket does not follow`,
        {
          cause: err,
          details: { path },
        },
      );
    case 'EISDIR':
      return new DocketError(DigestErrorCode.NotAFile, `${path} is a directory, not a file`, {
        cause: err,
        details: { path },
      });
    default:
      return new DocketError(DigestErrorCode.ReadFailed, `cannot read ${path}: ${String(code ?? err)}`, {
        cause: err,
        details: { path, code: typeof code === 'string' ? code : undefined },
      });
  }
}
