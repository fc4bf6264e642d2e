import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigner } from '../../keys/index.js';
import { startPostgresServer, type TestPostgresServer } from '../../test-support/postgres-server.js';
import { LedgerErrorCode } from '../errors.js';
import { Ledger } from '../ledger.js';
import { hashLeaf } from '../merkle/index.js';
import { codeOf } from '../test-support/log-store-conformance.js';
import { sampleRecord } from '../test-support/temp-ledger.js';
import { logSchema } from './log-schema.js';
import { migratePostgresLog, POSTGRES_SCHEMA_VERSION } from './migrate.js';
import { PostgresLogStore } from './postgres-log-store.js';
import { LOG_TABLES } from './schema.js';
import { migratedDatabase, withClient } from './test-support/postgres-log-fixture.js';

let server: TestPostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

const entry = (text: string, key = 'k') => ({
  leafHash: hashLeaf(new TextEncoder().encode(text)),
  envelope: new TextEncoder().encode(text),
  recordType: 'artefact',
  recordedAt: 'now',
  keys: [{ key, value: 'v' }],
});

async function openedLedger(url: string) {
  const store = await PostgresLogStore.open({ connectionString: url });
  const ledger = new Ledger({ store, signer: generateSigner('pg.docket.local/ledger') });
  await ledger.initialise();
  await ledger.append([sampleRecord('a'), sampleRecord('b')]);
  return { store, ledger };
}

describe('PostgreSQL roles and guards', () => {
  it('grants the service role SELECT and INSERT on the log tables, and no UPDATE, DELETE or TRUNCATE', async () => {
    const db = await migratedDatabase(server);
    await withClient(db.adminUrl, async (admin) => {
      for (const table of LOG_TABLES) {
        const { rows } = await admin.query<Record<string, boolean>>(
          `SELECT has_table_privilege('docket', $1, 'SELECT') AS select,
                  has_table_privilege('docket', $1, 'INSERT') AS insert,
                  has_table_privilege('docket', $1, 'UPDATE') AS update,
                  has_table_privilege('docket', $1, 'DELETE') AS delete,
                  has_table_privilege('docket', $1, 'TRUNCATE') AS truncate`,
          [`docket.${table}`],
        );
        expect({ table, ...rows[0] }).toEqual({
          table,
          select: true,
          insert: true,
          update: false,
          delete: false,
          truncate: false,
        });
      }
      const owner = await admin.query<{ owner: string; create: boolean }>(
        `SELECT nspowner::regrole::text AS owner, has_schema_privilege('docket', 'docket', 'CREATE') AS create
           FROM pg_namespace WHERE nspname = 'docket'`,
      );
      expect(owner.rows[0]).toEqual({ owner: server.roles.owner, create: false });
    });
  });

  it.each([
    'UPDATE entries SET record_type = record_type',
    'DELETE FROM checkpoints',
    'TRUNCATE entry_keys',
    'ALTER TABLE entries DISABLE TRIGGER USER',
    'DROP TABLE log_meta',
    'CREATE TABLE docket.extra (x int)',
  ])('refuses the service role: %s', async (sql) => {
    const db = await migratedDatabase(server);
    const { store } = await openedLedger(db.runtimeUrl);
    await store.close();
    await expect(withClient(db.runtimeUrl, (c) => c.query(sql))).rejects.toThrow(
      /permission denied|must be owner/,
    );
  });

  it.each(LOG_TABLES)(
    'refuses even the owner TRUNCATE %s, and a DELETE that matches no row',
    async (table) => {
      const db = await migratedDatabase(server);
      const { store } = await openedLedger(db.runtimeUrl);
      await store.close();
      await expect(withClient(db.ownerUrl, (c) => c.query(`TRUNCATE ${table} CASCADE`))).rejects.toThrow(
        /append-only/,
      );
      await expect(
        withClient(db.ownerUrl, (c) => c.query(`DELETE FROM ${table} WHERE false`)),
      ).rejects.toThrow(/append-only/);
    },
  );

  it('refuses a tree node beyond the log, and names the guard when an append breaks sequencing', async () => {
    const db = await migratedDatabase(server);
    const { store } = await openedLedger(db.runtimeUrl);
    try {
      await expect(
        withClient(db.ownerUrl, (c) =>
          c.query('INSERT INTO tree_nodes (level, idx, hash) VALUES (1, 1, $1)', [Buffer.alloc(32)]),
        ),
      ).rejects.toThrow(/beyond the log/);
      const err = await store
        .appendTransaction(async (tx) => tx.insertEntries(5, [entry('x')]))
        .catch((e) => e);
      expect(err).toMatchObject({
        code: LedgerErrorCode.Append,
        details: { sqlstate: 'DK002', guard: 'OutOfSequence' },
      });
      expect(err.cause).toBeInstanceOf(Error);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL migrations', () => {
  it('records each version in schema_migrations and migrates once when many processes start together', async () => {
    const db = await server.createDatabase();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        migratePostgresLog({ connectionString: db.ownerUrl, runtimeRole: server.roles.runtime }),
      ),
    );
    expect(runs.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, POSTGRES_SCHEMA_VERSION]);
    expect(runs.every((r) => r.to === POSTGRES_SCHEMA_VERSION)).toBe(true);
    const again = await migratePostgresLog({
      connectionString: db.ownerUrl,
      runtimeRole: server.roles.runtime,
    });
    expect(again).toEqual({ from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION, applied: [] });
    const rows = await withClient(
      db.runtimeUrl,
      async (c) => (await c.query('SELECT version, name FROM schema_migrations')).rows,
    );
    expect(rows).toEqual([{ version: 1, name: expect.any(String) }]);
  });

  it('refuses to open a database that was never migrated, or whose schema is newer than this docket', async () => {
    const bare = await server.createDatabase();
    const err = await PostgresLogStore.open({ connectionString: bare.runtimeUrl }).catch((e) => e);
    expect(err).toMatchObject({
      code: LedgerErrorCode.Open,
      message: expect.stringMatching(/run the migrations/),
    });

    const db = await migratedDatabase(server);
    await withClient(db.ownerUrl, (c) =>
      c.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')"),
    );
    expect(await codeOf(PostgresLogStore.open({ connectionString: db.runtimeUrl }))).toBe(
      LedgerErrorCode.Open,
    );
    expect(await codeOf(migratePostgresLog({ connectionString: db.ownerUrl }))).toBe(LedgerErrorCode.Open);
  });

  it('migrates on open for a single-role setup, in a schema of its choosing', async () => {
    const db = await server.createDatabase();
    const store = await PostgresLogStore.open({
      connectionString: db.ownerUrl,
      migrate: true,
      schema: 'log_2026',
    });
    try {
      const ledger = new Ledger({ store, signer: generateSigner('pg.docket.local/2026') });
      await ledger.initialise();
      await ledger.append([sampleRecord('a')]);
      expect(store.schema).toBe('log_2026');
      expect(await store.size()).toBe(1);
    } finally {
      await store.close();
    }
    expect(await codeOf(PostgresLogStore.open({ connectionString: db.ownerUrl, schema: 'Bad"Name' }))).toBe(
      LedgerErrorCode.Open,
    );
  });
});

