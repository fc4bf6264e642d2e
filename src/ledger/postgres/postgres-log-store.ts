import { Pool, type PoolClient } from 'pg';
import { DocketError } from '../../errors/index.js';
import { LedgerErrorCode } from '../errors.js';
import type { NodeId } from '../merkle/index.js';
import type {
  AppendTransaction,
  LogStore,
  NewEntry,
  StoredCheckpoint,
  StoredEntry,
  TreeNode,
} from '../store/index.js';
import { nodeKey } from '../store/index.js';
import { type LogSchema, logSchema } from './log-schema.js';
import { migratePostgresLog, POSTGRES_SCHEMA_VERSION } from './migrate.js';
import { storeFailure } from './pg-failure.js';
import { type CheckpointRow, type EntryRow, toCheckpoint, toEntry, toIndex } from './rows.js';
import { type Statements, statements } from './statements.js';

export interface PostgresLogStoreOptions {
  /** libpq-style URL of the service role, e.g. `postgres://docket@db:5432/ledger?sslmode=verify-full`. */
  connectionString: string;
  /** The schema holding the log (default `docket`): one schema, one log. */
  schema?: string;
  /** Connections in the pool (default 10); each append holds one for its transaction. */
  poolSize?: number;
  /** How long an append waits for the log head before ERR_LEDGER_STORE_UNAVAILABLE (default 10 s). */
  lockTimeoutMs?: number;
  /** How long to wait for a connection (default 10 s). */
  connectTimeoutMs?: number;
  /** Rows per page of scanEntries and scanNodes (default 2048). */
  scanBatchSize?: number;
  /**
   * Run the migrations on open, as the role of `connectionString` (which must then own the schema). For a
   * single-role setup and development; production runs `migratePostgresLog` as the migration role instead.
   */
  migrate?: boolean;
}

const HOLDER_TIMEOUT_MS = 60_000;
const DEFAULTS = { poolSize: 10, lockTimeoutMs: 10_000, connectTimeoutMs: 10_000, scanBatchSize: 2048 };

/**
 * The log store on PostgreSQL, for many stateless docket processes sharing one log.
 *
 * Sequencing: every append transaction first takes a transaction-level advisory lock on the log head
 * (`pg_advisory_xact_lock`), then reads the size and any `lastEntryFor` inside it, writes, and commits, which
 * releases the lock. Appends are therefore totally ordered, each sees everything committed before it, and a
 * conditional append's check and write are atomic. The isolation level is READ COMMITTED on purpose: each
 * statement after the lock takes a fresh snapshot that includes the previous holder's commit (the lock is released
 * only after the commit is visible), so SERIALIZABLE would add retries and no safety; REPEATABLE READ would be
 * wrong, since its snapshot could predate the lock. An advisory lock rather than `SELECT ... FOR UPDATE` on a head
 * row because row locks need an UPDATE grant, which the service role must not hold; advisory locks need no
 * privilege and work on managed and replicated PostgreSQL (on the primary) and through transaction poolers.
 * The lock is an optimisation of correctness already enforced by the database: the primary key and the
 * next-index trigger refuse a duplicate or a gap from any writer, locked or not.
 *
 * @example
 * const store = await PostgresLogStore.open({ connectionString: process.env.DOCKET_PG_URL });
 * const ledger = new Ledger({ store, signer });
 */
export class PostgresLogStore implements LogStore {
  readonly backend = 'postgres';
  readonly schema: string;
  private readonly pool: Pool;
  private readonly sql: Statements;
  private readonly beginAppend: string;
  private readonly scanBatchSize: number;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(pool: Pool, schema: LogSchema, options: typeof DEFAULTS) {
    this.pool = pool;
    this.schema = schema.name;
    this.sql = statements(schema.quoted);
    // One round trip (the simple protocol runs several statements; every value is an integer docket computed).
    // A holder that stalls (a paused process, a lost network) is disconnected by the server after 60 s, which
    // releases the head; a waiter gives up after lockTimeoutMs instead of queueing forever.
    this.beginAppend = [
      'BEGIN ISOLATION LEVEL READ COMMITTED',
      `SET LOCAL lock_timeout = ${options.lockTimeoutMs}`,
      `SET LOCAL idle_in_transaction_session_timeout = ${HOLDER_TIMEOUT_MS}`,
      `SELECT pg_advisory_xact_lock(${schema.headLock[0]}, ${schema.headLock[1]})`,
    ].join('; ');
    this.scanBatchSize = options.scanBatchSize;
  }

