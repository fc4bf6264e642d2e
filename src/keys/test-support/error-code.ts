// Runs `fn` and returns the code of the DocketError it throws; any other throw fails the test, as does no throw.
import { isDocketError } from '../../errors/index.js';

export function errorCodeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isDocketError(err)) return err.code;
    throw new Error(`expected a DocketError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a DocketError, nothing was thrown');
}

/** For fast-check properties: true if `fn` returns or throws a DocketError whose code is in `codes`. */
export function onlyCodedErrors(fn: () => unknown, codes: Iterable<string>): boolean {
  const allowed = new Set(codes);
  try {
    fn();
    return true;
  } catch (err) {
    if (isDocketError(err) && allowed.has(err.code)) return true;
    throw err;
  }
}
