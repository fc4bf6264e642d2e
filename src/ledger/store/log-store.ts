import type { NodeId, TreeNode } from '../merkle/index.js';

/** One entry as the store keeps it: the exact DSSE envelope bytes and the RFC 9162 leaf hash over them. */
export interface StoredEntry {
  index: number;
  leafHash: Uint8Array;
  envelope: Uint8Array;
  recordType: string;
  recordedAt: string;
}

/** A signed checkpoint (C2SP signed note) the log issued at some tree size; every one is kept. */
export interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  note: string;
  createdAt: string;
}

/** A lookup key for queries (request id, model version, subject digest); a read index rebuildable from entries. */
export interface EntryKey {
  key: string;
  value: string;
}

export interface NewEntry {
  leafHash: Uint8Array;
  envelope: Uint8Array;
  recordType: string;
  recordedAt: string;
  keys: readonly EntryKey[];
}

/** The writes of one append, inside a transaction that holds the log head exclusively. */
export interface AppendTransaction {
  size(): Promise<number>;
  nodes(ids: readonly NodeId[]): Promise<Map<string, Uint8Array>>;
  /** The latest entry index carrying this lookup key, read inside the transaction. */
  lastEntryFor(key: string, value: string): Promise<number | undefined>;
  insertEntries(firstIndex: number, entries: readonly NewEntry[]): Promise<void>;
  insertNodes(nodes: readonly TreeNode[]): Promise<void>;
  insertCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
}

/**
 * Storage behind the ledger: one linear, append-only sequence per log. Backends (SQLite now, PostgreSQL next)
 * implement this interface and pass the same conformance suite. Sequencing (no gaps, no forks) is the backend's
 * job and is enforced in the database itself, not only here.
 */
export interface LogStore {
  readonly backend: string;
  /** Runs `work` with the log head locked; everything it writes commits durably together or not at all. */
  appendTransaction<T>(work: (tx: AppendTransaction) => Promise<T>): Promise<T>;
  size(): Promise<number>;
  entry(index: number): Promise<StoredEntry | undefined>;
  /** Entries [from, to) in index order, fetched in batches. */
  scanEntries(from: number, to: number): AsyncIterable<StoredEntry>;
  nodes(ids: readonly NodeId[]): Promise<Map<string, Uint8Array>>;
  /** Every stored tree node, for full verification. */
  scanNodes(): AsyncIterable<TreeNode>;
  checkpoint(size: number): Promise<StoredCheckpoint | undefined>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  checkpoints(): Promise<StoredCheckpoint[]>;
  findEntries(key: string, value: string): Promise<number[]>;
  getMeta(key: string): Promise<string | undefined>;
  /** Sets a meta value once (log origin, creation time); refuses to change an existing one. */
  initMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}
