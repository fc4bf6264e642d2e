import {
  type Digest,
  type DirectoryManifest,
  directoryManifest,
  hashFile,
  manifestDigest,
} from '../digest/index.js';
import type { FetchOptions, ModelRegistry } from './model-registry.js';

/** The content digest of a version's artefact, computed by docket from the bytes (never read from the registry). */
export interface FrozenArtefact {
  readonly digest: Digest;
  readonly kind: 'directory' | 'file';
  readonly files: number;
  readonly bytes: number;
  /** The directory manifest whose digest `digest` is, for a directory artefact. */
  readonly manifest?: DirectoryManifest;
}

/**
 * Fetches a version's bytes into a temporary directory, digests them the way docket digests any artefact (a
 * directory: the digest of its canonical manifest; a file: its sha256), and removes the directory again. This is the
 * "frozen model version" reference of a promotion event.
 *
 * @throws DocketError the codes of `ModelRegistry.fetchArtefacts`, and `ERR_DIGEST_*` when the bytes cannot be
 *   digested (a symlink in the fetched tree, say).
 * @example
 * const { digest } = await frozenDigest(registry, 'credit', '17');
 */
export async function frozenDigest(
  registry: ModelRegistry,
  model: string,
  version: string,
  options: FetchOptions = {},
): Promise<FrozenArtefact> {
  const fetched = await registry.fetchArtefacts(model, version, options);
  try {
    const hashOptions = options.signal === undefined ? {} : { signal: options.signal };
    if (fetched.kind === 'file') {
      const { digest, size } = await hashFile(fetched.path, hashOptions);
      return { digest, kind: 'file', files: 1, bytes: size };
    }
    const manifest = await directoryManifest(fetched.path, hashOptions);
    const bytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
    return {
      digest: manifestDigest(manifest),
      kind: 'directory',
      files: manifest.files.length,
      bytes,
      manifest,
    };
  } finally {
    await fetched.remove();
  }
}
