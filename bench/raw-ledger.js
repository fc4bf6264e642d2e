// The baseline of the append rows: the very rows docket wrote (envelope bytes, leaf hashes, lookup keys, tree
// nodes, signed checkpoints), read back from docket's database and inserted with plain better-sqlite3 into
// tables made from docket's own DDL, one durable transaction per docket append call, same PRAGMAs.
import Database from 'better-sqlite3';

/**
 * @typedef {object} EntryRow
 * @property {number} idx
 * @property {Buffer} leaf_hash
 * @property {Buffer} envelope
 * @property {string} record_type
 * @property {string} recorded_at
 */
/** @typedef {{ key: string, value: string, idx: number }} KeyRow */
/** @typedef {{ level: number, idx: number, hash: Buffer }} NodeRow */
/** @typedef {{ tree_size: number, root_hash: Buffer, note: string, created_at: string }} CheckpointRow */

/**
 * Everything one docket append call wrote: entries [from, to) and the checkpoint at `to`.
 *
 * @typedef {object} CallRows
 * @property {EntryRow[]} entries
 * @property {KeyRow[][]} keys the lookup keys of each entry, parallel to `entries`
 * @property {NodeRow[]} nodes
 * @property {CheckpointRow} checkpoint
 */

/** Reads back, per append call, the rows docket committed (a second, read-only connection; never timed). */
export class LedgerRowReader {
  /** @param {string} path docket's ledger database */
  constructor(path) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.entries = this.db.prepare(
      'SELECT idx, leaf_hash, envelope, record_type, recorded_at FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx',
    );
    this.keys = this.db.prepare('SELECT key, value, idx FROM entry_keys WHERE idx >= ? AND idx < ?');
    this.node = this.db.prepare('SELECT level, idx, hash FROM tree_nodes WHERE level = ? AND idx = ?');
    this.checkpoint = this.db.prepare(
      'SELECT tree_size, root_hash, note, created_at FROM checkpoints WHERE tree_size = ?',
    );
  }

  /**
   * The rows of consecutive calls, each given as [from, to).
   *
   * @param {readonly (readonly [number, number])[]} calls
   * @returns {CallRows[]}
   */
  read(calls) {
    if (calls.length === 0) return [];
    const first = /** @type {readonly [number, number]} */ (calls[0])[0];
    const last = /** @type {readonly [number, number]} */ (calls[calls.length - 1])[1];
    // entry_keys has no index on idx (its key is (key, value, idx)): one scan per block, not one per call.
    /** @type {Map<number, KeyRow[]>} */
    const keysByIdx = new Map();
    for (const k of /** @type {KeyRow[]} */ (this.keys.all(first, last))) {
      keysByIdx.set(k.idx, [...(keysByIdx.get(k.idx) ?? []), k]);
    }
    return calls.map(([from, to]) => {
      const entries = /** @type {EntryRow[]} */ (this.entries.all(from, to));
      if (entries.length !== to - from)
        throw new Error(`docket wrote ${entries.length} of entries [${from}, ${to})`);
      /** @type {NodeRow[]} */
      const nodes = [];
      for (let index = from; index < to; index++) {
        for (const [level, idx] of nodesCreatedBy(index)) {
          const node = /** @type {NodeRow | undefined} */ (this.node.get(level, idx));
          if (node === undefined) throw new Error(`docket wrote no tree node ${level}/${idx}`);
          nodes.push(node);
        }
      }
      const checkpoint = /** @type {CheckpointRow | undefined} */ (this.checkpoint.get(to));
      if (checkpoint === undefined) throw new Error(`docket wrote no checkpoint at size ${to}`);
      return { entries, keys: entries.map((e) => keysByIdx.get(e.idx) ?? []), nodes, checkpoint };
    });
  }

  close() {
    this.db.close();
  }
}

/**
 * The complete subtrees appending leaf `index` creates (RFC 9162 §2.1.1): the leaf, then each ancestor whose
 * right edge it is.
 *
 * @param {number} index
 * @returns {[number, number][]} [level, index] pairs
 */
export function nodesCreatedBy(index) {
  /** @type {[number, number][]} */
  const nodes = [[0, index]];
  for (let level = 1; (index + 1) % 2 ** level === 0; level++)
    nodes.push([level, (index + 1) / 2 ** level - 1]);
  return nodes;
}

/** A fresh database with docket's tables (optionally its triggers too), filled by timed raw inserts. */
export class RawLedger {
  /**
   * @param {string} path the new database
   * @param {string} sourcePath docket's initialised ledger database: its DDL, meta and size-0 checkpoint
   * @param {{ withTriggers: boolean }} options
   */
  constructor(path, sourcePath, { withTriggers }) {
    const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
    const ddl = /** @type {{ type: string, sql: string }[]} */ (
      source
        .prepare(
          "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )
        .all()
    );
    const meta = source.prepare('SELECT key, value FROM log_meta').all();
    const empty = source.prepare('SELECT * FROM checkpoints WHERE tree_size = 0').get();
    source.close();

    this.db = new Database(path);
    // The PRAGMAs SqliteLogStore.open sets, in the same order.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    for (const { type, sql } of ddl) if (type !== 'trigger' || withTriggers) this.db.exec(sql);
    const insertMeta = this.db.prepare('INSERT INTO log_meta (key, value) VALUES (@key, @value)');
    for (const row of meta) insertMeta.run(row);

    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.insertEntry = this.db.prepare(
      'INSERT INTO entries (idx, leaf_hash, envelope, record_type, recorded_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertKey = this.db.prepare('INSERT OR IGNORE INTO entry_keys (key, value, idx) VALUES (?, ?, ?)');
    this.insertNode = this.db.prepare('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
    this.insertCheckpoint = this.db.prepare(
      'INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)',
    );
    if (empty !== undefined) this.insertCheckpointRow(/** @type {CheckpointRow} */ (empty));
  }

  /**
   * Inserts one call's rows in one durable transaction and returns how long it took.
   *
   * @param {CallRows} rows
   * @returns {number} milliseconds
   */
  replay(rows) {
    const started = performance.now();
    this.begin.run();
    // In docket's order: each entry with its keys, then the tree nodes, then the checkpoint.
    rows.entries.forEach((e, i) => {
      this.insertEntry.run(e.idx, e.leaf_hash, e.envelope, e.record_type, e.recorded_at);
      for (const k of rows.keys[i] ?? []) this.insertKey.run(k.key, k.value, k.idx);
    });
    for (const n of rows.nodes) this.insertNode.run(n.level, n.idx, n.hash);
    this.insertCheckpointRow(rows.checkpoint);
    this.commit.run();
    return performance.now() - started;
  }

  /** @returns {{ entries: number, nodes: number, checkpoints: number }} row counts, to check the replay */
  counts() {
    const count = (/** @type {string} */ table) =>
      /** @type {{ n: number }} */ (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).n;
    return { entries: count('entries'), nodes: count('tree_nodes'), checkpoints: count('checkpoints') };
  }

  close() {
    this.db.close();
  }

  /** @param {CheckpointRow} cp */
  insertCheckpointRow(cp) {
    this.insertCheckpoint.run(cp.tree_size, cp.root_hash, cp.note, cp.created_at);
  }
}