  /**
   * Connects and checks that the schema is at the version this docket knows (ERR_LEDGER_OPEN if it is missing,
   * behind or ahead; ERR_LEDGER_STORE_UNAVAILABLE if the database cannot be reached).
   */
  static async open(options: PostgresLogStoreOptions): Promise<PostgresLogStore> {
    const schema = logSchema(options.schema);
    const settings = {
      poolSize: options.poolSize ?? DEFAULTS.poolSize,
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      scanBatchSize: options.scanBatchSize ?? DEFAULTS.scanBatchSize,
    };
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new DocketError(LedgerErrorCode.Open, `${name} must be a positive integer`, {
          details: { [name]: value },
        });
      }
    }
    if (options.migrate === true) {
      await migratePostgresLog({ connectionString: options.connectionString, schema: schema.name });
    }
    const pool = new Pool({
      connectionString: options.connectionString,
      max: settings.poolSize,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      application_name: 'docket',
    });
    // An idle connection that breaks (server restart, failover) must not crash the process; the next query
    // reports the failure where a caller can act on it.
    pool.on('error', () => undefined);
    const store = new PostgresLogStore(pool, schema, settings);
    try {
      await store.checkSchema();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private async checkSchema(): Promise<void> {
    let version: number;
    try {
      version = (await this.pool.query<{ version: number }>(this.sql.schemaVersion)).rows[0]?.version ?? 0;
    } catch (err) {
      const state = (err as { code?: string }).code;
      if (state === '42P01' || state === '3F000') {
        throw new DocketError(
          LedgerErrorCode.Open,
          `no docket log in schema ${this.schema}: run the migrations (migratePostgresLog) as the owner role`,
          { cause: err, details: { schema: this.schema } },
        );
      }
      throw storeFailure(err, LedgerErrorCode.Open, `cannot open the log in schema ${this.schema}`);
    }
    if (version !== POSTGRES_SCHEMA_VERSION) {
      throw new DocketError(
        LedgerErrorCode.Open,
        version > POSTGRES_SCHEMA_VERSION
          ? `log schema ${this.schema} is at version ${version}, newer than this docket (knows ${POSTGRES_SCHEMA_VERSION})`
          : `log schema ${this.schema} is at version ${version}, behind this docket (${POSTGRES_SCHEMA_VERSION}): run the migrations`,
        { details: { schema: this.schema, version, known: POSTGRES_SCHEMA_VERSION } },
      );
    }
  }

  appendTransaction<T>(work: (tx: AppendTransaction) => Promise<T>): Promise<T> {
    const run = this.runAppend(work);
    this.inFlight.add(run);
    const forget = (): void => {
      this.inFlight.delete(run);
    };
    run.then(forget, forget);
    return run;
  }

  private async runAppend<T>(work: (tx: AppendTransaction) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw storeFailure(err, LedgerErrorCode.Append, 'cannot get a connection to append');
    }
    let phase: 'work' | 'commit' = 'work';
    let broken = false;
    // A connection lost while docket computes between statements surfaces as an 'error' event on the checked-out
    // client, which would crash the process unheard; the next statement reports it instead.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    try {
      await client.query(this.beginAppend);
      const result = await work(this.transaction(client));
      phase = 'commit';
      await client.query('COMMIT');
      return result;
    } catch (err) {
      broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      if (err instanceof DocketError) throw err;
      const failure = storeFailure(err, LedgerErrorCode.Append, 'the ledger refused the append');
      if (phase === 'commit' && failure.code === LedgerErrorCode.StoreUnavailable) {
        throw new DocketError(
          LedgerErrorCode.StoreUnavailable,
          'the connection failed during COMMIT: the append may or may not have been recorded; read the log before retrying',
          { cause: err, details: { ...failure.details, outcome: 'unknown' } },
        );
      }
      throw failure;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  private transaction(client: PoolClient): AppendTransaction {
    const sql = this.sql;
    return {
      size: async () => toIndex((await client.query<{ n: string }>(sql.size)).rows[0]?.n ?? 0),
      nodes: (ids) => this.fetchNodes(client, ids),
      lastEntryFor: async (key: string, value: string) => {
        const row = (await client.query<{ idx: string | null }>(sql.lastEntryFor, [key, value])).rows[0];
        return row?.idx === null || row?.idx === undefined ? undefined : toIndex(row.idx);
      },
      insertEntries: async (firstIndex: number, entries: readonly NewEntry[]) => {
        if (entries.length === 0) return;
        const indices = entries.map((_, offset) => firstIndex + offset);
        await client.query(sql.insertEntries, [
          indices,
          entries.map((e) => Buffer.from(e.leafHash)),
          entries.map((e) => Buffer.from(e.envelope)),
          entries.map((e) => e.recordType),
          entries.map((e) => e.recordedAt),
        ]);
        const keys = entries.flatMap((e, offset) => e.keys.map((k) => ({ ...k, idx: firstIndex + offset })));
        if (keys.length === 0) return;
        await client.query(sql.insertKeys, [
          keys.map((k) => k.key),
          keys.map((k) => k.value),
          keys.map((k) => k.idx),
        ]);
      },
      insertNodes: async (nodes: readonly TreeNode[]) => {
        if (nodes.length === 0) return;
        await client.query(sql.insertNodes, [
          nodes.map((n) => n.id.level),
          nodes.map((n) => n.id.index),
          nodes.map((n) => Buffer.from(n.hash)),
        ]);
      },
      insertCheckpoint: async (cp: StoredCheckpoint) => {
        await client.query(sql.insertCheckpoint, [cp.size, Buffer.from(cp.rootHash), cp.note, cp.createdAt]);
      },
    };
  }

  /** A read on the pool, its failure coded (unreachable: ERR_LEDGER_STORE_UNAVAILABLE, else ERR_LEDGER_OPEN). */
  private async read<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (err) {
      throw storeFailure(err, LedgerErrorCode.Open, 'cannot read the log');
    }
  }

  async size(): Promise<number> {
    const [row] = await this.read<{ n: string }>(this.sql.size);
    return toIndex(row?.n ?? 0);
  }

  async entry(index: number): Promise<StoredEntry | undefined> {
    const [row] = await this.read<EntryRow>(this.sql.entry, [index]);
    return row === undefined ? undefined : toEntry(row);
  }

  async *scanEntries(from: number, to: number): AsyncIterable<StoredEntry> {
    let next = from;
    while (next < to) {
      const rows = await this.read<EntryRow>(this.sql.scanEntries, [next, to, this.scanBatchSize]);
      const last = rows.at(-1);
      if (last === undefined) return;
      for (const row of rows) yield toEntry(row);
      next = toIndex(last.idx) + 1;
    }
  }

  async nodes(ids: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
    try {
      return await this.fetchNodes(this.pool, ids);
    } catch (err) {
      throw storeFailure(err, LedgerErrorCode.Open, 'cannot read tree nodes');
    }
  }

  private async fetchNodes(on: Pool | PoolClient, ids: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    if (ids.length === 0) return found;
    const { rows } = await on.query<{ level: number; idx: string; hash: Buffer }>(this.sql.nodes, [
      ids.map((id) => id.level),
      ids.map((id) => id.index),
    ]);
    for (const row of rows) {
      found.set(nodeKey({ level: row.level, index: toIndex(row.idx) }), new Uint8Array(row.hash));
    }
    return found;
  }

  async *scanNodes(): AsyncIterable<TreeNode> {
    let after: { level: number; idx: number } = { level: -1, idx: -1 };
    for (;;) {
      const rows = await this.read<{ level: number; idx: string; hash: Buffer }>(this.sql.scanNodes, [
        after.level,
        after.idx,
        this.scanBatchSize,
      ]);
      const last = rows.at(-1);
      if (last === undefined) return;
      for (const row of rows) {
        yield { id: { level: row.level, index: toIndex(row.idx) }, hash: new Uint8Array(row.hash) };
      }
      after = { level: last.level, idx: toIndex(last.idx) };
    }
  }

  async checkpoint(size: number): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.read<CheckpointRow>(this.sql.checkpoint, [size]);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.read<CheckpointRow>(this.sql.latestCheckpoint);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return (await this.read<CheckpointRow>(this.sql.checkpoints)).map(toCheckpoint);
  }

  async findEntries(key: string, value: string): Promise<number[]> {
    return (await this.read<{ idx: string }>(this.sql.findEntries, [key, value])).map((r) => toIndex(r.idx));
  }

  async getMeta(key: string): Promise<string | undefined> {
    const [row] = await this.read<{ value: string }>(this.sql.getMeta, [key]);
    return row?.value;
  }

  async initMeta(key: string, value: string): Promise<void> {
    try {
      await this.pool.query(this.sql.initMeta, [key, value]);
    } catch (err) {
      throw storeFailure(err, LedgerErrorCode.Append, `cannot set log meta ${key}`);
    }
    const existing = await this.getMeta(key);
    if (existing !== value) {
      throw new DocketError(LedgerErrorCode.Append, `log meta ${key} is already set and cannot change`, {
        details: { key },
      });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }
}
