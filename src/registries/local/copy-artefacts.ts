import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtefactStore } from '../../artefacts/index.js';
import { type Digest, DigestErrorCode, openRegularFile, walkDirectory } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import type { FetchDirectory } from '../fetch-directory.js';
import type { FetchedArtefacts } from '../model-registry.js';

/** Name of the artefact inside the fetch directory. */
export const ARTEFACT_NAME = 'artefact';

/**
 * Copies a registered directory into the fetch directory, file by file. The walk refuses symlinks and special files
 * (`ERR_DIGEST_SYMLINK`, `ERR_DIGEST_SPECIAL_FILE`), as `directoryManifest` would: what is copied is exactly what
 * docket would have digested in place.
 */
export async function copyDirectory(source: string, into: FetchDirectory): Promise<FetchedArtefacts> {
  const target = join(into.root, ARTEFACT_NAME);
  const files = await walkDirectory(source).catch((err: unknown) => {
    throw unavailableWhenMissing(err, source);
  });
  await mkdir(target);
  for (const file of files) {
    into.addFile(file.path);
    const destination = join(target, ...file.path.split('/'));
    await mkdir(dirname(destination), { recursive: true });
    await copyRegularFile(file.absolutePath, destination, file.path, into, false);
  }
  return into.finish('directory', target);
}

/** Copies a registered single file into the fetch directory. */
export async function copyFile(source: string, into: FetchDirectory): Promise<FetchedArtefacts> {
  const target = join(into.root, ARTEFACT_NAME);
  into.addFile(ARTEFACT_NAME);
  await copyRegularFile(source, target, ARTEFACT_NAME, into, true);
  return into.finish('file', target);
}

/** Restores an artefact-store directory manifest or blob (verified while written) into the fetch directory. */
export async function restoreFromStore(
  store: ArtefactStore,
  digest: Digest,
  kind: 'directory' | 'file',
  into: FetchDirectory,
  signal: AbortSignal | undefined,
): Promise<FetchedArtefacts> {
  const target = join(into.root, ARTEFACT_NAME);
  const options = signal === undefined ? {} : { signal };
  try {
    if (kind === 'directory') {
      const restored = await store.getDirectory(digest, target, options);
      for (const entry of restored.manifest.files) {
        into.addFile(entry.path);
        into.addBytes(entry.size, entry.path);
      }
    } else {
      into.addFile(ARTEFACT_NAME);
      const written = await store.getToFile(digest, target, options);
      into.addBytes(written.size, ARTEFACT_NAME);
    }
  } catch (err) {
    if (isDocketError(err, 'ERR_ARTEFACT_NOT_FOUND')) {
      throw new DocketError(
        RegistryErrorCode.ArtefactUnavailable,
        `artefact ${digest} is not in the artefact store`,
        {
          cause: err,
          details: { digest },
        },
      );
    }
    throw err;
  }
  return into.finish(kind, target);
}

async function copyRegularFile(
  source: string,
  destination: string,
  name: string,
  into: FetchDirectory,
  followSymlinks: boolean,
): Promise<void> {
  const opened = await openRegularFile(source, { followSymlinks }).catch((err: unknown) => {
    throw unavailableWhenMissing(err, source);
  });
  try {
    into.reserve(opened.size, name);
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        try {
          into.addBytes(chunk.byteLength, name);
          done(null, chunk);
        } catch (err) {
          done(err as Error);
        }
      },
    });
    // A stream of fresh buffers (readFileChunks reuses two, which a write stream may still hold).
    const source = opened.handle.createReadStream({ autoClose: false, start: 0 });
    await pipeline(source, count, createWriteStream(destination, { flags: 'wx' }));
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

function unavailableWhenMissing(err: unknown, path: string): unknown {
  if (isDocketError(err, DigestErrorCode.FileNotFound)) {
    return new DocketError(
      RegistryErrorCode.ArtefactUnavailable,
      `the registered artefact ${path} no longer exists`,
      {
        cause: err,
        details: { path },
      },
    );
  }
  return err;
}
