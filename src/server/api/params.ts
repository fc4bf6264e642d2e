import { DocketError } from '../../errors/index.js';
import { ServerErrorCode } from '../errors.js';

/** Throws ERR_SERVER_INVALID naming the parameter. */
export function invalidParameter(name: string, why: string): never {
  throw new DocketError(ServerErrorCode.Invalid, `${name}: ${why}`, { details: { parameter: name } });
}

/** A non-negative integer from a path or query parameter (decimal digits only, no sign, no exponent). */
export function parseCount(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(value)) {
    return invalidParameter(name, 'must be a non-negative integer');
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) return invalidParameter(name, 'is too large');
  return n;
}

/** An optional non-negative integer query parameter. */
export function optionalCount(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : parseCount(value, name);
}

/** An optional single-valued string query parameter of at most `max` characters. */
export function optionalText(value: unknown, name: string, max = 512): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    return invalidParameter(name, `must be given once, 1-${max} characters`);
  }
  return value;
}

/** A JSON body that must be an object (not an array, not null). */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalidParameter('body', 'must be a JSON object');
  }
  return body as Record<string, unknown>;
}