describe('PostgreSQL sequencing and failures', () => {
  it('runs appends one at a time: a second append reads lastEntryFor only after the first commits', async () => {
    const db = await migratedDatabase(server);
    const store = await PostgresLogStore.open({ connectionString: db.runtimeUrl });
    try {
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered = (): void => undefined;
      const holding = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const first = store.appendTransaction(async (tx) => {
        entered();
        await gate;
        await tx.insertEntries(await tx.size(), [entry('first', 'race')]);
        return 'first';
      });
      await holding;
      let secondStarted = false;
      const second = store.appendTransaction(async (tx) => {
        secondStarted = true;
        return tx.lastEntryFor('race', 'v');
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondStarted).toBe(false);
      release();
      expect(await first).toBe('first');
      expect(await second).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('gives up waiting for a held log head with ERR_LEDGER_STORE_UNAVAILABLE, then appends once it is free', async () => {
    const db = await migratedDatabase(server);
    const store = await PostgresLogStore.open({ connectionString: db.runtimeUrl, lockTimeoutMs: 200 });
    const [classId, objectId] = logSchema().headLock;
    try {
      await withClient(db.runtimeUrl, async (holder) => {
        await holder.query('SELECT pg_advisory_lock($1, $2)', [classId, objectId]);
        const err = await store.appendTransaction(async (tx) => tx.size()).catch((e) => e);
        expect(err).toMatchObject({ code: LedgerErrorCode.StoreUnavailable, details: { sqlstate: '55P03' } });
      });
      await expect(store.appendTransaction(async (tx) => tx.size())).resolves.toBe(0);
    } finally {
      await store.close();
    }
  });

  it('codes an unreachable database as ERR_LEDGER_STORE_UNAVAILABLE with the driver error as cause', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
      });
    });
    const err = await PostgresLogStore.open({
      connectionString: `postgres://docket:x@127.0.0.1:${port}/ledger`,
      connectTimeoutMs: 2000,
    }).catch((e) => e);
    expect(err).toMatchObject({ code: LedgerErrorCode.StoreUnavailable });
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('reports a database that went away mid-use as unavailable, and works again when it is back', async () => {
    const db = await migratedDatabase(server);
    const { store, ledger } = await openedLedger(db.runtimeUrl);
    try {
      await withClient(db.adminUrl, (c) =>
        c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [db.name],
        ),
      );
      // The pool notices dead idle connections asynchronously; whichever way it goes, no uncoded error escapes.
      const outcome = await codeOf(ledger.append([sampleRecord('c')]));
      expect(['resolved', LedgerErrorCode.StoreUnavailable]).toContain(outcome);
      await ledger.append([sampleRecord('d')]);
      expect((await store.checkpoints()).at(-1)?.size).toBe(await store.size());
    } finally {
      await store.close();
    }
  });

  it('survives its connection being killed mid-append: the append is unavailable, nothing is written', async () => {
    const db = await migratedDatabase(server);
    const { store, ledger } = await openedLedger(db.runtimeUrl);
    try {
      let entered = (): void => undefined;
      const holding = new Promise<void>((resolve) => {
        entered = resolve;
      });
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const doomed = store.appendTransaction(async (tx) => {
        await tx.insertEntries(await tx.size(), [entry('doomed')]);
        entered();
        await gate;
        return tx.size();
      });
      await holding;
      await withClient(db.adminUrl, (c) =>
        c.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'",
          [db.name],
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      expect(await codeOf(doomed)).toBe(LedgerErrorCode.StoreUnavailable);
      expect(await store.size()).toBe(2);
      await ledger.append([sampleRecord('after')]);
      expect(await store.size()).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('waits for an append transaction in flight before closing', async () => {
    const db = await migratedDatabase(server);
    const { store } = await openedLedger(db.runtimeUrl);
    let entered = (): void => undefined;
    const holding = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const pending = store.appendTransaction(async (tx) => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await tx.insertEntries(await tx.size(), [entry('late')]);
      return 'committed';
    });
    await holding;
    await store.close();
    expect(await pending).toBe('committed');
    const again = await PostgresLogStore.open({ connectionString: db.runtimeUrl });
    expect(await again.size()).toBe(3);
    await again.close();
    expect(await codeOf(store.size())).toBe(LedgerErrorCode.StoreUnavailable);
  });
});
