import Database from 'better-sqlite3';
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
import { migrations } from './schema.js';

interface EntryRow {
  idx: number;
  leaf_hash: Buffer;
  envelope: Buffer;
  record_type: string;
  recorded_at: string;
}
interface CheckpointRow {
  tree_size: number;
  root_hash: Buffer;
  note: string;
  created_at: string;
}

const SCAN_BATCH = 2048;

/**
 * The embedded log store: one SQLite file in WAL mode with `synchronous = FULL`, so a commit that returned is on
 * disk. One process writes at a time (SQLite's own write lock, taken with BEGIN IMMEDIATE); within the process
 * appends are serialised by a promise chain so that no two transactions interleave on the one connection.
 */
export class SqliteLogStore implements LogStore {
  readonly backend = 'sqlite';
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Prepared statements are compiled once per connection; appends and proofs run the same few queries. */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (stmt === undefined) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  /** Opens (creating if asked) the database at `path` and brings its schema up to date. */
  static open(path: string, options: { create?: boolean; readonly?: boolean } = {}): SqliteLogStore {
    let db: Database.Database;
    try {
      db = new Database(path, {
        fileMustExist: options.create !== true,
        readonly: options.readonly === true,
      });
    } catch (cause) {
      throw new DocketError(LedgerErrorCode.Open, `cannot open ledger database ${path}`, { cause });
    }
    try {
      if (options.readonly !== true) {
        db.pragma('journal_mode = WAL');
        migrate(db);
      }
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (cause) {
      db.close();
      if (cause instanceof DocketError) throw cause;
      throw new DocketError(LedgerErrorCode.Open, `cannot prepare ledger database ${path}`, { cause });
    }
    return new SqliteLogStore(db);
  }

  appendTransaction<T>(work: (tx: AppendTransaction) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.transaction());
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        if (err instanceof DocketError) throw err;
        throw new DocketError(LedgerErrorCode.Append, 'the ledger refused the append', { cause: err });
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private transaction(): AppendTransaction {
    const insertEntry = this.sql(
      'INSERT INTO entries (idx, leaf_hash, envelope, record_type, recorded_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertKey = this.sql('INSERT OR IGNORE INTO entry_keys (key, value, idx) VALUES (?, ?, ?)');
    const insertNode = this.sql('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
    const insertCheckpoint = this.sql(
      'INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)',
    );
    return {
      size: () => this.size(),
      nodes: (ids) => this.nodes(ids),
      lastEntryFor: async (key: string, value: string) => {
        const row = this.sql('SELECT MAX(idx) AS idx FROM entry_keys WHERE key = ? AND value = ?').get(
          key,
          value,
        ) as { idx: number | null };
        return row.idx ?? undefined;
      },
      insertEntries: async (firstIndex: number, entries: readonly NewEntry[]) => {
        entries.forEach((entry, offset) => {
          const index = firstIndex + offset;
          insertEntry.run(index, entry.leafHash, entry.envelope, entry.recordType, entry.recordedAt);
          for (const k of entry.keys) insertKey.run(k.key, k.value, index);
        });
      },
      insertNodes: async (nodes: readonly TreeNode[]) => {
        for (const node of nodes) insertNode.run(node.id.level, node.id.index, node.hash);
      },
      insertCheckpoint: async (cp: StoredCheckpoint) => {
        insertCheckpoint.run(cp.size, cp.rootHash, cp.note, cp.createdAt);
      },
    };
  }

  async size(): Promise<number> {
    const row = this.sql('SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM entries').get() as { n: number };
    return row.n;
  }

  async entry(index: number): Promise<StoredEntry | undefined> {
    const row = this.sql('SELECT * FROM entries WHERE idx = ?').get(index) as EntryRow | undefined;
    return row === undefined ? undefined : toEntry(row);
  }

  async *scanEntries(from: number, to: number): AsyncIterable<StoredEntry> {
    const stmt = this.sql('SELECT * FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx LIMIT ?');
    let next = from;
    while (next < to) {
      const rows = stmt.all(next, to, SCAN_BATCH) as EntryRow[];
      if (rows.length === 0) return;
      for (const row of rows) yield toEntry(row);
      next = (rows[rows.length - 1] as EntryRow).idx + 1;
    }
  }

  async nodes(ids: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
    const stmt = this.sql('SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?');
    const found = new Map<string, Uint8Array>();
    for (const id of ids) {
      const row = stmt.get(id.level, id.index) as { hash: Buffer } | undefined;
      if (row !== undefined) found.set(nodeKey(id), new Uint8Array(row.hash));
    }
    return found;
  }

  async *scanNodes(): AsyncIterable<TreeNode> {
    const stmt = this.sql(
      'SELECT level, idx, hash FROM tree_nodes WHERE (level, idx) > (?, ?) ORDER BY level, idx LIMIT ?',
    );
    let after = { level: -1, idx: -1 };
    for (;;) {
      const rows = stmt.all(after.level, after.idx, SCAN_BATCH) as {
        level: number;
        idx: number;
        hash: Buffer;
      }[];
      if (rows.length === 0) return;
      for (const row of rows)
        yield { id: { level: row.level, index: row.idx }, hash: new Uint8Array(row.hash) };
      after = rows[rows.length - 1] as { level: number; idx: number };
    }
  }

  async checkpoint(size: number): Promise<StoredCheckpoint | undefined> {
    const row = this.sql('SELECT * FROM checkpoints WHERE tree_size = ?').get(size) as
      | CheckpointRow
      | undefined;
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = this.sql('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1').get() as
      | CheckpointRow
      | undefined;
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    const rows = this.sql('SELECT * FROM checkpoints ORDER BY tree_size').all() as CheckpointRow[];
    return rows.map(toCheckpoint);
  }

  async findEntries(key: string, value: string): Promise<number[]> {
    const rows = this.sql('SELECT idx FROM entry_keys WHERE key = ? AND value = ? ORDER BY idx').all(
      key,
      value,
    ) as { idx: number }[];
    return rows.map((r) => r.idx);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const row = this.sql('SELECT value FROM log_meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  async initMeta(key: string, value: string): Promise<void> {
    const existing = await this.getMeta(key);
    if (existing === value) return;
    if (existing !== undefined) {
      throw new DocketError(LedgerErrorCode.Append, `log meta ${key} is already set and cannot change`, {
        details: { key },
      });
    }
    this.sql('INSERT INTO log_meta (key, value) VALUES (?, ?)').run(key, value);
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new DocketError(
      LedgerErrorCode.Open,
      `ledger schema version ${version} is newer than this docket (knows ${migrations.length})`,
    );
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function toEntry(row: EntryRow): StoredEntry {
  return {
    index: row.idx,
    leafHash: new Uint8Array(row.leaf_hash),
    envelope: new Uint8Array(row.envelope),
    recordType: row.record_type,
    recordedAt: row.recorded_at,
  };
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    size: row.tree_size,
    rootHash: new Uint8Array(row.root_hash),
    note: row.note,
    createdAt: row.created_at,
  };
}
