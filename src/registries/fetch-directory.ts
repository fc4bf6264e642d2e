import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocketError } from '../errors/index.js';
import { RegistryErrorCode } from './errors.js';
import type { FetchedArtefacts, FetchOptions } from './model-registry.js';

/** Default of {@link FetchOptions.maxBytes}: larger than any single model docket expects, still a bound. */
export const DEFAULT_MAX_FETCH_BYTES = 64 * 1024 ** 3;
/** Default of {@link FetchOptions.maxFiles}. */
export const DEFAULT_MAX_FETCH_FILES = 100_000;
/** Directory depth past which a listing is refused (a hostile server could nest forever). */
export const MAX_FETCH_DEPTH = 64;

/**
 * A fresh temporary directory for one fetch, with the limits of that fetch. Whoever creates it removes it on
 * failure (`discard`) or hands it to the caller as {@link FetchedArtefacts} (`finish`).
 */
export class FetchDirectory {
  readonly root: string;
  private readonly maxBytes: number;
  readonly maxFiles: number;
  private readonly signal: AbortSignal | undefined;
  files = 0;
  bytes = 0;

  private constructor(root: string, options: FetchOptions) {
    this.root = root;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_FETCH_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FETCH_FILES;
    this.signal = options.signal;
  }

  /** Creates `docket-registry-XXXXXX` under `options.tempDir` or the OS temp directory. */
  static async create(options: FetchOptions): Promise<FetchDirectory> {
    throwIfAborted(options.signal);
    const parent = options.tempDir ?? tmpdir();
    const root = await mkdtemp(join(parent, 'docket-registry-')).catch((cause: unknown) => {
      throw new DocketError(
        RegistryErrorCode.ArtefactUnavailable,
        `cannot create a temporary directory in ${parent}`,
        {
          cause,
          details: { path: parent },
        },
      );
    });
    return new FetchDirectory(root, options);
  }

  /** Counts one more file, refusing past the file limit (before anything of it is written). */
  addFile(name: string): void {
    throwIfAborted(this.signal);
    this.files += 1;
    if (this.files > this.maxFiles) {
      throw new DocketError(
        RegistryErrorCode.ArtefactTooLarge,
        `the artefact has more than ${this.maxFiles} files`,
        {
          details: { limit: this.maxFiles, path: name.slice(0, 256) },
        },
      );
    }
  }

  /** Counts bytes as they arrive, refusing past the byte limit. */
  addBytes(count: number, name: string): void {
    this.bytes += count;
    if (this.bytes > this.maxBytes) {
      throw new DocketError(
        RegistryErrorCode.ArtefactTooLarge,
        `the artefact is larger than ${this.maxBytes} bytes`,
        {
          details: { limit: this.maxBytes, path: name.slice(0, 256) },
        },
      );
    }
  }

  /** Refuses up front when a size announced by the registry is already past the remaining budget. */
  reserve(size: number, name: string): void {
    if (this.bytes + size > this.maxBytes) this.addBytes(size, name);
  }

  /** The result handed to the caller, who now owns the directory. */
  finish(kind: FetchedArtefacts['kind'], path: string): FetchedArtefacts {
    const root = this.root;
    return Object.freeze({
      kind,
      path,
      files: this.files,
      bytes: this.bytes,
      remove: () => rm(root, { recursive: true, force: true }),
    });
  }

  /** Removes the directory after a failure; never throws over the original error. */
  async discard(): Promise<void> {
    await rm(this.root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Throws `ERR_REGISTRY_ABORTED` when the caller's signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new DocketError(RegistryErrorCode.Aborted, 'the registry call was aborted', {
      cause: signal.reason,
    });
  }
}
