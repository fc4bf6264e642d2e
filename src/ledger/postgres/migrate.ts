import { Client } from 'pg';
import { DocketError } from '../../errors/index.js';
import { LedgerErrorCode } from '../errors.js';
import { logSchema } from './log-schema.js';
import { storeFailure } from './pg-failure.js';
import { bootstrapSql, grantsSql, migrations } from './schema.js';

export interface MigratePostgresLogOptions {
  /** Connection string of the migration role: it owns (or may create) the schema. */
  connectionString: string;
  /** The schema holding the log (default `docket`). */
  schema?: string;
  /** The service role docket runs as: granted SELECT and INSERT on the log tables and nothing more. */
  runtimeRole?: string;
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/** The schema version this docket writes and reads. */
export const POSTGRES_SCHEMA_VERSION = migrations.length;

/**
 * Brings a log schema up to date: runs every migration not yet recorded in `schema_migrations`, in order, in one
 * transaction (PostgreSQL DDL is transactional: all or nothing), under an advisory lock so that docket processes
 * starting together migrate once. Then (re)applies the service role's grants. Refuses a schema newer than this
 * docket (ERR_LEDGER_OPEN).
 *
 * @example
 * await migratePostgresLog({ connectionString: 'postgres://docket_migrator@db/ledger', runtimeRole: 'docket' });
 */
export async function migratePostgresLog(options: MigratePostgresLogOptions): Promise<MigrationResult> {
  const schema = logSchema(options.schema);
  const client = new Client({ connectionString: options.connectionString });
  try {
    await client.connect();
  } catch (cause) {
    throw storeFailure(cause, LedgerErrorCode.Open, 'cannot connect to migrate the log schema');
  }
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...schema.migrationLock]);
    await client.query(bootstrapSql(schema.quoted));
    const done = await client.query<{ version: number }>(
      `SELECT version FROM ${schema.quoted}.schema_migrations ORDER BY version`,
    );
    const applied = new Set(done.rows.map((r) => r.version));
    const from = Math.max(0, ...applied);
    if (from > migrations.length) {
      throw new DocketError(
        LedgerErrorCode.Open,
        `log schema ${schema.name} is at version ${from}, newer than this docket (knows ${migrations.length})`,
        { details: { schema: schema.name, version: from, known: migrations.length } },
      );
    }
    const ran: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(schema.quoted));
      await client.query(`INSERT INTO ${schema.quoted}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      ran.push(migration.version);
    }
    if (options.runtimeRole !== undefined) await client.query(grantsSql(schema.quoted, options.runtimeRole));
    await client.query('COMMIT');
    return { from, to: migrations.length, applied: ran };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw storeFailure(err, LedgerErrorCode.Open, `cannot migrate log schema ${schema.name}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
