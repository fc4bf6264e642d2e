/** Longest type URI accepted. */
export const MAX_TYPE_URI_LENGTH = 2048;

// RFC 3986 §3.1 scheme, then only characters a URI may hold (§2: unreserved, reserved, '%' escapes).
const URI = /^[a-z][a-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * Whether `value` is an in-toto TypeURI: an RFC 3986 URI with a scheme, ASCII only, case-normalised (scheme and
 * authority in lowercase, RFC 3986 §6.2.2.1), as in-toto attestation field_types.md#TypeURI requires.
 *
 * @example
 * isTypeUri('https://docket.dev/promotion/v1') // true
 * isTypeUri('HTTPS://Docket.dev/x') // false
 */
export function isTypeUri(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_TYPE_URI_LENGTH || !URI.test(value)) return false;
  const authority = AUTHORITY.exec(value)?.[1];
  return authority === undefined || authority === authority.toLowerCase();
}
