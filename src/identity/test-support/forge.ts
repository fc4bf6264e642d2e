/** Tools for building hostile tokens in tests: tampering, re-signing, stripping signatures. */
import { type CryptoKey, type JWTPayload, type KeyObject, SignJWT } from 'jose';

type Json = Record<string, unknown>;

export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The decoded parts of a compact JWS (no verification). */
export function splitToken(token: string): { header: Json; payload: Json; signature: string } {
  const [h = '', p = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Json,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Json,
    signature,
  };
}

/** The same token with a changed payload and the ORIGINAL signature. */
export function tamperPayload(token: string, patch: Json): string {
  const [h, , s] = token.split('.');
  return `${h}.${b64json({ ...splitToken(token).payload, ...patch })}.${s}`;
}

/** An unsecured JWT (RFC 7519 §6): the given header (say `alg: none`), the payload, an empty signature. */
export function unsecuredToken(header: Json, payload: Json): string {
  return `${b64json(header)}.${b64json(payload)}.`;
}

/** Signs `payload` as-is under `header` with any key or secret jose accepts. */
export function signToken(
  header: Json & { alg: string },
  payload: Json,
  key: CryptoKey | KeyObject | Uint8Array,
): Promise<string> {
  return new SignJWT(payload as JWTPayload).setProtectedHeader(header).sign(key);
}
