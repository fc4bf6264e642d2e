/** Codes for ledger conditions a caller can act on (documented in docs/errors.md). */
export const LedgerErrorCode = {
  /** The ledger database could not be opened or has an unknown schema version. */
  Open: 'ERR_LEDGER_OPEN',
  /** The ledger was opened without its signing key (read-only) and cannot append. */
  ReadOnly: 'ERR_LEDGER_READ_ONLY',
  /** An append was refused by the store (sequencing conflict, write failure). */
  Append: 'ERR_LEDGER_APPEND',
  /** An entry index, tree size or range argument is out of bounds or malformed. */
  OutOfRange: 'ERR_LEDGER_OUT_OF_RANGE',
  /** No entry at that index. */
  EntryNotFound: 'ERR_LEDGER_ENTRY_NOT_FOUND',
  /** No checkpoint at that size (only kept checkpoints can be proven against). */
  CheckpointNotFound: 'ERR_LEDGER_CHECKPOINT_NOT_FOUND',
  /** A record handed to append is malformed (unknown type, empty subject, bad digest). */
  RecordInvalid: 'ERR_LEDGER_RECORD_INVALID',
  /** A stored entry could not be decoded (it was altered outside docket). */
  EntryCorrupt: 'ERR_LEDGER_ENTRY_CORRUPT',
  /** A stored tree node is missing (the store was altered outside docket). */
  NodeMissing: 'ERR_LEDGER_NODE_MISSING',
  /** A conditional append found that the history it extends moved on (another writer appended first). */
  Conflict: 'ERR_LEDGER_CONFLICT',
  /** Verification found problems; `details.problems` lists them. */
  VerifyFailed: 'ERR_LEDGER_VERIFY_FAILED',
  /**
   * The log's database cannot be reached or is too busy (connection refused or lost, the log head lock not granted
   * in time); `cause` is the driver's error. Retrying later may succeed; `details.outcome: 'unknown'` means the
   * connection was lost during COMMIT, so read the log before appending again.
   */
  StoreUnavailable: 'ERR_LEDGER_STORE_UNAVAILABLE',
} as const;

export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];
