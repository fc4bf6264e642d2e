import { isAbsolute, join } from 'node:path';
import type { LogStore } from '../ledger/store/index.js';

/**
 * Where the log lives, as config.json spells it under `log.store`. PostgreSQL credentials never live in the file:
 * `url` names host, database and role only (the password comes from PGPASSWORD or ~/.pgpass, as for psql), or
 * `urlEnv` names the environment variable holding the whole URL.
 *
 * @example
 * { "kind": "postgres", "url": "postgres://docket@db.internal:5432/ledger?sslmode=verify-full", "poolSize": 20 }
 */
export type LogStoreConfig =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      url?: string;
      urlEnv?: string;
      schema?: string;
      poolSize?: number;
      lockTimeoutMs?: number;
      /** Migrate on open as the configured role (single-role setups); otherwise the migration role does it. */
      migrate?: boolean;
    };

type Fail = (why: string) => never;

const POSTGRES_FIELDS = ['kind', 'url', 'urlEnv', 'schema', 'poolSize', 'lockTimeoutMs', 'migrate'];

/** Parses `log.store` of config.json as hostile input: unknown fields and a password in the file are refused. */
export function parseLogStoreConfig(value: unknown, fail: Fail): LogStoreConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('log.store must be an object');
  const s = value as Record<string, unknown>;
  const allowed =
    s.kind === 'sqlite' ? ['kind', 'path'] : s.kind === 'postgres' ? POSTGRES_FIELDS : undefined;
  if (allowed === undefined) return fail('log.store.kind must be "sqlite" or "postgres"');
  for (const key of Object.keys(s)) if (!allowed.includes(key)) fail(`unknown field log.store.${key}`);
  const text = (key: string): string | undefined => {
    const v = s[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0) return fail(`log.store.${key} must be a non-empty string`);
    return v;
  };
  const count = (key: string): number | undefined => {
    const v = s[key];
    if (v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      return fail(`log.store.${key} must be a positive integer`);
    return v as number;
  };
  if (s.kind === 'sqlite') {
    const path = text('path');
    return path === undefined ? fail('log.store.path must be a non-empty string') : { kind: 'sqlite', path };
  }
  const url = text('url');
  const urlEnv = text('urlEnv');
  if ((url === undefined) === (urlEnv === undefined)) fail('log.store needs exactly one of url and urlEnv');
  if (url !== undefined) assertNoPassword(url, fail);
  if (s.migrate !== undefined && typeof s.migrate !== 'boolean')
    fail('log.store.migrate must be true or false');
  const schema = text('schema');
  const poolSize = count('poolSize');
  const lockTimeoutMs = count('lockTimeoutMs');
  return {
    kind: 'postgres',
    ...(url === undefined ? {} : { url }),
    ...(urlEnv === undefined ? {} : { urlEnv }),
    ...(schema === undefined ? {} : { schema }),
    ...(poolSize === undefined ? {} : { poolSize }),
    ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
    ...(s.migrate === true ? { migrate: true } : {}),
  };
}

function assertNoPassword(url: string, fail: Fail): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail('log.store.url is not a URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    fail('log.store.url must be a postgres:// URL');
  }
  if (parsed.password !== '' || parsed.searchParams.has('password')) {
    fail('log.store.url carries a password: use PGPASSWORD or ~/.pgpass, or put the whole URL in urlEnv');
  }
}

/**
 * Opens the configured log store. PostgreSQL is loaded only when configured, so an embedded (SQLite) docket never
 * loads the driver. A missing `urlEnv` variable is a configuration error, reported through `fail`.
 */
export async function openLogStore(
  home: string,
  config: LogStoreConfig,
  options: { create?: boolean; readonly?: boolean },
  fail: Fail,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LogStore> {
  if (config.kind === 'sqlite') {
    const { SqliteLogStore } = await import('../ledger/sqlite/index.js');
    return SqliteLogStore.open(isAbsolute(config.path) ? config.path : join(home, config.path), options);
  }
  const fromEnv = config.urlEnv === undefined ? undefined : env[config.urlEnv];
  const connectionString =
    config.url ??
    (fromEnv === undefined || fromEnv === ''
      ? fail(`log.store.urlEnv names ${config.urlEnv}, which is not set in the environment`)
      : fromEnv);
  const { PostgresLogStore } = await import('../ledger/postgres/index.js');
  return PostgresLogStore.open({
    connectionString,
    ...(config.schema === undefined ? {} : { schema: config.schema }),
    ...(config.poolSize === undefined ? {} : { poolSize: config.poolSize }),
    ...(config.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: config.lockTimeoutMs }),
    ...(config.migrate === true && options.readonly !== true ? { migrate: true } : {}),
  });
}
