/**
 * Stable codes of the errors thrown by `src/registries/`. The promotion gate switches on them: `Unreachable` means
 * "try again later, the registry is down" (the promotion stays pending and resumable), every other code means the
 * registry answered and the answer was no, or was not to be trusted.
 *
 * @example
 * try { await registry.setAlias('credit', 'champion', '17') } catch (err) {
 *   if (isDocketError(err, RegistryErrorCode.Unreachable)) return recordPending(err);
 *   throw err;
 * }
 */
export const RegistryErrorCode = {
  /**
   * The registry could not be asked or did not answer: connection refused or reset, DNS failure, a timeout, an HTTP
   * 5xx, 408 or 429. Transient by nature: the same call may succeed later.
   */
  Unreachable: 'ERR_REGISTRY_UNREACHABLE',
  /** The registry answered that the model, version (or the run behind a version) does not exist. */
  NotFound: 'ERR_REGISTRY_NOT_FOUND',
  /** The registry refused the request (an HTTP 4xx other than 404/408/429: invalid value, permission denied). */
  Refused: 'ERR_REGISTRY_REFUSED',
  /** Creating a model or version that already exists. */
  AlreadyExists: 'ERR_REGISTRY_ALREADY_EXISTS',
  /**
   * The registry's answer cannot be trusted: not JSON, the wrong shape, too large, an unexpected redirect, an
   * artefact name that would leave the download directory, or bytes that differ from the size it announced.
   */
  ResponseInvalid: 'ERR_REGISTRY_RESPONSE_INVALID',
  /** An argument is malformed before anything is sent: a model name, alias, version, stage, tag or tracking URI. */
  InvalidArgument: 'ERR_REGISTRY_INVALID_ARGUMENT',
  /** The registry cannot do this as configured: legacy stages on a registry without them, for instance. */
  Unsupported: 'ERR_REGISTRY_UNSUPPORTED',
  /**
   * A version's artefact cannot be fetched: its location is not served by the registry (a `s3://` source behind an
   * MLflow server without the artifact proxy), or the local path or artefact-store digest is gone.
   */
  ArtefactUnavailable: 'ERR_REGISTRY_ARTEFACT_UNAVAILABLE',
  /** Fetching an artefact went past a limit: total bytes, number of files, or directory depth. */
  ArtefactTooLarge: 'ERR_REGISTRY_ARTEFACT_TOO_LARGE',
  /** Writing fetched bytes into the local temporary directory failed (disk full, permissions); `cause` says why. */
  LocalIo: 'ERR_REGISTRY_LOCAL_IO',
  /** The caller aborted the operation through its AbortSignal (a timeout is `ERR_REGISTRY_UNREACHABLE`). */
  Aborted: 'ERR_REGISTRY_ABORTED',
  /** The local registry's database cannot be opened, migrated or written; `cause` holds the SQLite error. */
  StoreFailed: 'ERR_REGISTRY_STORE_FAILED',
} as const;

/** One of the codes in {@link RegistryErrorCode}. */
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];
