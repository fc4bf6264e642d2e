import { createContentHasher, type Digest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import type { ArtefactBackend } from './backend.js';
import { decodeManifestBlob, MANIFEST_PREFIX, MAX_MANIFEST_BYTES } from './manifest-blob.js';
import { type StoreProblem, storeProblem } from './store-problem.js';
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
    if (entry.kind === 'blob') {
      blobs.set(entry.digest, entry.size);
    } else if (entry.kind === 'misnamed') {
      problems.push(storeProblem.misnamed(entry.name));
    } else if (ageMs(entry.modifiedAt, now) >= minAge) {
      const removed = options.removeStrayTemps === true;
      if (removed) await backend.removeTemp(entry.name);
      problems.push(storeProblem.strayTemp(entry.name, entry.size, entry.modifiedAt, removed));
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

// Clamped at 0: a temp written a moment ago can carry an mtime a hair ahead of Date.now() (clock granularity).
function ageMs(modifiedAt: Date, now: number): number {
  return Math.max(0, now - modifiedAt.getTime());
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
    return {
      problem: storeProblem.unreadable(digest, err, err instanceof DocketError ? err.code : undefined),
    };
  }
  const actualDigest = hasher.finish();
  if (actualDigest !== digest) return { problem: storeProblem.corrupt(digest, actualDigest, hasher.size) };
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
      problems.push(storeProblem.missingReference(digest, entry.path, entry.digest));
    } else if (blobSize !== entry.size) {
      problems.push(storeProblem.sizeMismatch(digest, entry.path, entry.digest, entry.size, blobSize));
    }
  }
  return problems;
}
