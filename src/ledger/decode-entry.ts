import { DocketError, isDocketError } from '../errors/index.js';
import type { Verifier } from '../keys/index.js';
import { parseEnvelope, parseStatement, type Statement, verifyEnvelope } from './envelope/index.js';
import { LedgerErrorCode } from './errors.js';
import { hashLeaf } from './merkle/index.js';
import { toBase64 } from './proofs.js';
import { recordTypeOf } from './record.js';
import type { StoredEntry } from './store/index.js';

/** An entry read back and checked: leaf hash recomputed, envelope signature verified, statement decoded. */
export interface DecodedEntry {
  index: number;
  leafHash: string;
  recordType: string;
  recordedAt: string;
  keyId: string;
  statement: Statement;
}

/** Decodes a stored entry as hostile input; any mismatch is an ERR_LEDGER_ENTRY_CORRUPT naming the index. */
export function decodeEntry(stored: StoredEntry, verifiers: readonly Verifier[]): DecodedEntry {
  const corrupt = (why: string, cause?: unknown): DocketError =>
    new DocketError(LedgerErrorCode.EntryCorrupt, `entry ${stored.index}: ${why}`, {
      details: { index: stored.index, reason: why },
      cause,
    });
  const leaf = hashLeaf(stored.envelope);
  if (!Buffer.from(leaf).equals(Buffer.from(stored.leafHash))) {
    throw corrupt('its bytes do not hash to the stored leaf hash');
  }
  let statement: Statement;
  let keyId: string;
  try {
    const envelope = parseEnvelope(stored.envelope);
    keyId = verifyEnvelope(envelope, verifiers).keyIdHex;
    statement = parseStatement(Buffer.from(envelope.payload, 'base64'));
  } catch (cause) {
    if (isDocketError(cause)) throw corrupt(`${cause.message} (${cause.code})`, cause);
    throw corrupt('its envelope cannot be decoded', cause);
  }
  const recordType = recordTypeOf(statement.predicateType);
  if (recordType === undefined || recordType !== stored.recordType) {
    throw corrupt(
      `its predicate type ${statement.predicateType} does not match record type ${stored.recordType}`,
    );
  }
  const recordedAt = (statement.predicate as { recordedAt?: unknown }).recordedAt;
  if (recordedAt !== stored.recordedAt) throw corrupt('its signed recordedAt differs from the stored one');
  return { index: stored.index, leafHash: toBase64(leaf), recordType, recordedAt, keyId, statement };
}
