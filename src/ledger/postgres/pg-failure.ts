import { DatabaseError } from 'pg';
import { DocketError } from '../../errors/index.js';
import { LedgerErrorCode } from '../errors.js';
import { GuardState } from './schema.js';

// Socket-level failures from Node while connecting or talking to the server.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

// node-postgres reports a lost or never-made connection as a plain Error with one of these messages.
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end/i;

/**
 * Whether a failure means the database is unreachable or too busy, rather than that it refused the statement:
 * SQLSTATE class 08 (connection exception) and 53 (insufficient resources), 57P01–57P03 (shutdown, cannot connect
 * now), 55P03 (lock not available: the head lock was not granted within lock_timeout), 57014 (statement timeout),
 * 25P03 (idle-in-transaction timeout), plus Node's socket errors and the driver's own connection errors.
 */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseError) {
    const state = err.code ?? '';
    return (
      state.startsWith('08') ||
      state.startsWith('53') ||
      ['57P01', '57P02', '57P03', '55P03', '57014', '25P03'].includes(state)
    );
  }
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isUnavailable);
  return DRIVER_MESSAGES.test(err.message);
}

/** What a database refusal says, for `details`: the SQLSTATE and, for docket's own guards, which one. */
function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof DatabaseError)) return {};
  const guard = Object.entries(GuardState).find(([, state]) => state === err.code)?.[0];
  return { sqlstate: err.code, ...(guard === undefined ? {} : { guard }) };
}

/**
 * Turns a failure of the driver or the database into a coded error with the original as `cause`: unreachable or
 * busy is ERR_LEDGER_STORE_UNAVAILABLE, anything else `fallback` (ERR_LEDGER_APPEND for writes, ERR_LEDGER_OPEN
 * for opening and reads). A DocketError passes through unchanged.
 */
export function storeFailure(err: unknown, fallback: LedgerErrorCode, what: string): DocketError {
  if (err instanceof DocketError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  if (isUnavailable(err)) {
    return new DocketError(
      LedgerErrorCode.StoreUnavailable,
      `the ledger database is unavailable: ${what}: ${reason}`,
      {
        cause: err,
        details: describe(err),
      },
    );
  }
  return new DocketError(fallback, `${what}: ${reason}`, { cause: err, details: describe(err) });
}
