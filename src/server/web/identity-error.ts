import type { DocketError } from '../../errors/index.js';
import { IdentityErrorCode } from '../../identity/index.js';

const IDENTITY_CODES: ReadonlySet<string> = new Set(Object.values(IdentityErrorCode));

/** True for a token problem (expired, wrong audience...): the person should sign in again. */
export function isIdentityError(err: DocketError): boolean {
  return IDENTITY_CODES.has(err.code);
}
