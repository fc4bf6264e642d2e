import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DocketError } from '../errors/index.js';
import { abortableIterable } from './abortable.js';
import { createContentHasher } from './content-hasher.js';
import {
  DIRECTORY_MANIFEST_MEDIA_TYPE,
  type DirectoryManifest,
  type DirectoryManifestEntry,
  parseDirectoryManifest,
} from './directory-manifest.js';
import { DigestErrorCode } from './errors.js';
import type { HashOptions } from './hash-file.js';
import { checkManifestPath } from './manifest-path.js';
import { fileError, openRegularFile, readFileChunks } from './regular-file.js';

/** A regular file found by {@link walkDirectory}. */
export interface WalkedFile {
  /** Relative to the root, '/'-separated: the manifest path. */
  readonly path: string;
  /** Where to open it. */
  readonly absolutePath: string;
  /** Size seen by lstat during the walk (the file may still change before it is read). */
  readonly size: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Lists every regular file under `root`, sorted by the UTF-8 bytes of its relative path, independent of readdir
 * order. Symlinks are never followed (a link can point outside the tree, or make two trees with the same files
 * digest differently), and sockets, FIFOs and devices have no content to digest: both are refused, naming the
 * path. Names that are not UTF-8, or that no manifest could carry, are refused too. `root` itself may be a
 * symlink to a directory: the caller named it.
 *
 * @throws DocketError `ERR_DIGEST_SYMLINK`, `ERR_DIGEST_SPECIAL_FILE`, `ERR_DIGEST_PATH_INVALID`,
 *   `ERR_DIGEST_PATH_ESCAPES`, `ERR_DIGEST_NOT_A_DIRECTORY`, `ERR_DIGEST_FILE_NOT_FOUND`, `ERR_DIGEST_READ_FAILED`.
 * @example
 * for (const file of await walkDirectory('model/')) console.log(file.path, file.size);
 */
export async function walkDirectory(root: string): Promise<WalkedFile[]> {
  const rootStats = await stat(root).catch((err: unknown) => {
    throw fileError(err, root);
  });
  if (!rootStats.isDirectory()) {
    throw new DocketError(DigestErrorCode.NotADirectory, `${root} is not a directory`, {
      details: { path: root },
    });
  }
  const files: { key: Buffer; file: WalkedFile }[] = [];
  // Iterative, so a deep tree cannot exhaust the call stack.
  const pending: string[] = [''];
  for (let relativeDir = pending.pop(); relativeDir !== undefined; relativeDir = pending.pop()) {
    const absoluteDir = relativeDir === '' ? root : join(root, relativeDir);
    const entries = await readdir(absoluteDir, { withFileTypes: true, encoding: 'buffer' }).catch(
      (err: unknown) => {
        throw fileError(err, absoluteDir);
      },
    );
    for (const entry of entries) {
      const name = decodeName(entry, relativeDir);
      const relativePath = relativeDir === '' ? name : `${relativeDir}/${name}`;
      checkManifestPath(relativePath);
      const absolutePath = join(root, relativePath);
      const stats = await lstat(absolutePath).catch((err: unknown) => {
        throw fileError(err, absolutePath);
      });
      if (stats.isDirectory()) {
        pending.push(relativePath);
      } else if (stats.isFile()) {
        const file = { path: relativePath, absolutePath, size: stats.size };
        files.push({ key: Buffer.from(relativePath, 'utf8'), file });
      } else {
        throw unsupportedEntry(stats, absolutePath, relativePath);
      }
    }
  }
  files.sort((a, b) => Buffer.compare(a.key, b.key));
  return files.map(({ file }) => file);
}

/**
 * Walks `root` (see {@link walkDirectory}) and hashes every file into a {@link DirectoryManifest}.
 * `onProgress` reports bytes over the whole tree.
 *
 * @throws DocketError as {@link walkDirectory}, plus `ERR_DIGEST_ABORTED`.
 * @example
 * const manifest = await directoryManifest('model/');
 * const digest = manifestDigest(manifest);
 */
export async function directoryManifest(root: string, options: HashOptions = {}): Promise<DirectoryManifest> {
  const walked = await walkDirectory(root);
  const total = walked.reduce((sum, file) => sum + file.size, 0);
  let done = 0;
  const entries: DirectoryManifestEntry[] = [];
  for (const file of walked) {
    const opened = await openRegularFile(file.absolutePath, { followSymlinks: false });
    try {
      const hasher = createContentHasher();
      const chunks = abortableIterable(readFileChunks(opened), options.signal, (reason) => {
        return new DocketError(DigestErrorCode.Aborted, 'hashing was aborted', { cause: reason });
      });
      for await (const chunk of chunks) {
        hasher.update(chunk);
        done += chunk.byteLength;
        options.onProgress?.(done, total);
      }
      entries.push({ path: file.path, size: hasher.size, digest: hasher.finish() });
    } finally {
      await opened.handle.close().catch(() => undefined);
    }
  }
  return parseDirectoryManifest({ mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files: entries });
}

function decodeName(entry: Dirent<Buffer>, relativeDir: string): string {
  try {
    return strictUtf8.decode(entry.name);
  } catch (err) {
    const shown = `${relativeDir === '' ? '' : `${relativeDir}/`}${entry.name.toString('utf8')}`;
    throw new DocketError(
      DigestErrorCode.PathInvalid,
      `file name ${JSON.stringify(shown)} is not valid UTF-8`,
      {
        cause: err,
        details: { path: shown, nameHex: entry.name.toString('hex') },
      },
    );
  }
}

function unsupportedEntry(stats: Stats, absolutePath: string, path: string): DocketError {
  if (stats.isSymbolicLink()) {
    return new DocketError(
      DigestErrorCode.Symlink,
      `${absolutePath} is a symbolic link; docket does not follow links inside a directory`,
      {
        details: { path, absolutePath },
      },
    );
  }
  const kind = stats.isFIFO() ? 'FIFO' : stats.isSocket() ? 'socket' : 'device';
  return new DocketError(DigestErrorCode.SpecialFile, `${absolutePath} is a ${kind}, not a regular file`, {
    details: { path, absolutePath, kind },
  });
}
