import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { type Digest, DigestErrorCode, type DirectoryManifest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import type { ArtefactBackend } from './backend.js';
import { ArtefactErrorCode } from './errors.js';
import { errnoCode, fsyncDirectory, ioError } from './local-files.js';
import { decodeManifestBlob, MAX_MANIFEST_BYTES } from './manifest-blob.js';
import { notFoundError, type ReadOptions, readVerifiedBytes, writeVerifiedFile } from './verified-read.js';

/** What `ArtefactStore.getDirectory` restored. */
export interface RestoredDirectory {
  digest: Digest;
  /** The absolute path of the restored directory. */
  path: string;
  files: number;
  size: number;
  manifest: DirectoryManifest;
}

/**
 * Restores the directory described by a stored manifest. The manifest is hostile input: it is verified against
 * its digest, parsed strictly (no path can leave the output), and every blob it names must be present with the
 * stated size before anything is written. Files are written into a fresh hidden sibling of `outDir`, each
 * verified as it is written, and the whole tree is renamed into place at the end: `outDir` ends up either
 * complete or untouched, never half-restored.
 */
export async function restoreDirectory(
  backend: ArtefactBackend,
  manifestDigest: Digest,
  outDir: string,
  options: ReadOptions,
): Promise<RestoredDirectory> {
  const manifest = decodeManifestBlob(
    await readVerifiedBytes(backend, manifestDigest, MAX_MANIFEST_BYTES),
    manifestDigest,
  );
  const total = await checkBlobsPresent(backend, manifest);
  const target = resolve(outDir);
  await checkOutputEmpty(target);
  const parent = dirname(target);
  const staging = join(parent, `.${basename(target)}.docket-restore-${randomUUID()}`);
  try {
    await mkdir(staging, { recursive: true });
  } catch (err) {
    throw ioError(err, `cannot create ${staging}`, { path: staging });
  }
  try {
    let done = 0;
    for (const entry of manifest.files) {
      const destination = resolve(staging, ...entry.path.split('/'));
      // Defence in depth: parseDirectoryManifest already refused every path that could resolve elsewhere.
      if (!destination.startsWith(`${staging}${sep}`)) {
        throw new DocketError(
          DigestErrorCode.PathEscapes,
          `manifest path ${JSON.stringify(entry.path)} escapes`,
          {
            details: { path: entry.path },
          },
        );
      }
      await mkdir(dirname(destination), { recursive: true }).catch((err: unknown) => {
        throw ioError(err, `cannot create the directory of ${entry.path}`, { path: entry.path });
      });
      const before = done;
      await writeVerifiedFile(backend, entry.digest, destination, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onProgress: (bytes) => options.onProgress?.(before + bytes, total),
      });
      done += entry.size;
    }
    await fsyncDirectory(staging);
    await rename(staging, target).catch((err: unknown) => {
      const code = errnoCode(err);
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw outputNotEmpty(target);
      throw ioError(err, `cannot move the restored directory to ${target}`, { path: target });
    });
    await fsyncDirectory(parent);
    return { digest: manifestDigest, path: target, files: manifest.files.length, size: total, manifest };
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

async function checkBlobsPresent(backend: ArtefactBackend, manifest: DirectoryManifest): Promise<number> {
  let total = 0;
  for (const entry of manifest.files) {
    const size = await backend.size(entry.digest);
    if (size === undefined) throw notFoundError(entry.digest, { path: entry.path });
    if (size !== entry.size) {
      throw new DocketError(
        ArtefactErrorCode.SizeMismatch,
        `the manifest gives ${entry.path} ${entry.size} bytes but blob ${entry.digest} has ${size}`,
        { details: { path: entry.path, digest: entry.digest, manifestSize: entry.size, blobSize: size } },
      );
    }
    total += size;
  }
  return total;
}

// outDir may be absent (it is created) or an empty directory (it is replaced), never anything else: a restore
// must not mix with files that were not in the manifest, nor write through a symlink.
async function checkOutputEmpty(target: string): Promise<void> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(target);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw ioError(err, `cannot inspect ${target}`, { path: target });
  }
  if (!stats.isDirectory() || (await readdir(target)).length > 0) throw outputNotEmpty(target);
}

function outputNotEmpty(target: string): DocketError {
  return new DocketError(ArtefactErrorCode.OutputNotEmpty, `${target} exists and is not an empty directory`, {
    details: { path: target },
  });
}
