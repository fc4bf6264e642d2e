import { DocketError } from '../errors/index.js';
import { KeyErrorCode } from './errors.js';

/** Longest key name docket creates or accepts in a key string (UTF-16 code units); C2SP sets no bound. */
export const MAX_KEY_NAME_LENGTH = 1024;

const WHITE_SPACE = /\p{White_Space}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether `name` may name a C2SP key: non-empty, valid UTF-8 (no lone surrogates), no Unicode space and no '+'
 * (C2SP signed-note §Format). ASCII control characters are refused too: a signed note may not contain them, so a
 * key so named could never sign one.
 *
 * @example
 * isValidKeyName('example.com/log') // true
 * isValidKeyName('two words') // false
 */
export function isValidKeyName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (name.includes('+') || WHITE_SPACE.test(name) || LONE_SURROGATE.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) < 0x20) return false;
  }
  return true;
}

/** Throws ERR_KEY_NAME_INVALID unless `name` is a valid key name of at most MAX_KEY_NAME_LENGTH units. */
export function assertKeyName(name: unknown): asserts name is string {
  if (!isValidKeyName(name) || name.length > MAX_KEY_NAME_LENGTH) {
    throw new DocketError(
      KeyErrorCode.NameInvalid,
      `a key name must be 1 to ${MAX_KEY_NAME_LENGTH} characters with no '+', space or control character`,
      { details: { length: typeof name === 'string' ? name.length : undefined } },
    );
  }
}
