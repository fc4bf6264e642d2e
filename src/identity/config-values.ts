import { IdentityErrorCode, identityError } from './errors.js';

/** A number of seconds from configuration: finite, within [min, max], else a coded config error. */
export function seconds(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw identityError(
      IdentityErrorCode.ConfigInvalid,
      `${name} must be a number of seconds in [${min}, ${max}]`,
      {
        details: { option: name },
      },
    );
  }
  return value;
}

/** A non-empty string from configuration, else a coded config error. */
export function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw identityError(IdentityErrorCode.ConfigInvalid, `${name} must be a non-empty string`, {
      details: { option: name },
    });
  }
  return value;
}
