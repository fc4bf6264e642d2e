import { createDevTokenVerifier, type DevTokenVerifierConfig } from './dev-identity.js';
import { IdentityErrorCode, identityError } from './errors.js';
import type { TokenVerifier, VerifiedIdentity } from './identity.js';
import { createTokenVerifier, type TokenVerifierConfig } from './token-verifier.js';
import { decodeUnverified } from './verify-jwt.js';

/** Which issuers docket trusts: OpenID Providers and, for the embedded demo, the dev identity. */
export interface IdentityVerifierConfig {
  /** One or more OpenID Providers, as configuration or ready verifiers. */
  readonly oidc?: TokenVerifierConfig | TokenVerifier | readonly (TokenVerifierConfig | TokenVerifier)[];
  /** The dev identity, as configuration or a ready verifier; its tokens are refused unless it is enabled. */
  readonly dev?: DevTokenVerifierConfig | TokenVerifier;
}

/** Verifies a token from any configured issuer. */
export interface IdentityVerifier extends TokenVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
}

function isVerifier(value: unknown): value is TokenVerifier {
  return typeof value === 'object' && value !== null && typeof (value as TokenVerifier).verify === 'function';
}

/**
 * Routes each token by its unverified `iss` to the verifier of that issuer. A token naming any other issuer is
 * refused with ERR_IDENTITY_UNKNOWN_ISSUER before any key or discovery fetch; the chosen verifier then checks
 * everything, `iss` included, against the signature.
 *
 * @example
 * const identities = createIdentityVerifier({ oidc: { issuer, audience }, dev: { enabled: false, keyDir, audience } });
 */
export function createIdentityVerifier(config: IdentityVerifierConfig): IdentityVerifier {
  const oidc = config.oidc === undefined ? [] : Array.isArray(config.oidc) ? config.oidc : [config.oidc];
  const verifiers: TokenVerifier[] = oidc.map((c: TokenVerifierConfig | TokenVerifier) =>
    isVerifier(c) ? c : createTokenVerifier(c),
  );
  if (config.dev !== undefined) {
    verifiers.push(isVerifier(config.dev) ? config.dev : createDevTokenVerifier(config.dev));
  }
  const byIssuer = new Map<string, TokenVerifier>();
  for (const verifier of verifiers) {
    for (const issuer of verifier.issuers) {
      if (byIssuer.has(issuer)) {
        throw identityError(IdentityErrorCode.ConfigInvalid, `issuer ${issuer} is configured twice`, {
          details: { issuer },
        });
      }
      byIssuer.set(issuer, verifier);
    }
  }
  if (byIssuer.size === 0) {
    throw identityError(IdentityErrorCode.ConfigInvalid, 'no issuer configured: give oidc, dev, or both');
  }
  const issuers = Object.freeze([...byIssuer.keys()]);
  return {
    issuers,
    async verify(token) {
      const { iss } = decodeUnverified(token).payload;
      if (iss === undefined) {
        throw identityError(IdentityErrorCode.ClaimMissing, 'the token has no "iss" claim', {
          details: { claim: 'iss' },
        });
      }
      const verifier = typeof iss === 'string' ? byIssuer.get(iss) : undefined;
      if (verifier === undefined) {
        throw identityError(
          IdentityErrorCode.UnknownIssuer,
          'the token names an issuer docket does not trust',
          {
            details: { issuer: String(iss).slice(0, 200), trusted: issuers },
          },
        );
      }
      return verifier.verify(token);
    },
  };
}
