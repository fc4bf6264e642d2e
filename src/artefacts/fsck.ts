import { createContentHasher, type Digest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import type { ArtefactBackend } from './backend.js';
import { decodeManifestBlob, MANIFEST_PREFIX, MAX_MANIFEST_BYTES } from './manifest-blob.js';
import { readVerifiedBytes } from './verified-read.js';

/** Options of `ArtefactStore.verify`. */
export interface VerifyOptions {
  /** Delete the stray temporaries found (those older than `strayTempMinAgeMs`). Default false: report only. */
  removeStrayTemps?: boolean;
  /**
   * A temporary younger than this may belong to a put still running in another process: it is neither
   * reported nor removed. Default one hour (a temp's mtime moves with every write, so only stalled writes age).
   */
  strayTempMinAgeMs?: number;
  /** Called after each blob with blobs checked so far and the total. */
  onProgress?: (blobsDone: number, blobsTotal: number) => void;
}

/** One thing wrong with the store, by digest or by name. */
export type StoreProblem =
  | {
      readonly kind: 'corrupt';
      readonly digest: Digest;
      readonly actualDigest: Digest;
      readonly size: number;
    }
  | { readonly kind: 'unreadable'; readonly digest: Digest; readonly message: string; readonly code?: string }
  | { readonly kind: 'misnamed'; readonly name: string }
  | {
      readonly kind: 'stray-temp';
      readonly name: string;
      readonly size: number;
      readonly modifiedAt: Date;
      readonly removed: boolean;
    }
  | {
      readonly kind: 'missing-reference';
      readonly manifest: Digest;
      readonly path: string;
      readonly digest: Digest;
    }
  | {
      readonly kind: 'size-mismatch';
      readonly manifest: Digest;
      readonly path: string;
      readonly digest: Digest;
      readonly manifestSize: number;
      readonly blobSize: number;
    };

/** The result of a full check of the store. `ok` is true when `problems` is empty. */
export interface StoreVerifyReport {
  readonly ok: boolean;
  /** Blobs re-hashed. */
  readonly blobs: number;
  /** Bytes re-hashed. */
  readonly bytes: number;
  /** Blobs recognised as directory manifests, whose references were checked. */
  readonly manifests: number;
  readonly problems: readonly StoreProblem[];
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * fsck for the store: re-hashes every blob, reports names that fit no digest and stray temporaries, and checks
 * that every file named by a directory manifest is present with its size. A manifest is recognised by content
 * (canonical JSON starting `{"files":[` that parses as a v1 manifest), since the store keeps no type index.
 */
export async function verifyStore(
  backend: ArtefactBackend,
  options: VerifyOptions,
): Promise<StoreVerifyReport> {
  const problems: StoreProblem[] = [];
  const blobs = new Map<Digest, number>();
  const minAge = options.strayTempMinAgeMs ?? HOUR_MS;
  const now = Date.now();
  for await (const entry of backend.scan()) {
    if (entry.kind === 'blob') blobs.set(entry.digest, entry.size);
    else if (entry.kind === 'misnamed') problems.push({ kind: 'misnamed', name: entry.name });
    else if (now - entry.modifiedAt.getTime() >= minAge) {
      const removed = options.removeStrayTemps === true;
      if (removed) await backend.removeTemp(entry.name);
      problems.push({
        kind: 'stray-temp',
        name: entry.name,
        size: entry.size,
        modifiedAt: entry.modifiedAt,
        removed,
      });
    }
  }
  let bytes = 0;
  let done = 0;
  const manifestCandidates: Digest[] = [];
  for (const digest of blobs.keys()) {
    const checked = await rehash(backend, digest);
    if ('problem' in checked) problems.push(checked.problem);
    else {
      bytes += checked.size;
      if (checked.looksLikeManifest && checked.size <= MAX_MANIFEST_BYTES) manifestCandidates.push(digest);
    }
    done += 1;
    options.onProgress?.(done, blobs.size);
  }
  let manifests = 0;
  for (const digest of manifestCandidates) {
    const found = await checkManifestReferences(backend, digest, blobs);
    if (found === undefined) continue;
    manifests += 1;
    problems.push(...found);
  }
  return { ok: problems.length === 0, blobs: blobs.size, bytes, manifests, problems };
}

type Rehashed = { size: number; looksLikeManifest: boolean } | { problem: StoreProblem };

async function rehash(backend: ArtefactBackend, digest: Digest): Promise<Rehashed> {
  const hasher = createContentHasher();
  let head = new Uint8Array(0);
  try {
    const { stream } = await backend.openRead(digest);
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      hasher.update(chunk);
      if (head.length < MANIFEST_PREFIX.length) {
        head = Buffer.concat([head, chunk.subarray(0, MANIFEST_PREFIX.length - head.length)]);
      }
    }
  } catch (err) {
    const code = err instanceof DocketError ? err.code : undefined;
    return {
      problem: {
        kind: 'unreadable',
        digest,
        message: err instanceof Error ? err.message : String(err),
        ...(code === undefined ? {} : { code }),
      },
    };
  }
  const actualDigest = hasher.finish();
  if (actualDigest !== digest)
    return { problem: { kind: 'corrupt', digest, actualDigest, size: hasher.size } };
  return { size: hasher.size, looksLikeManifest: Buffer.compare(head, MANIFEST_PREFIX) === 0 };
}

// Undefined when the blob is not a manifest after all (ordinary JSON that happens to start the same way).
async function checkManifestReferences(
  backend: ArtefactBackend,
  digest: Digest,
  blobs: ReadonlyMap<Digest, number>,
): Promise<StoreProblem[] | undefined> {
  let files: ReturnType<typeof decodeManifestBlob>['files'];
  try {
    files = decodeManifestBlob(await readVerifiedBytes(backend, digest, MAX_MANIFEST_BYTES), digest).files;
  } catch {
    return undefined;
  }
  const problems: StoreProblem[] = [];
  for (const entry of files) {
    const blobSize = blobs.get(entry.digest);
    if (blobSize === undefined) {
      problems.push({ kind: 'missing-reference', manifest: digest, path: entry.path, digest: entry.digest });
    } else if (blobSize !== entry.size) {
      problems.push({
        kind: 'size-mismatch',
        manifest: digest,
        path: entry.path,
        digest: entry.digest,
        manifestSize: entry.size,
        blobSize,
      });
    }
  }
  return problems;
}
