import { createHash } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import { DocketError } from '../../errors/index.js';
import { LedgerErrorCode } from '../errors.js';

/** The schema a log lives in unless configured otherwise; one schema holds one log. */
export const DEFAULT_SCHEMA = 'docket';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// 'dock': the first key of every advisory lock docket takes, so its locks are recognisable in pg_locks.
const LOCK_CLASS = 0x646f636b;

/** A validated schema name, its quoted form, and the advisory lock keys of the log in it. */
export interface LogSchema {
  name: string;
  quoted: string;
  /** (class, object) keys of the transaction-level advisory lock that serialises appends to this log. */
  headLock: readonly [number, number];
  /** Keys of the lock that serialises migration runs (many docket processes may start at once). */
  migrationLock: readonly [number, number];
}

/** Accepts a plain lower-case identifier only, so that the name is the same quoted or not. */
export function logSchema(name: string = DEFAULT_SCHEMA): LogSchema {
  if (!SCHEMA_NAME.test(name)) {
    throw new DocketError(
      LedgerErrorCode.Open,
      `the log schema name must be a lower-case identifier (a-z, 0-9, _), not ${JSON.stringify(name)}`,
      { details: { schema: name } },
    );
  }
  return {
    name,
    quoted: escapeIdentifier(name),
    headLock: [LOCK_CLASS, lockObject(`head:${name}`)],
    migrationLock: [LOCK_CLASS, lockObject(`migrate:${name}`)],
  };
}

// Advisory locks are per database; two logs in one database (two schemas) get different keys. A collision would
// only serialise two logs' appends, never break either log.
function lockObject(label: string): number {
  return createHash('sha256').update(`docket:${label}`).digest().readInt32BE(0);
}
