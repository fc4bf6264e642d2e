import { Client } from 'pg';
import type { TestDatabase, TestPostgresServer } from '../../../test-support/postgres-server.js';
import type { LogStoreFixture } from '../../test-support/log-store-conformance.js';
import { migratePostgresLog } from '../migrate.js';
import { PostgresLogStore, type PostgresLogStoreOptions } from '../postgres-log-store.js';
import { LOG_TABLES } from '../schema.js';

/** `?` placeholders (the conformance suite's portable SQL) to PostgreSQL's `$1, $2, ...`. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Runs `use` on a client of `url` whose search_path is the log schema, so that unqualified table names work. */
export async function withClient<T>(
  url: string,
  use: (client: Client) => Promise<T>,
  schema = 'docket',
): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A fresh database, migrated by the owner role, granted to the service role. */
export async function migratedDatabase(server: TestPostgresServer): Promise<TestDatabase> {
  const db = await server.createDatabase();
  await migratePostgresLog({ connectionString: db.ownerUrl, runtimeRole: server.roles.runtime });
  return db;
}

/**
 * The conformance fixture for PostgreSQL: the store connects as the restricted `docket` role; `exec` runs as the
 * owner (the most privileged docket role, guards in force); `tamper` is the owner disabling its own triggers and
 * the entry_keys foreign key first, as an operator rewriting history would.
 */
export async function postgresLogFixture(
  server: TestPostgresServer,
  options: Partial<PostgresLogStoreOptions> = {},
): Promise<LogStoreFixture & { db: TestDatabase }> {
  const db = await migratedDatabase(server);
  const open = () => PostgresLogStore.open({ ...options, connectionString: db.runtimeUrl });
  const store = await open();
  const others: PostgresLogStore[] = [];
  return {
    db,
    store,
    async openAnother() {
      const other = await open();
      others.push(other);
      return other;
    },
    async exec(sql, params = []) {
      await withClient(db.ownerUrl, async (client) => {
        await client.query(numbered(sql), [...params]);
      });
    },
    async tamper(sql, params = []) {
      await withClient(db.ownerUrl, async (client) => {
        await client.query('BEGIN');
        for (const table of LOG_TABLES) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
        await client.query('ALTER TABLE entry_keys DROP CONSTRAINT IF EXISTS entry_keys_idx_fkey');
        await client.query(numbered(sql), [...params]);
        for (const table of LOG_TABLES) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
        await client.query('COMMIT');
      });
    },
    async cleanup() {
      await Promise.all([store, ...others].map((s) => s.close().catch(() => undefined)));
    },
  };
}
