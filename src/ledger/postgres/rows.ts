import { DocketError } from '../../errors/index.js';
import { LedgerErrorCode } from '../errors.js';
import type { StoredCheckpoint, StoredEntry } from '../store/index.js';

/** Rows as node-postgres returns them: bigint as a decimal string, bytea as a Buffer. */
export interface EntryRow {
  idx: string;
  leaf_hash: Buffer;
  envelope: Buffer;
  record_type: string;
  recorded_at: string;
}

export interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
  created_at: string;
}

/** A bigint column as a JS number; an index past 2^53 cannot be addressed and is refused, never rounded. */
export function toIndex(value: string | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new DocketError(
      LedgerErrorCode.OutOfRange,
      `stored index ${value} is not a safe non-negative integer`,
      {
        details: { value: String(value) },
      },
    );
  }
  return n;
}

export function toEntry(row: EntryRow): StoredEntry {
  return {
    index: toIndex(row.idx),
    leafHash: new Uint8Array(row.leaf_hash),
    envelope: new Uint8Array(row.envelope),
    recordType: row.record_type,
    recordedAt: row.recorded_at,
  };
}

export function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    size: toIndex(row.tree_size),
    rootHash: new Uint8Array(row.root_hash),
    note: row.note,
    createdAt: row.created_at,
  };
}
