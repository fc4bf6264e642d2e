import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ArtefactStore } from '../../artefacts/index.js';
import { canonicalJsonBytes, type Digest, isDigest, parseDirectoryManifest } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';

/** Where a local version's bytes are: a path on this machine, or a digest in docket's own artefact store. */
export type VersionLocation = { readonly path: string } | { readonly digest: Digest };

/** How a location is stored: its kind and its text (an absolute path or a digest). */
export interface StoredLocation {
  readonly kind: 'directory' | 'file' | 'artefact-directory' | 'artefact-file';
  readonly location: string;
}

/** Same bound as the artefact store's manifests: past it a blob is certainly a file, not a manifest. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Classifies a location when a version is registered, so that the version records once and for all whether it is a
 * directory or a file. A path must exist and is made absolute; a digest must be in the artefact store, and is a
 * directory exactly when its bytes are a canonical directory manifest.
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`, `ERR_REGISTRY_ARTEFACT_UNAVAILABLE`.
 */
export async function classifyLocation(
  location: VersionLocation,
  store: ArtefactStore | undefined,
): Promise<StoredLocation> {
  if (typeof location !== 'object' || location === null)
    throw invalid('a location must be { path } or { digest }');
  if ('digest' in location) return classifyDigest(location.digest, store);
  if (!('path' in location) || typeof location.path !== 'string' || location.path.length === 0) {
    throw invalid('a location must be { path } or { digest }');
  }
  if (location.path.includes('\0')) throw invalid('a location path cannot contain NUL');
  const path = isAbsolute(location.path) ? location.path : resolve(location.path);
  const stats = await stat(path).catch((cause: unknown) => {
    throw new DocketError(RegistryErrorCode.ArtefactUnavailable, `${path} cannot be read`, {
      cause,
      details: { path },
    });
  });
  if (stats.isDirectory()) return { kind: 'directory', location: path };
  if (stats.isFile()) return { kind: 'file', location: path };
  throw invalid(`${path} is neither a directory nor a regular file`, { path });
}

async function classifyDigest(digest: unknown, store: ArtefactStore | undefined): Promise<StoredLocation> {
  if (!isDigest(digest)) throw invalid('a location digest must be sha256:<64 lowercase hex>');
  if (store === undefined) {
    throw new DocketError(
      RegistryErrorCode.Unsupported,
      'this local registry was opened without an artefact store',
    );
  }
  let size: number;
  try {
    size = (await store.stat(digest)).size;
  } catch (cause) {
    if (!isDocketError(cause, 'ERR_ARTEFACT_NOT_FOUND')) throw cause;
    throw new DocketError(
      RegistryErrorCode.ArtefactUnavailable,
      `artefact ${digest} is not in the artefact store`,
      {
        cause,
        details: { digest },
      },
    );
  }
  if (
    size <= MAX_MANIFEST_BYTES &&
    isCanonicalManifest(await store.readVerified(digest, MAX_MANIFEST_BYTES))
  ) {
    return { kind: 'artefact-directory', location: digest };
  }
  return { kind: 'artefact-file', location: digest };
}

function isCanonicalManifest(bytes: Uint8Array): boolean {
  try {
    const manifest = parseDirectoryManifest(JSON.parse(strictUtf8.decode(bytes)));
    return Buffer.compare(canonicalJsonBytes(manifest), bytes) === 0;
  } catch {
    return false;
  }
}

function invalid(message: string, details: Record<string, unknown> = {}): DocketError {
  return new DocketError(RegistryErrorCode.InvalidArgument, message, { details });
}
