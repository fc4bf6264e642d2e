/**
 * What the promotion gate needs from a model registry, and nothing more. A registry is a catalog: docket reads from
 * it what a version is and where its bytes are, moves its pointers (aliases, or legacy stages) after the promotion
 * event is written, and may leave a tag pointing at the event. Nothing read from a registry is evidence: the frozen
 * digest is computed by docket from the bytes ({@link FetchedArtefacts}), and tags are never read back.
 *
 * Versions are strings (MLflow spells them as decimal strings, "17"); models and aliases follow the portable rules
 * of `names.ts`, so a name valid for one backend is valid for all.
 */
export interface ModelRegistry {
  /** Stable identity recorded in promotion events: `local`, or `mlflow:<tracking uri>`. */
  readonly id: string;

  /**
   * The version as the registry describes it.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND` when the model or version does not exist.
   */
  getVersion(model: string, version: string, options?: CallOptions): Promise<RegistryModelVersion>;

  /**
   * The version an alias points to, `undefined` when the alias is not set on an existing model.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND` when the model does not exist.
   */
  resolveAlias(model: string, alias: string, options?: CallOptions): Promise<string | undefined>;

  /**
   * Points an alias at a version, moving it when set elsewhere. Idempotent.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND` when the model or version does not exist.
   */
  setAlias(model: string, alias: string, version: string, options?: CallOptions): Promise<void>;

  /**
   * Removes an alias. Idempotent: an alias that is not set is not an error.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND` when the model does not exist.
   */
  deleteAlias(model: string, alias: string, options?: CallOptions): Promise<void>;

  /** Every alias of every model, sorted by model then alias (what `docket reconcile` compares with the ledger). */
  listAliases(options?: CallOptions): Promise<AliasAssignment[]>;

  /**
   * Legacy stages (MLflow's None/Staging/Production/Archived), present only on a registry that has them and was
   * configured to use them instead of aliases.
   */
  readonly stages?: LegacyStages;

  /**
   * Copies the version's artefact bytes into a fresh temporary directory, for docket to digest with
   * `directoryManifest` / `hashFile`. The caller removes it with {@link FetchedArtefacts.remove}.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_ARTEFACT_UNAVAILABLE`,
   *   `ERR_REGISTRY_ARTEFACT_TOO_LARGE`, `ERR_REGISTRY_RESPONSE_INVALID`, `ERR_REGISTRY_UNREACHABLE`.
   */
  fetchArtefacts(model: string, version: string, options?: FetchOptions): Promise<FetchedArtefacts>;

  /**
   * Sets a tag on a version, overwriting its value: a convenience pointer to the docket event, never evidence.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND` when the model or version does not exist.
   */
  setVersionTag(
    model: string,
    version: string,
    key: string,
    value: string,
    options?: CallOptions,
  ): Promise<void>;

  /** Releases what the registry holds (the local database connection). */
  close(): Promise<void>;
}

/** The four legacy stages, in MLflow's spelling. */
export const LEGACY_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
/** One of {@link LEGACY_STAGES}. */
export type LegacyStage = (typeof LEGACY_STAGES)[number];

/** Stage operations of a registry configured for legacy stages. */
export interface LegacyStages {
  /**
   * The version that `models:/<model>/<stage>` resolves to: the latest version in that stage (MLflow's own rule),
   * `undefined` when none is.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND` when the model does not exist.
   */
  stageVersion(model: string, stage: LegacyStage, options?: CallOptions): Promise<string | undefined>;

  /**
   * Moves a version into a stage; with `archiveExisting` every other version in that stage goes to Archived
   * (only for Staging and Production).
   */
  transitionStage(
    model: string,
    version: string,
    stage: LegacyStage,
    options?: CallOptions & { archiveExisting?: boolean },
  ): Promise<void>;

  /** For every model, the latest version in each stage other than None. */
  listStages(options?: CallOptions): Promise<StageAssignment[]>;
}

/** A model version as the registry reports it; `source` is information, not evidence. */
export interface RegistryModelVersion {
  /** The {@link ModelRegistry.id} of the registry that reported it. */
  readonly registry: string;
  readonly model: string;
  readonly version: string;
  /** Where the registry says the artefact is: a URI (MLflow), a path or an artefact digest (local). */
  readonly source: string;
  /** The training run, when the registry knows it. */
  readonly runId?: string;
  /** `ready` once registration finished; a pending or failed version has no complete artefact to promote. */
  readonly status: 'ready' | 'pending' | 'failed';
  /** The legacy stage, on registries that have stages. */
  readonly stage?: LegacyStage;
  /** When the version was registered (ISO 8601), when known. */
  readonly createdAt?: string;
}

/** One alias of one model. */
export interface AliasAssignment {
  readonly model: string;
  readonly alias: string;
  readonly version: string;
}

/** The latest version of one model in one stage. */
export interface StageAssignment {
  readonly model: string;
  readonly stage: LegacyStage;
  readonly version: string;
}

/** Options every registry call takes. */
export interface CallOptions {
  /** Aborts the call (`ERR_REGISTRY_ABORTED`). */
  readonly signal?: AbortSignal;
}

/** Options of {@link ModelRegistry.fetchArtefacts}. */
export interface FetchOptions extends CallOptions {
  /** Parent of the temporary directory (default: the OS temp directory). */
  readonly tempDir?: string;
  /** Refuse past this many bytes in total (default 64 GiB). */
  readonly maxBytes?: number;
  /** Refuse past this many files (default 100,000). */
  readonly maxFiles?: number;
}

/**
 * A version's bytes, copied to a temporary directory that belongs to the caller. `path` is the artefact itself: a
 * directory (`kind: 'directory'`, digest it with `directoryManifest` + `manifestDigest`) or a single file
 * (`kind: 'file'`, digest it with `hashFile`).
 */
export interface FetchedArtefacts {
  readonly kind: 'directory' | 'file';
  readonly path: string;
  readonly files: number;
  readonly bytes: number;
  /** Deletes the temporary directory and everything in it. */
  remove(): Promise<void>;
}
