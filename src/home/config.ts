import { DocketError } from '../errors/index.js';
import { type AnchorTargetConfig, parseAnchorsConfig } from './anchors-config.js';
import { HomeErrorCode } from './errors.js';
import { type IdentityConfig, parseIdentityConfig } from './identity-config.js';
import { type LogStoreConfig, parseLogStoreConfig } from './log-store-config.js';
import { parseHomeRegistryConfig, type RegistryConfigEntry, registryConfigEntry } from './registry-config.js';

/** The home's config.json: where each part lives, relative to the home directory unless absolute. */
export interface DocketConfig {
  version: 1;
  /** `store`: SQLite (embedded default) or PostgreSQL (many docket processes on one log; docs/postgres.md). */
  log: { origin: string; store: LogStoreConfig };
  keys: { ledger: string; verifiers: string[] };
  artefacts: { kind: 'fs'; path: string };
  /** Trusted identity providers and the dev identity; absent: none trusted, dev identity off. */
  identity?: IdentityConfig;
  /** Where `docket anchor` writes checkpoints outside the database, and `docket log verify` reads them back. */
  anchors?: AnchorTargetConfig[];
  /** The model registry promotions move, and its target; absent: the local registry, alias `champion`. */
  registry?: RegistryConfigEntry;
}

export function defaultConfig(origin: string): DocketConfig {
  return {
    version: 1,
    log: { origin, store: { kind: 'sqlite', path: 'ledger.db' } },
    keys: { ledger: 'keys/ledger.key', verifiers: ['keys/ledger.pub'] },
    artefacts: { kind: 'fs', path: 'artefacts' },
  };
}

const MAX_CONFIG_BYTES = 256 * 1024;

/** Parses config.json as hostile input: unknown fields, wrong types and unknown backends are refused. */
export function parseConfig(text: string, source: string): DocketConfig {
  const fail = (why: string, cause?: unknown): never => {
    throw new DocketError(HomeErrorCode.ConfigInvalid, `${source}: ${why}`, { details: { source }, cause });
  };
  if (text.length > MAX_CONFIG_BYTES) fail('larger than 256 KiB');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    fail('not valid JSON', cause);
  }
  const obj = record(raw, '', fail);
  only(obj, ['version', 'log', 'keys', 'artefacts', 'identity', 'anchors', 'registry'], '', fail);
  if (obj.version !== 1) fail('version must be 1');
  const log = record(obj.log, 'log', fail);
  only(log, ['origin', 'store'], 'log', fail);
  const store = parseLogStoreConfig(log.store, fail);
  const keys = record(obj.keys, 'keys', fail);
  only(keys, ['ledger', 'verifiers'], 'keys', fail);
  const verifiers = keys.verifiers;
  if (!Array.isArray(verifiers) || verifiers.length === 0 || !verifiers.every((v) => typeof v === 'string')) {
    fail('keys.verifiers must be a non-empty list of paths');
  }
  const artefacts = record(obj.artefacts, 'artefacts', fail);
  only(artefacts, ['kind', 'path'], 'artefacts', fail);
  if (artefacts.kind !== 'fs') fail('artefacts.kind must be "fs"');
  return {
    version: 1,
    log: {
      origin: str(log.origin, 'log.origin', fail),
      store,
    },
    keys: { ledger: str(keys.ledger, 'keys.ledger', fail), verifiers: verifiers as string[] },
    artefacts: { kind: 'fs', path: str(artefacts.path, 'artefacts.path', fail) },
    ...(obj.identity === undefined ? {} : { identity: parseIdentityConfig(obj.identity, fail) }),
    ...(obj.anchors === undefined ? {} : { anchors: parseAnchorsConfig(obj.anchors, fail) }),
    ...(obj.registry === undefined
      ? {}
      : { registry: registryConfigEntry(obj.registry, parseHomeRegistryConfig(obj.registry, source, fail)) }),
  };
}

type Fail = (why: string) => never;

function record(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`${path || 'the root'} must be an object`);
  }
  return value as Record<string, unknown>;
}

function only(obj: Record<string, unknown>, allowed: string[], path: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(`unknown field ${path ? `${path}.` : ''}${key}`);
  }
}

function str(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0) return fail(`${path} must be a non-empty string`);
  return value;
}
