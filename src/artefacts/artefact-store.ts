import type { Readable } from 'node:stream';
import {
  canonicalJsonBytes,
  DIRECTORY_MANIFEST_MEDIA_TYPE,
  type Digest,
  type DirectoryManifest,
  type DirectoryManifestEntry,
  openRegularFile,
  parseDigest,
  parseDirectoryManifest,
  readFileChunks,
  walkDirectory,
} from '../digest/index.js';
import type { ArtefactBackend } from './backend.js';
import { type StoreVerifyReport, type VerifyOptions, verifyStore } from './fsck.js';
import { type GetToFileOptions, getToFile } from './get-to-file.js';
import { type PutOptions, type PutResult, putChunks } from './put.js';
import { type RestoredDirectory, restoreDirectory } from './restore-directory.js';
import { notFoundError, openVerified, type ReadOptions, readVerifiedBytes } from './verified-read.js';

/** What `putDirectory` stored: `digest` is the manifest's, the directory's identity. */
export interface PutDirectoryResult extends PutResult {
  manifest: DirectoryManifest;
  /** Sum of the file sizes (`size` is the manifest blob's own size). */
  contentSize: number;
}

/**
 * The content-addressed artefact store: every blob is named by the sha256 of its bytes, hashed while it is
 * written and verified whenever it is read. Works over any {@link ArtefactBackend}; every digest argument is
 * re-parsed, since a brand is only a compile-time promise.
 *
 * @example
 * const store = new ArtefactStore(await FsArtefactBackend.open('.docket/artefacts'));
 * const { digest } = await store.putFile('model.onnx', { onProgress: render });
 * const report = JSON.parse(new TextDecoder().decode(await store.readVerified(reportDigest, 1 << 20)));
 */
export class ArtefactStore {
  readonly backend: ArtefactBackend;

  constructor(backend: ArtefactBackend) {
    this.backend = backend;
  }

  /** Stores bytes held in memory. */
  async putBytes(bytes: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    return putChunks(this.backend, once(bytes), { ...options, bytesTotal: bytes.byteLength });
  }

  /**
   * Stores a byte stream (`process.stdin`, an HTTP body). `bytesTotal`, when known, feeds the progress total.
   *
   * @throws DocketError `ERR_ARTEFACT_SOURCE_FAILED` when the stream errors, `ERR_ARTEFACT_DIGEST_MISMATCH`,
   *   `ERR_ARTEFACT_ABORTED`, `ERR_ARTEFACT_IO`; nothing partial is left behind.
   */
  async putStream(
    source: AsyncIterable<Uint8Array>,
    options: PutOptions & { bytesTotal?: number } = {},
  ): Promise<PutResult> {
    return putChunks(this.backend, source, options);
  }

  /**
   * Stores a file, streaming it in constant memory. A symlink given as `path` is followed (the caller named it).
   *
   * @throws DocketError as {@link ArtefactStore.putStream}, plus the `ERR_DIGEST_*` codes of `openRegularFile`.
   */
  async putFile(path: string, options: PutOptions = {}): Promise<PutResult> {
    const file = await openRegularFile(path);
    try {
      return await putChunks(this.backend, readFileChunks(file), { ...options, bytesTotal: file.size });
    } finally {
      await file.handle.close().catch(() => undefined);
    }
  }

