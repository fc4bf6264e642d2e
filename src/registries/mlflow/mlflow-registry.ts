import { compareUtf8 } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { FetchDirectory } from '../fetch-directory.js';
import type {
  AliasAssignment,
  CallOptions,
  FetchedArtefacts,
  FetchOptions,
  LegacyStage,
  LegacyStages,
  ModelRegistry,
  RegistryModelVersion,
  StageAssignment,
} from '../model-registry.js';
import { checkAlias, checkModelName, checkTag, checkVersion, parseStage } from '../names.js';
import { downloadArtifacts } from './artifact-download.js';
import { type ArtifactLocation, joinArtifactPath, parseArtifactUri } from './artifact-location.js';
import { MlflowHttp } from './http.js';
import {
  invalid,
  parseDownloadUri,
  parseModelVersionResponse,
  parseRegisteredModelResponse,
  parseRunArtifactUri,
  parseSearchPage,
  type RegisteredModelSummary,
} from './responses.js';
import { mlflowRegistryId, parseTrackingUri, type TrackingUri } from './tracking-uri.js';

/** Default per-request timeout (for a download: the longest wait for the next bytes). */
export const DEFAULT_MLFLOW_TIMEOUT_MS = 30_000;
/** Default bound of one JSON answer. */
export const DEFAULT_MLFLOW_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** MLflow's own maximum `max_results` of registered-models/search. */
const SEARCH_PAGE_SIZE = 1000;
/** A server handing out pages forever is refused past this many. */
const MAX_SEARCH_PAGES = 10_000;

/** Options of {@link MlflowRegistry}. */
export interface MlflowRegistryOptions {
  /** The tracking server, e.g. `http://127.0.0.1:5000`: http(s), without credentials. */
  readonly trackingUri: string;
  /** Use MLflow's legacy stages (`registry.stages`) as well as aliases; off by default (stages are deprecated). */
  readonly legacyStages?: boolean;
  /** See {@link DEFAULT_MLFLOW_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** See {@link DEFAULT_MLFLOW_MAX_RESPONSE_BYTES}. */
  readonly maxResponseBytes?: number;
  /** The Authorization header value for a server behind authentication (`Bearer <token>`, `Basic <…>`). */
  readonly authorization?: string;
}

/**
 * The MLflow Model Registry over its REST API (`/api/2.0/mlflow/…`) with `fetch`: registered models, versions,
 * aliases, version tags, legacy stages when configured, and artefact download through the tracking server's
 * artifact proxy. Every answer is parsed as hostile input (`responses.ts`); every request has a deadline.
 *
 * @example
 * const registry = new MlflowRegistry({ trackingUri: 'http://127.0.0.1:5000' });
 * const current = await registry.resolveAlias('credit', 'champion');
 * await registry.setAlias('credit', 'champion', '17');
 */
export class MlflowRegistry implements ModelRegistry {
  readonly id: string;
  readonly stages?: LegacyStages;
  private readonly http: MlflowHttp;
  private readonly tracking: TrackingUri;

  /** @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT` for a bad tracking URI or limit. */
  constructor(options: MlflowRegistryOptions) {
    const uri = parseTrackingUri(options.trackingUri);
    const timeoutMs = positive(options.timeoutMs ?? DEFAULT_MLFLOW_TIMEOUT_MS, 'timeoutMs');
    const maxResponseBytes = positive(
      options.maxResponseBytes ?? DEFAULT_MLFLOW_MAX_RESPONSE_BYTES,
      'maxResponseBytes',
    );
    this.id = mlflowRegistryId(uri);
    this.tracking = uri;
    this.http = new MlflowHttp(uri, {
      timeoutMs,
      maxResponseBytes,
      ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
    });
    if (options.legacyStages === true) this.stages = this.legacyStages();
  }

  async getVersion(model: string, version: string, options: CallOptions = {}): Promise<RegistryModelVersion> {
    checkModelName(model);
    checkVersion(version);
    const body = await this.http.json(
      'GET',
      'mlflow/model-versions/get',
      { query: { name: model, version } },
      options.signal,
    );
    return parseModelVersionResponse(body, this.id, model, version);
  }

  // registered-models/get rather than GET registered-models/alias: the latter answers 404 both for a missing model
  // and for an unset alias, and only its message text would tell them apart.
  async resolveAlias(model: string, alias: string, options: CallOptions = {}): Promise<string | undefined> {
    checkModelName(model);
    checkAlias(alias);
    const summary = await this.registeredModel(model, options.signal);
    return summary.aliases.find((a) => a.alias === alias)?.version;
  }

  async setAlias(model: string, alias: string, version: string, options: CallOptions = {}): Promise<void> {
    checkModelName(model);
    checkAlias(alias);
    checkVersion(version);
    await this.http.json(
      'POST',
      'mlflow/registered-models/alias',
      { body: { name: model, alias, version } },
      options.signal,
    );
  }

