import type Database from 'better-sqlite3';
import type { ArtefactStore } from '../../artefacts/index.js';
import type { Digest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { FetchDirectory, throwIfAborted } from '../fetch-directory.js';
import type {
  AliasAssignment,
  CallOptions,
  FetchedArtefacts,
  FetchOptions,
  ModelRegistry,
} from '../model-registry.js';
import { checkAlias, checkModelName, checkTag, checkVersion } from '../names.js';
import { copyDirectory, copyFile, restoreFromStore } from './copy-artefacts.js';
import { classifyLocation, type VersionLocation } from './location.js';
import { openRegistryDatabase, storeFailed } from './open-database.js';
import {
  type AliasChange,
  checkRunId,
  type HistoryRow,
  LOCAL_REGISTRY_ID,
  type LocalModel,
  type LocalModelVersion,
  type ModelRow,
  now,
  toVersion,
  type VersionRow,
} from './rows.js';

/** The file name of the local registry in the docket home. */
export const LOCAL_REGISTRY_FILE = 'registry.db';

/** Options of {@link LocalRegistry.open}. */
export interface LocalRegistryOptions {
  /** Create the database file when absent. */
  readonly create?: boolean;
  /** docket's artefact store, for versions registered by digest. */
  readonly artefacts?: ArtefactStore;
}

/**
 * The embedded registry: models, numbered versions with their artefact location (a path, or a digest in docket's
 * artefact store), aliases, version tags, and an append-only alias history, in one SQLite file. No legacy stages.
 *
 * @example
 * const registry = LocalRegistry.open(join(home, LOCAL_REGISTRY_FILE), { create: true, artefacts });
 * await registry.createModel('credit');
 * const v = await registry.registerVersion('credit', { path: 'model/' });
 * await registry.setAlias('credit', 'champion', v.version);
 */
export class LocalRegistry implements ModelRegistry {
  readonly id = LOCAL_REGISTRY_ID;
  private readonly db: Database.Database;
  private readonly artefacts: ArtefactStore | undefined;

  private constructor(db: Database.Database, artefacts: ArtefactStore | undefined) {
    this.db = db;
    this.artefacts = artefacts;
  }

  /** @throws DocketError `ERR_REGISTRY_STORE_FAILED`. */
  static open(path: string, options: LocalRegistryOptions = {}): LocalRegistry {
    return new LocalRegistry(
      openRegistryDatabase(path, { create: options.create === true }),
      options.artefacts,
    );
  }

  /**
   * Registers a model name.
   *
   * @throws DocketError `ERR_REGISTRY_ALREADY_EXISTS`, `ERR_REGISTRY_INVALID_ARGUMENT`.
   */
  async createModel(name: string): Promise<LocalModel> {
    checkModelName(name);
    const createdAt = now();
    this.write(() => {
      if (this.hasModel(name)) {
        throw new DocketError(
          RegistryErrorCode.AlreadyExists,
          `model ${JSON.stringify(name)} already exists`,
          {
            details: { model: name },
          },
        );
      }
      this.db.prepare('INSERT INTO models (name, created_at) VALUES (?, ?)').run(name, createdAt);
    });
    return { name, createdAt };
  }

  /** Every model, by name. */
  async listModels(): Promise<LocalModel[]> {
    const rows = this.read(
      () => this.db.prepare('SELECT name, created_at FROM models ORDER BY name').all() as ModelRow[],
    );
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at }));
  }

  /**
   * Registers the next version of a model (1, 2, 3…) at a location, which is checked and classified now: a path
   * must exist (it is made absolute), a digest must be in the artefact store.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_INVALID_ARGUMENT`,
   *   `ERR_REGISTRY_ARTEFACT_UNAVAILABLE`.
   */
  async registerVersion(
    model: string,
    location: VersionLocation,
    options: { runId?: string } = {},
  ): Promise<LocalModelVersion> {
    checkModelName(model);
    const runId = options.runId;
    if (runId !== undefined) checkRunId(runId);
    const stored = await classifyLocation(location, this.artefacts);
    const createdAt = now();
    const version = this.write(() => {
      this.requireModel(model);
      const next = (
        this.db
          .prepare('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM versions WHERE model = ?')
          .get(model) as {
          n: number;
        }
      ).n;
      this.db
        .prepare(
          'INSERT INTO versions (model, version, location_kind, location, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(model, next, stored.kind, stored.location, runId ?? null, createdAt);
      return next;
    });
    return toVersion({
      model,
      version,
      location_kind: stored.kind,
      location: stored.location,
      run_id: runId ?? null,
      created_at: createdAt,
    });
  }

  /** Every version of a model, ascending. @throws DocketError `ERR_REGISTRY_NOT_FOUND`. */
  async listVersions(model: string): Promise<LocalModelVersion[]> {
    checkModelName(model);
    return this.read(() => {
      this.requireModel(model);
      const rows = this.db
        .prepare('SELECT * FROM versions WHERE model = ? ORDER BY version')
        .all(model) as VersionRow[];
      return rows.map(toVersion);
    });
  }

  async getVersion(model: string, version: string, options: CallOptions = {}): Promise<LocalModelVersion> {
    checkModelName(model);
    checkVersion(version);
    throwIfAborted(options.signal);
    return this.read(() => toVersion(this.requireVersion(model, version)));
  }

  async resolveAlias(model: string, alias: string, options: CallOptions = {}): Promise<string | undefined> {
    checkModelName(model);
    checkAlias(alias);
    throwIfAborted(options.signal);
    return this.read(() => {
      this.requireModel(model);
      const row = this.db
        .prepare('SELECT version FROM aliases WHERE model = ? AND alias = ?')
        .get(model, alias) as { version: number } | undefined;
      return row === undefined ? undefined : String(row.version);
    });
  }

  async setAlias(model: string, alias: string, version: string, options: CallOptions = {}): Promise<void> {
    checkModelName(model);
    checkAlias(alias);
    checkVersion(version);
    throwIfAborted(options.signal);
    const updatedAt = now();
    this.write(() => {
      this.requireVersion(model, version);
      // An unchanged alias is not touched, so the history records moves only.
      this.db
        .prepare(
          `INSERT INTO aliases (model, alias, version, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
           WHERE aliases.version <> excluded.version`,
        )
        .run(model, alias, Number(version), updatedAt);
    });
  }

  async deleteAlias(model: string, alias: string, options: CallOptions = {}): Promise<void> {
    checkModelName(model);
    checkAlias(alias);
    throwIfAborted(options.signal);
    this.write(() => {
      this.requireModel(model);
      this.db.prepare('DELETE FROM aliases WHERE model = ? AND alias = ?').run(model, alias);
    });
  }

  async listAliases(options: CallOptions = {}): Promise<AliasAssignment[]> {
    throwIfAborted(options.signal);
    const rows = this.read(
      () =>
        this.db.prepare('SELECT model, alias, version FROM aliases ORDER BY model, alias').all() as {
          model: string;
          alias: string;
          version: number;
        }[],
    );
    return rows.map((r) => ({ model: r.model, alias: r.alias, version: String(r.version) }));
  }

  /**
   * Every change of one alias, or of every alias of a model, oldest first: the history no real registry keeps.
   *
   * @throws DocketError `ERR_REGISTRY_NOT_FOUND`.
   */
  async aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    checkModelName(model);
    if (alias !== undefined) checkAlias(alias);
    const rows = this.read(() => {
      this.requireModel(model);
      return alias === undefined
        ? (this.db
            .prepare('SELECT * FROM alias_history WHERE model = ? ORDER BY seq')
            .all(model) as HistoryRow[])
        : (this.db
            .prepare('SELECT * FROM alias_history WHERE model = ? AND alias = ? ORDER BY seq')
            .all(model, alias) as HistoryRow[]);
    });
    return rows.map((r) => ({
      seq: r.seq,
      model: r.model,
      alias: r.alias,
      ...(r.from_version === null ? {} : { fromVersion: String(r.from_version) }),
      ...(r.to_version === null ? {} : { toVersion: String(r.to_version) }),
      changedAt: r.changed_at,
    }));
  }

  async fetchArtefacts(
    model: string,
    version: string,
    options: FetchOptions = {},
  ): Promise<FetchedArtefacts> {
    const found = await this.getVersion(model, version, options);
    const into = await FetchDirectory.create(options);
    try {
      const { kind, location } = found.location;
      switch (kind) {
        case 'directory':
          return await copyDirectory(location, into);
        case 'file':
          return await copyFile(location, into);
        case 'artefact-directory':
        case 'artefact-file': {
          if (this.artefacts === undefined) {
            throw new DocketError(
              RegistryErrorCode.ArtefactUnavailable,
              `version ${version} of ${model} is in the artefact store, and this registry was opened without it`,
              { details: { model, version } },
            );
          }
          const shape = kind === 'artefact-directory' ? 'directory' : 'file';
          return await restoreFromStore(this.artefacts, location as Digest, shape, into, options.signal);
        }
      }
    } catch (err) {
      await into.discard();
      throw err;
    }
  }

  async setVersionTag(
    model: string,
    version: string,
    key: string,
    value: string,
    options: CallOptions = {},
  ): Promise<void> {
    checkModelName(model);
    checkVersion(version);
    checkTag(key, value);
    throwIfAborted(options.signal);
    this.write(() => {
      this.requireVersion(model, version);
      this.db
        .prepare(
          `INSERT INTO version_tags (model, version, key, value) VALUES (?, ?, ?, ?)
           ON CONFLICT (model, version, key) DO UPDATE SET value = excluded.value`,
        )
        .run(model, Number(version), key, value);
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private hasModel(model: string): boolean {
    return this.db.prepare('SELECT 1 FROM models WHERE name = ?').get(model) !== undefined;
  }

  private requireModel(model: string): void {
    if (!this.hasModel(model)) {
      throw new DocketError(RegistryErrorCode.NotFound, `model ${JSON.stringify(model)} does not exist`, {
        details: { model },
      });
    }
  }

  private requireVersion(model: string, version: string): VersionRow {
    this.requireModel(model);
    const row = this.db
      .prepare('SELECT * FROM versions WHERE model = ? AND version = ?')
      .get(model, Number(version)) as VersionRow | undefined;
    if (row === undefined) {
      throw new DocketError(
        RegistryErrorCode.NotFound,
        `version ${version} of ${JSON.stringify(model)} does not exist`,
        {
          details: { model, version },
        },
      );
    }
    return row;
  }

  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (err instanceof DocketError) throw err;
      throw storeFailed('the local registry database cannot be read', err);
    }
  }

  // BEGIN IMMEDIATE: checks and writes of one call see one state, even with another process writing.
  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (err) {
      if (err instanceof DocketError) throw err;
      throw storeFailed('the local registry database refused the write', err);
    }
  }
}
