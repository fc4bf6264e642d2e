/**
 * Stable codes of the errors thrown by `src/digest/`. Callers `switch (err.code)`; messages are for people.
 *
 * @example
 * if (isDocketError(err, DigestErrorCode.PathEscapes)) refuseRestore(err.details.path);
 */
export const DigestErrorCode = {
  /** A digest string is not `sha256:` followed by 64 lowercase hex characters (or is not a string). */
  Malformed: 'ERR_DIGEST_MALFORMED',
  /** A file to hash does not exist. */
  FileNotFound: 'ERR_DIGEST_FILE_NOT_FOUND',
  /** A path to hash as a file is a directory or another non-regular file. */
  NotAFile: 'ERR_DIGEST_NOT_A_FILE',
  /** A path to walk as a directory is not a directory. */
  NotADirectory: 'ERR_DIGEST_NOT_A_DIRECTORY',
  /** Reading a file or directory failed (permissions, I/O error); `cause` holds the system error. */
  ReadFailed: 'ERR_DIGEST_READ_FAILED',
  /** A stream handed to the hasher produced something other than bytes. */
  InvalidChunk: 'ERR_DIGEST_INVALID_CHUNK',
  /** Hashing was aborted through an AbortSignal. */
  Aborted: 'ERR_DIGEST_ABORTED',
  /** A directory to digest contains a symbolic link (never followed: it could point anywhere). */
  Symlink: 'ERR_DIGEST_SYMLINK',
  /** A directory to digest contains a socket, FIFO or device. */
  SpecialFile: 'ERR_DIGEST_SPECIAL_FILE',
  /** A manifest path could leave the directory it is restored into ('..', leading '/', backslash). */
  PathEscapes: 'ERR_DIGEST_PATH_ESCAPES',
  /** A manifest path is not a clean relative path (empty or '.' segment, control character, too long, not UTF-8). */
  PathInvalid: 'ERR_DIGEST_PATH_INVALID',
  /** Two manifest paths clash: a duplicate, or a file that is also the directory of another path. */
  PathConflict: 'ERR_DIGEST_PATH_CONFLICT',
  /** A directory manifest does not have the v1 shape (keys, media type, sizes, digests, order). */
  ManifestMalformed: 'ERR_DIGEST_MANIFEST_MALFORMED',
  /** A value has no RFC 8785 representation: undefined, function, symbol, BigInt, or a non-plain object. */
  CanonicalJsonUnsupported: 'ERR_CANONICAL_JSON_UNSUPPORTED',
  /** A number is NaN or ±Infinity (RFC 8785 §3.2.2.3 requires an error). */
  CanonicalJsonNonFinite: 'ERR_CANONICAL_JSON_NON_FINITE',
  /** A value refers to itself. */
  CanonicalJsonCyclic: 'ERR_CANONICAL_JSON_CYCLIC',
  /** A string or key holds a lone surrogate, which I-JSON (RFC 7493 §2.1) forbids. */
  CanonicalJsonInvalidString: 'ERR_CANONICAL_JSON_INVALID_STRING',
  /** A value nests deeper than the canonicaliser accepts. */
  CanonicalJsonTooDeep: 'ERR_CANONICAL_JSON_TOO_DEEP',
} as const;

/** One of the codes in {@link DigestErrorCode}. */
export type DigestErrorCode = (typeof DigestErrorCode)[keyof typeof DigestErrorCode];
