import { type FileHandle, open } from 'node:fs/promises';
import { DocketError } from '../errors/index.js';
import { ArtefactErrorCode } from './errors.js';

/** The `code` of a Node system error (ENOENT, EEXIST…), if any. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps a storage failure as `ERR_ARTEFACT_IO`; DocketErrors pass through unchanged. */
export function ioError(err: unknown, message: string, details: Record<string, unknown> = {}): DocketError {
  if (err instanceof DocketError) return err;
  const code = errnoCode(err);
  return new DocketError(ArtefactErrorCode.Io, `${message}: ${code ?? String(err)}`, {
    cause: err,
    details: { ...details, ...(code === undefined ? {} : { errno: code }) },
  });
}

/** Writes all of `chunk`, looping over short writes (which POSIX allows even for regular files). */
export async function writeAll(handle: FileHandle, chunk: Uint8Array, path: string): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    try {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    } catch (err) {
      throw ioError(err, `cannot write ${path}`, { path });
    }
  }
}

/**
 * fsyncs a directory so that a rename or link inside it survives a crash (POSIX makes the new entry durable only
 * once its directory is synced). Filesystems that cannot fsync a directory (EINVAL) are tolerated.
 */
export async function fsyncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (err) {
    if (errnoCode(err) !== 'EINVAL') throw ioError(err, `cannot fsync directory ${path}`, { path });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