  // MLflow reads a DELETE's arguments from its JSON body (handlers.py `_get_request_message`), and deleting an
  // unset alias of an existing model succeeds.
  async deleteAlias(model: string, alias: string, options: CallOptions = {}): Promise<void> {
    checkModelName(model);
    checkAlias(alias);
    await this.http.json(
      'DELETE',
      'mlflow/registered-models/alias',
      { body: { name: model, alias } },
      options.signal,
    );
  }

  async listAliases(options: CallOptions = {}): Promise<AliasAssignment[]> {
    const models = await this.allModels(options.signal);
    return models
      .flatMap((m) => m.aliases)
      .sort((a, b) => compareUtf8(a.model, b.model) || compareUtf8(a.alias, b.alias));
  }

  async fetchArtefacts(
    model: string,
    version: string,
    options: FetchOptions = {},
  ): Promise<FetchedArtefacts> {
    checkModelName(model);
    checkVersion(version);
    const body = await this.http.json(
      'GET',
      'mlflow/model-versions/get-download-uri',
      { query: { name: model, version } },
      options.signal,
    );
    const root = await this.proxyRoot(
      parseArtifactUri(parseDownloadUri(body), this.tracking),
      options.signal,
    );
    const into = await FetchDirectory.create(options);
    try {
      return await downloadArtifacts(this.http, root, into, options.signal);
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
    await this.http.json(
      'POST',
      'mlflow/model-versions/set-tag',
      { body: { name: model, version, key, value } },
      options.signal,
    );
  }

  async close(): Promise<void> {}

  private legacyStages(): LegacyStages {
    return {
      stageVersion: async (model, stage, options = {}) => {
        checkModelName(model);
        const wanted = parseStage(stage);
        const summary = await this.registeredModel(model, options.signal);
        return summary.latestByStage.find((s) => s.stage === wanted)?.version;
      },
      transitionStage: async (model, version, stage, options = {}) => {
        checkModelName(model);
        checkVersion(version);
        const wanted: LegacyStage = parseStage(stage);
        const archive = options.archiveExisting === true;
        if (archive && wanted !== 'Staging' && wanted !== 'Production') {
          throw new DocketError(
            RegistryErrorCode.InvalidArgument,
            `archiveExisting applies to Staging and Production only`,
          );
        }
        const body = await this.http.json(
          'POST',
          'mlflow/model-versions/transition-stage',
          { body: { name: model, version, stage: wanted, archive_existing_versions: archive } },
          options.signal,
        );
        const moved = parseModelVersionResponse(body, this.id, model, version);
        if (moved.stage !== wanted)
          throw invalid(`the transition answered stage ${String(moved.stage)}, not ${wanted}`);
      },
      listStages: async (options = {}): Promise<StageAssignment[]> => {
        const models = await this.allModels(options.signal);
        return models
          .flatMap((m) => m.latestByStage.filter((s) => s.stage !== 'None'))
          .sort((a, b) => compareUtf8(a.model, b.model) || compareUtf8(a.stage, b.stage));
      },
    };
  }

  private async registeredModel(
    model: string,
    signal: AbortSignal | undefined,
  ): Promise<RegisteredModelSummary> {
    const body = await this.http.json(
      'GET',
      'mlflow/registered-models/get',
      { query: { name: model } },
      signal,
    );
    return parseRegisteredModelResponse(body, model);
  }

  private async allModels(signal: AbortSignal | undefined): Promise<RegisteredModelSummary[]> {
    const models: RegisteredModelSummary[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
      const query: Record<string, string> = { max_results: String(SEARCH_PAGE_SIZE) };
      if (token !== undefined) query.page_token = token;
      const parsed = parseSearchPage(
        await this.http.json('GET', 'mlflow/registered-models/search', { query }, signal),
      );
      models.push(...parsed.models);
      token = parsed.nextPageToken;
      if (token === undefined) {
        const names = new Set(models.map((m) => m.name));
        if (names.size !== models.length) throw invalid('registered-models/search listed a model twice');
        return models;
      }
      if (seenTokens.has(token)) throw invalid('registered-models/search repeated a page token');
      seenTokens.add(token);
    }
    throw invalid(`registered-models/search did not end within ${MAX_SEARCH_PAGES} pages`);
  }

  // A `runs:/` source is resolved through the run's own artifact URI, which must itself be served by the proxy.
  private async proxyRoot(location: ArtifactLocation, signal: AbortSignal | undefined): Promise<string> {
    if (location.kind === 'proxy') return location.path;
    const body = await this.http.json(
      'GET',
      'mlflow/runs/get',
      { query: { run_id: location.runId } },
      signal,
    );
    const runRoot = parseArtifactUri(parseRunArtifactUri(body, location.runId), this.tracking);
    if (runRoot.kind !== 'proxy') throw invalid('a run’s artifact URI points at another run');
    return joinArtifactPath(runRoot.path, location.path);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new DocketError(RegistryErrorCode.InvalidArgument, `${name} must be a positive integer`, {
      details: { [name]: value },
    });
  }
  return value;
}
