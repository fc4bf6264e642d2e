import { IdentityErrorCode, identityError } from './errors.js';

/** The algorithms a verifier accepts when none are configured. */
export const DEFAULT_ALGORITHMS: readonly string[] = Object.freeze(['RS256', 'PS256', 'ES256', 'EdDSA']);

// Asymmetric JWS algorithms only (RFC 7518 §3.1, RFC 8037 §3.1, RFC 9864 §2.2). HMAC is refused outright: with a
// public key fetched from a JWKS as the "secret", anyone could forge tokens (the classic RS256→HS256 confusion).
const ASYMMETRIC = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

/**
 * Validates a configured allow-list: non-empty, asymmetric signature algorithms only. `none` and `HS*` are a coded
 * configuration error even when configured on purpose.
 */
export function parseAlgorithms(configured: readonly string[] | undefined): readonly string[] {
  const algorithms = configured ?? DEFAULT_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw identityError(IdentityErrorCode.ConfigInvalid, 'algorithms must be a non-empty list');
  }
  for (const alg of algorithms) {
    if (typeof alg !== 'string' || !ASYMMETRIC.has(alg)) {
      const why =
        typeof alg === 'string' && (alg.toLowerCase() === 'none' || alg.toUpperCase().startsWith('HS'))
          ? 'unsigned and HMAC algorithms are never accepted'
          : 'only asymmetric JWS algorithms are accepted';
      throw identityError(
        IdentityErrorCode.ConfigInvalid,
        `algorithm ${JSON.stringify(alg)} refused: ${why}`,
        {
          details: { algorithm: String(alg), accepted: [...ASYMMETRIC] },
        },
      );
    }
  }
  return Object.freeze([...new Set(algorithms)]);
}