  /**
   * Stores every file of a directory as a blob, then its canonical manifest as a blob, and returns the
   * manifest's digest. Symlinks and special files are refused (`ERR_DIGEST_SYMLINK`, `ERR_DIGEST_SPECIAL_FILE`).
   * `expectedDigest` is checked against the manifest before the manifest is committed; file blobs stored by
   * then stay, as any unreferenced blob does (they are whole, content-addressed and reused by a retry).
   */
  async putDirectory(path: string, options: PutOptions = {}): Promise<PutDirectoryResult> {
    const walked = await walkDirectory(path);
    const total = walked.reduce((sum, file) => sum + file.size, 0);
    const entries: DirectoryManifestEntry[] = [];
    let done = 0;
    for (const walkedFile of walked) {
      const file = await openRegularFile(walkedFile.absolutePath, { followSymlinks: false });
      try {
        const before = done;
        const stored = await putChunks(this.backend, readFileChunks(file), {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onProgress: (bytes) => options.onProgress?.(before + bytes, total),
          bytesTotal: file.size,
        });
        entries.push({ path: walkedFile.path, size: stored.size, digest: stored.digest });
        done += stored.size;
      } finally {
        await file.handle.close().catch(() => undefined);
      }
    }
    const manifest = parseDirectoryManifest({ mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files: entries });
    const manifestOptions: PutOptions = {};
    if (options.expectedDigest !== undefined) manifestOptions.expectedDigest = options.expectedDigest;
    if (options.signal !== undefined) manifestOptions.signal = options.signal;
    const stored = await this.putBytes(canonicalJsonBytes(manifest), manifestOptions);
    return { ...stored, manifest, contentSize: done };
  }

  /**
   * A stream of the blob's bytes that verifies while streaming: it errors with `ERR_ARTEFACT_CORRUPT` instead of
   * ending when the bytes no longer hash to `digest` (and withholds the last chunk until they do).
   *
   * @throws DocketError `ERR_ARTEFACT_NOT_FOUND` (rejected before any stream exists).
   */
  async get(digest: Digest, options: ReadOptions = {}): Promise<Readable> {
    return openVerified(this.backend, parseDigest(digest), options);
  }

  /** Writes a blob to `path`; the file appears only once verified. See {@link GetToFileOptions}. */
  async getToFile(
    digest: Digest,
    path: string,
    options: GetToFileOptions = {},
  ): Promise<{ digest: Digest; size: number }> {
    return getToFile(this.backend, parseDigest(digest), path, options);
  }

  /**
   * Restores a directory from its manifest digest into `outDir`, which must be absent or empty. The manifest is
   * validated as hostile input; nothing is written outside `outDir` (staging is a hidden sibling, renamed in).
   *
   * @throws DocketError `ERR_DIGEST_PATH_ESCAPES` and the other manifest codes, `ERR_ARTEFACT_NOT_A_MANIFEST`,
   *   `ERR_ARTEFACT_OUTPUT_NOT_EMPTY`, `ERR_ARTEFACT_NOT_FOUND`, `ERR_ARTEFACT_SIZE_MISMATCH`, `ERR_ARTEFACT_CORRUPT`.
   */
  async getDirectory(
    manifestDigest: Digest,
    outDir: string,
    options: ReadOptions = {},
  ): Promise<RestoredDirectory> {
    return restoreDirectory(this.backend, parseDigest(manifestDigest), outDir, options);
  }

  /**
   * Reads a small blob (JSON records, reports) into memory, verified, refusing one over `maxBytes` before
   * reading it.
   *
   * @throws DocketError `ERR_ARTEFACT_TOO_LARGE`, `ERR_ARTEFACT_NOT_FOUND`, `ERR_ARTEFACT_CORRUPT`.
   */
  async readVerified(digest: Digest, maxBytes: number): Promise<Uint8Array> {
    return readVerifiedBytes(this.backend, parseDigest(digest), maxBytes);
  }

  /** fsck: re-hashes every blob and reports each problem by digest or name. See {@link VerifyOptions}. */
  async verify(options: VerifyOptions = {}): Promise<StoreVerifyReport> {
    return verifyStore(this.backend, options);
  }

  /** Every stored digest, ascending. */
  list(): AsyncIterable<Digest> {
    return this.backend.list();
  }

  /** True when a blob is stored under `digest` (not verified: use `verify` or read it). */
  async has(digest: Digest): Promise<boolean> {
    return this.backend.exists(parseDigest(digest));
  }

  /**
   * The stored size of a blob.
   *
   * @throws DocketError `ERR_ARTEFACT_NOT_FOUND`.
   */
  async stat(digest: Digest): Promise<{ digest: Digest; size: number }> {
    const parsed = parseDigest(digest);
    const size = await this.backend.size(parsed);
    if (size === undefined) throw notFoundError(parsed);
    return { digest: parsed, size };
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
