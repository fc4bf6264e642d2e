import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import type { RegistryModelVersion } from '../model-registry.js';
import { hasUnprintable } from '../text.js';
import type { StoredLocation } from './location.js';

/** The registry id of the local registry. */
export const LOCAL_REGISTRY_ID = 'local';

const MAX_RUN_ID_LENGTH = 256;

/** A registered model of the local registry. */
export interface LocalModel {
  readonly name: string;
  readonly createdAt: string;
}

/** A local version: the interface's view plus the structured location. */
export interface LocalModelVersion extends RegistryModelVersion {
  readonly location: StoredLocation;
}

/** One row of the alias history: `fromVersion` absent when the alias was set anew, `toVersion` when deleted. */
export interface AliasChange {
  readonly seq: number;
  readonly model: string;
  readonly alias: string;
  readonly fromVersion?: string;
  readonly toVersion?: string;
  readonly changedAt: string;
}

export interface ModelRow {
  name: string;
  created_at: string;
}
export interface VersionRow {
  model: string;
  version: number;
  location_kind: StoredLocation['kind'];
  location: string;
  run_id: string | null;
  created_at: string;
}
export interface HistoryRow {
  seq: number;
  model: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  changed_at: string;
}

/** A version row as the interface reports it. */
export function toVersion(row: VersionRow): LocalModelVersion {
  return {
    registry: LOCAL_REGISTRY_ID,
    model: row.model,
    version: String(row.version),
    source: row.location,
    ...(row.run_id === null ? {} : { runId: row.run_id }),
    status: 'ready',
    createdAt: row.created_at,
    location: { kind: row.location_kind, location: row.location },
  };
}

/** Checks an optional run id: 1 to 256 printable characters. */
export function checkRunId(runId: unknown): void {
  if (
    typeof runId !== 'string' ||
    runId.length === 0 ||
    runId.length > MAX_RUN_ID_LENGTH ||
    hasUnprintable(runId)
  ) {
    throw new DocketError(
      RegistryErrorCode.InvalidArgument,
      `a run id must be 1 to ${MAX_RUN_ID_LENGTH} printable characters`,
    );
  }
}

/** Now, as stored: ISO 8601 UTC with milliseconds. */
export function now(): string {
  return new Date().toISOString();
}
