import { DocketError, isDocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import type {
  AliasAssignment,
  LegacyStage,
  RegistryModelVersion,
  StageAssignment,
} from '../model-registry.js';
import { checkAlias, checkModelName, checkVersion, parseStage } from '../names.js';
import { printable } from '../text.js';

/**
 * Parsers of MLflow's answers (mlflow/protos/model_registry.proto, mlflow_artifacts.proto, in their JSON form):
 * each narrows `unknown` to what docket uses, checks that the answer is about what was asked (a version answer
 * naming another model is refused), and turns anything else into `ERR_REGISTRY_RESPONSE_INVALID`. Unknown fields
 * are ignored: MLflow adds some in most releases.
 */

const MAX_SOURCE_LENGTH = 8192;
const MAX_RUN_ID_LENGTH = 256;
const MAX_PAGE_TOKEN_LENGTH = 4096;

type Json = Record<string, unknown>;

const MLFLOW_STATUS = {
  READY: 'ready',
  PENDING_REGISTRATION: 'pending',
  FAILED_REGISTRATION: 'failed',
} as const;

/** `GET model-versions/get` → the version, checked to be the one asked for. */
export function parseModelVersionResponse(
  body: Json,
  registry: string,
  model: string,
  version: string,
): RegistryModelVersion {
  const parsed = parseModelVersion(object(body, 'model_version', 'the answer'), 'model_version', registry);
  if (parsed.model !== model || parsed.version !== version) {
    throw invalid(`the registry answered about version ${parsed.version} of ${JSON.stringify(parsed.model)}`);
  }
  return parsed;
}

/** The aliases and, per stage, latest versions of one registered model. */
export interface RegisteredModelSummary {
  readonly name: string;
  readonly aliases: readonly AliasAssignment[];
  readonly latestByStage: readonly StageAssignment[];
}

/** `GET registered-models/get` → the model's aliases and latest version per stage, checked to be the model asked for. */
export function parseRegisteredModelResponse(body: Json, model: string): RegisteredModelSummary {
  const summary = parseRegisteredModel(object(body, 'registered_model', 'the answer'), 'registered_model');
  if (summary.name !== model)
    throw invalid(`the registry answered about model ${JSON.stringify(summary.name)}`);
  return summary;
}

/** `GET registered-models/search` → one page of models and the next page token. */
export function parseSearchPage(body: Json): { models: RegisteredModelSummary[]; nextPageToken?: string } {
  const list = optionalArray(body, 'registered_models', 'the answer');
  const models = list.map((item, index) =>
    parseRegisteredModel(asObject(item, `registered_models[${index}]`), `registered_models[${index}]`),
  );
  const token = optionalString(body, 'next_page_token', 'the answer', MAX_PAGE_TOKEN_LENGTH);
  return token === undefined || token === '' ? { models } : { models, nextPageToken: token };
}

/** `GET model-versions/get-download-uri` → the artifact URI. */
export function parseDownloadUri(body: Json): string {
  const uri = requiredString(body, 'artifact_uri', 'the answer', MAX_SOURCE_LENGTH);
  if (uri.length === 0) throw invalid('artifact_uri is empty');
  return uri;
}

/** `GET runs/get` → the run's artifact root URI. */
export function parseRunArtifactUri(body: Json, runId: string): string {
  const info = object(object(body, 'run', 'the answer'), 'info', 'run');
  const id = optionalString(info, 'run_id', 'run.info', MAX_RUN_ID_LENGTH);
  if (id !== undefined && id !== runId)
    throw invalid(`the registry answered about run ${JSON.stringify(id)}`);
  return requiredString(info, 'artifact_uri', 'run.info', MAX_SOURCE_LENGTH);
}

/** One entry of an artifact directory listing: a bare name, as the proxy lists basenames. */
export interface ArtifactEntry {
  readonly name: string;
  readonly isDir: boolean;
  readonly size?: number;
}

/** `GET mlflow-artifacts/artifacts?path=` → the entries (an empty answer `{}` is an empty list). */
export function parseArtifactListing(body: Json): ArtifactEntry[] {
  return optionalArray(body, 'files', 'the answer').map((item, index) => {
    const where = `files[${index}]`;
    const entry = asObject(item, where);
    const name = requiredString(entry, 'path', where, 1024);
    const isDir = optionalBoolean(entry, 'is_dir', where) ?? false;
    const size = optionalInteger(entry, 'file_size', where);
    return size === undefined || isDir ? { name, isDir } : { name, isDir, size };
  });
}

function parseModelVersion(record: Json, where: string, registry: string): RegistryModelVersion {
  const model = checked(field(record, 'name'), `${where}.name`, checkModelName);
  const version = checked(field(record, 'version'), `${where}.version`, checkVersion);
  const source = optionalString(record, 'source', where, MAX_SOURCE_LENGTH) ?? '';
  const runId = optionalString(record, 'run_id', where, MAX_RUN_ID_LENGTH);
  const stageText = optionalString(record, 'current_stage', where, 32);
  const stage = stageText === undefined ? undefined : checkedStage(stageText, `${where}.current_stage`);
  const statusText = optionalString(record, 'status', where, 64) ?? 'READY';
  if (!Object.hasOwn(MLFLOW_STATUS, statusText))
    throw invalid(`${where}.status ${JSON.stringify(printable(statusText))} is unknown`);
  const created = optionalInteger(record, 'creation_timestamp', where);
  return {
    registry,
    model,
    version,
    source,
    ...(runId === undefined || runId === '' ? {} : { runId }),
    status: MLFLOW_STATUS[statusText as keyof typeof MLFLOW_STATUS],
    ...(stage === undefined ? {} : { stage }),
    ...(created === undefined ? {} : { createdAt: new Date(created).toISOString() }),
  };
}

function parseRegisteredModel(record: Json, where: string): RegisteredModelSummary {
  const name = checked(field(record, 'name'), `${where}.name`, checkModelName);
  const aliases = optionalArray(record, 'aliases', where).map((item, index) => {
    const at = `${where}.aliases[${index}]`;
    const entry = asObject(item, at);
    const alias = checked(field(entry, 'alias'), `${at}.alias`, checkAlias);
    const version = checked(field(entry, 'version'), `${at}.version`, checkVersion);
    return { model: name, alias, version };
  });
  const latestByStage = optionalArray(record, 'latest_versions', where).flatMap((item, index) => {
    const at = `${where}.latest_versions[${index}]`;
    const entry = asObject(item, at);
    const version = checked(field(entry, 'version'), `${at}.version`, checkVersion);
    const stage = checkedStage(field(entry, 'current_stage'), `${at}.current_stage`);
    return [{ model: name, stage, version }];
  });
  const seen = new Set<string>();
  for (const a of aliases) {
    if (seen.has(a.alias)) throw invalid(`${where} lists alias ${a.alias} twice`);
    seen.add(a.alias);
  }
  return { name, aliases, latestByStage };
}

function field(record: Json, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function object(record: Json, key: string, where: string): Json {
  return asObject(field(record, key), `${where}.${key}`);
}

function asObject(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${where} is not an object`);
  return value as Json;
}

function optionalArray(record: Json, key: string, where: string): unknown[] {
  const value = field(record, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${where}.${key} is not an array`);
  return value;
}

function requiredString(record: Json, key: string, where: string, max: number): string {
  const value = optionalString(record, key, where, max);
  if (value === undefined) throw invalid(`${where}.${key} is missing`);
  return value;
}

function optionalString(record: Json, key: string, where: string, max: number): string | undefined {
  const value = field(record, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${where}.${key} is not a string`);
  if (value.length > max) throw invalid(`${where}.${key} is longer than ${max} characters`);
  return value;
}

function optionalBoolean(record: Json, key: string, where: string): boolean | undefined {
  const value = field(record, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(`${where}.${key} is not a boolean`);
  return value;
}

// Protobuf's JSON mapping may spell int64 as a number or as a decimal string.
function optionalInteger(record: Json, key: string, where: string): number | undefined {
  const value = field(record, key);
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw invalid(`${where}.${key} is not a non-negative integer`);
  }
  return number;
}

// Runs a names.ts check on a value from the server: a bad value is the server's fault, not the caller's.
function checked(value: unknown, where: string, check: (value: unknown) => asserts value is string): string {
  try {
    check(value);
    return value;
  } catch (err) {
    throw serverFault(err, where, value);
  }
}

function checkedStage(value: unknown, where: string): LegacyStage {
  try {
    return parseStage(value);
  } catch (err) {
    throw serverFault(err, where, value);
  }
}

function serverFault(err: unknown, where: string, value: unknown): unknown {
  if (!isDocketError(err, RegistryErrorCode.InvalidArgument)) return err;
  const shown = typeof value === 'string' ? JSON.stringify(printable(value.slice(0, 128))) : typeof value;
  return invalid(`${where} ${shown} is not acceptable: ${err.message}`, err);
}

/** `ERR_REGISTRY_RESPONSE_INVALID` with the place in the answer that was wrong. */
export function invalid(message: string, cause?: unknown): DocketError {
  return new DocketError(
    RegistryErrorCode.ResponseInvalid,
    `invalid answer from the MLflow registry: ${message}`,
    {
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
