/**
 * Stable codes of the errors thrown by `src/artefacts/`. Errors about digests, paths and manifests keep their
 * `ERR_DIGEST_*` codes from `src/digest/` (a symlink in a directory being stored is `ERR_DIGEST_SYMLINK`).
 *
 * @example
 * if (isDocketError(err, ArtefactErrorCode.Corrupt)) alertOperator(err.details.digest);
 */
export const ArtefactErrorCode = {
  /** No blob is stored under this digest. */
  NotFound: 'ERR_ARTEFACT_NOT_FOUND',
  /** A stored blob no longer hashes to its digest: the store was tampered with or the disk lost data. */
  Corrupt: 'ERR_ARTEFACT_CORRUPT',
  /** The bytes being stored do not hash to the `expectedDigest` the caller gave; nothing was committed. */
  DigestMismatch: 'ERR_ARTEFACT_DIGEST_MISMATCH',
  /** A manifest gives a size for a file that differs from the stored blob of that digest. */
  SizeMismatch: 'ERR_ARTEFACT_SIZE_MISMATCH',
  /** A blob is larger than the caller's limit (`readVerified`). */
  TooLarge: 'ERR_ARTEFACT_TOO_LARGE',
  /** The blob restored as a directory is not a canonical directory manifest. */
  NotAManifest: 'ERR_ARTEFACT_NOT_A_MANIFEST',
  /** The operation was aborted through its AbortSignal; nothing partial was left behind. */
  Aborted: 'ERR_ARTEFACT_ABORTED',
  /** The stream being stored failed; nothing was committed. `cause` holds the stream's error. */
  SourceFailed: 'ERR_ARTEFACT_SOURCE_FAILED',
  /** The storage backend failed (disk full, permissions, network); `cause` holds the underlying error. */
  Io: 'ERR_ARTEFACT_IO',
  /** The output file of `getToFile` exists and `overwrite` was not set. */
  OutputExists: 'ERR_ARTEFACT_OUTPUT_EXISTS',
  /** The output directory of `getDirectory` exists and is not an empty directory. */
  OutputNotEmpty: 'ERR_ARTEFACT_OUTPUT_NOT_EMPTY',
  /** There is no store at the given root (and it was not asked to create one). */
  StoreMissing: 'ERR_ARTEFACT_STORE_MISSING',
  /** The store root is unusable (not a directory, temp and blob areas on different filesystems). */
  StoreInvalid: 'ERR_ARTEFACT_STORE_INVALID',
  /** An argument is of the wrong type or out of range (a programming error in the caller). */
  InvalidArgument: 'ERR_ARTEFACT_INVALID_ARGUMENT',
} as const;

/** One of the codes in {@link ArtefactErrorCode}. */
export type ArtefactErrorCode = (typeof ArtefactErrorCode)[keyof typeof ArtefactErrorCode];
