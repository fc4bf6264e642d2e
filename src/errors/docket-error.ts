/**
 * The one error type docket throws for any condition a caller can act on.
 * `code` is stable (documented in docs/errors.md); `message` is for people; `cause` chains the origin.
 *
 * @example
 * try { parseDigest(input) } catch (err) {
 *   if (isDocketError(err) && err.code === 'ERR_DIGEST_MALFORMED') { ... }
 * }
 */
export class DocketError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: Code,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DocketError';
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  toJSON(): { code: Code; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Narrows an unknown thrown value to a DocketError, optionally of one code. */
export function isDocketError(err: unknown, code?: string): err is DocketError {
  return err instanceof DocketError && (code === undefined || err.code === code);
}
