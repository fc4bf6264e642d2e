import { DocketError } from '../errors/index.js';

/**
 * Codes for identity: OIDC token verification, discovery, dev identity.
 * Every token-rejection code answers 401 at the HTTP edge; `DiscoveryFailed` and `JwksUnavailable` are the
 * identity provider's trouble, not the caller's (503); `ConfigInvalid` and `DevKeyInvalid` are the operator's (500).
 *
 * @example
 * switch (err.code) { case IdentityErrorCode.Expired: return reLogin(); ... }
 */
export const IdentityErrorCode = {
  /** The verifier or dev-issuer configuration is unusable (bad issuer URL, HS or none in the allow-list, ...). */
  ConfigInvalid: 'ERR_IDENTITY_CONFIG_INVALID',
  /** Not a compact JWS, not base64url, header or payload not a JSON object, or larger than the size limit. */
  TokenMalformed: 'ERR_IDENTITY_TOKEN_MALFORMED',
  /** `exp` is past (beyond the clock tolerance), or `iat` is older than `maxTokenAgeSeconds`. */
  Expired: 'ERR_IDENTITY_EXPIRED',
  /** `nbf` or `iat` lies in the future beyond the clock tolerance. */
  NotYetValid: 'ERR_IDENTITY_NOT_YET_VALID',
  /** `iss` is not the configured issuer (decided before any key is fetched). */
  WrongIssuer: 'ERR_IDENTITY_WRONG_ISSUER',
  /** `aud` does not name this service. */
  WrongAudience: 'ERR_IDENTITY_WRONG_AUDIENCE',
  /** The header's `typ` is not the one configured (e.g. an ID token where an `at+jwt` access token is required). */
  WrongTokenType: 'ERR_IDENTITY_WRONG_TOKEN_TYPE',
  /** The header's `alg` is not on the allow-list (always the case for `none` and every HMAC algorithm). */
  AlgorithmRefused: 'ERR_IDENTITY_ALGORITHM_REFUSED',
  /** The signature does not verify with the issuer's key named by `kid`. */
  SignatureInvalid: 'ERR_IDENTITY_SIGNATURE_INVALID',
  /** No key of the issuer's JWKS matches the header's `kid` and `alg` (even after a refresh), or no `kid`. */
  UnknownKey: 'ERR_IDENTITY_UNKNOWN_KEY',
  /** The issuer's JWKS could not be fetched or parsed (network, timeout, non-200, garbage). */
  JwksUnavailable: 'ERR_IDENTITY_JWKS_UNAVAILABLE',
  /** `/.well-known/openid-configuration` could not be fetched, parsed, or names another issuer. */
  DiscoveryFailed: 'ERR_IDENTITY_DISCOVERY_FAILED',
  /** A required claim (`sub`, `exp`, `iat`, `iss`, `aud`) is absent. */
  ClaimMissing: 'ERR_IDENTITY_CLAIM_MISSING',
  /** A claim has the wrong type or an unusable value (e.g. the groups claim is not a list of strings). */
  ClaimInvalid: 'ERR_IDENTITY_CLAIM_INVALID',
  /** The token's (unverified) `iss` names no issuer this docket is configured to trust. */
  UnknownIssuer: 'ERR_IDENTITY_UNKNOWN_ISSUER',
  /** A dev-identity token was presented but the configuration does not enable dev identity. */
  DevDisabled: 'ERR_IDENTITY_DEV_DISABLED',
  /** The dev-identity key file is unreadable, not an Ed25519 private JWK, or readable by others. */
  DevKeyInvalid: 'ERR_IDENTITY_DEV_KEY_INVALID',
  /** `mintDevToken` was asked for something unusable (empty subject, non-string group, bad TTL). */
  DevRequestInvalid: 'ERR_IDENTITY_DEV_REQUEST_INVALID',
  /** Verification failed for a reason none of the other codes describes; `cause` holds the original. */
  VerificationFailed: 'ERR_IDENTITY_VERIFICATION_FAILED',
} as const;

export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

/** Shorthand for a DocketError carrying an identity code. */
export function identityError(
  code: IdentityErrorCode,
  message: string,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): DocketError<IdentityErrorCode> {
  return new DocketError(code, message, options);
}
