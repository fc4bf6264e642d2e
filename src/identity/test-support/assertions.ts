import { expect } from 'vitest';
import { type DocketError, isDocketError } from '../../errors/index.js';

/** Awaits a promise that must reject with a DocketError of `code`, and returns that error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<DocketError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected ${code}, but it resolved`);
  const { error } = outcome;
  if (!isDocketError(error))
    throw new Error(`expected DocketError ${code}, got ${String(error)}`, { cause: error });
  expect(error.code, error.message).toBe(code);
  return error;
}
