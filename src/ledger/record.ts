import { DocketError } from '../errors/index.js';
import { LedgerErrorCode } from './errors.js';
import type { EntryKey } from './store/index.js';

/** The in-toto predicate type URI of a docket record type; versioned, one per type. */
export function predicateTypeOf(recordType: string): string {
  return `urn:docket:record:${recordType}:v1`;
}

/** Inverse of {@link predicateTypeOf}; undefined for a predicate type docket did not write. */
export function recordTypeOf(predicateType: string): string | undefined {
  const match = /^urn:docket:record:([a-z][a-z-]{0,62}):v1$/.exec(predicateType);
  return match?.[1];
}

export interface RecordSubject {
  /** What the digest is of, for people: a file name, `model/version`, `policy`. */
  name: string;
  /** `sha256:<64 hex>`. */
  digest: string;
}

/** A record to append: it becomes the predicate of an in-toto Statement v1 inside a signed DSSE envelope. */
export interface LedgerRecord {
  type: string;
  subject: readonly RecordSubject[];
  predicate: Readonly<Record<string, unknown>>;
  /** Extra lookup keys for queries; the record type and every subject digest are always indexed. */
  keys?: readonly EntryKey[];
  /**
   * Offset, within the same append batch, of an earlier record this one follows: the ledger sets
   * `predicate.prev` to that entry's `{ index, leafHash }` (a request's hash-chained history).
   */
  chainTo?: number;
}

const TYPE_PATTERN = /^[a-z][a-z-]{0,62}$/;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function assertRecord(record: LedgerRecord, offset = 0): void {
  const fail = (why: string): never => {
    throw new DocketError(LedgerErrorCode.RecordInvalid, `record refused: ${why}`, {
      details: { type: record.type },
    });
  };
  if (!TYPE_PATTERN.test(record.type)) fail(`type ${JSON.stringify(record.type)} is not a record type name`);
  if (record.subject.length === 0) fail('an in-toto statement needs at least one subject');
  for (const s of record.subject) {
    if (typeof s.name !== 'string' || s.name.length === 0) fail('a subject needs a name');
    if (!DIGEST_PATTERN.test(s.digest))
      fail(`subject digest ${JSON.stringify(s.digest)} is not sha256:<64 hex>`);
  }
  if ('recordedAt' in record.predicate) fail('recordedAt is set by the ledger, not the caller');
  if (record.chainTo !== undefined) {
    if (!Number.isInteger(record.chainTo) || record.chainTo < 0 || record.chainTo >= offset) {
      fail('chainTo must name an earlier record of the same batch');
    }
    if ('prev' in record.predicate) fail('a record with chainTo gets its prev from the ledger');
  }
}

/** Lookup keys every entry gets: its record type and the digest of each subject. */
export function keysOf(record: LedgerRecord): EntryKey[] {
  const keys: EntryKey[] = [{ key: 'type', value: record.type }];
  for (const s of record.subject) keys.push({ key: 'subject', value: s.digest });
  for (const k of record.keys ?? []) keys.push(k);
  return keys;
}
