import { createRemoteJWKSet, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import { parseAlgorithms } from './algorithms.js';
import { nonEmptyString, seconds } from './config-values.js';
import { type DiscoveryDocument, discoverIssuer } from './discovery.js';
import { IdentityErrorCode, identityError } from './errors.js';
import type { TokenVerifier, VerifiedIdentity } from './identity.js';
import { fromKeyResolutionError } from './jose-errors.js';
import { parseIssuerUrl } from './transport.js';
import { type JwtPolicy, verifyJwt } from './verify-jwt.js';

/** How to trust one OpenID Provider. Only `issuer` and `audience` are required. */
export interface TokenVerifierConfig {
  /** The issuer identifier, exactly as the provider's discovery document and tokens spell it. */
  readonly issuer: string;
  /** The audience docket's API requires (`aud` must contain it), e.g. the resource indicator of the API. */
  readonly audience: string;
  /** The claim holding the subject's groups or roles (default `groups`). */
  readonly groupsClaim?: string;
  /** Accepted JWS algorithms (default RS256, PS256, ES256, EdDSA); `none` and HS* are a config error. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat` (default 60, at most 300). */
  readonly clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this, whatever their `exp`. */
  readonly maxTokenAgeSeconds?: number;
  /**
   * Require this header `typ`, compared as RFC 9068 §4 says (case-insensitive, `application/` prefix optional).
   * `at+jwt` refuses ID tokens and other JWTs of the issuer outright; leave unset for providers (Entra ID,
   * Keycloak) whose access tokens say `JWT`.
   */
  readonly tokenType?: string;
  /** Timeout of each discovery and JWKS request (default 5). */
  readonly fetchTimeoutSeconds?: number;
  /** After a JWKS fetch, an unknown `kid` triggers another fetch only once this has passed (default 30). */
  readonly jwksCooldownSeconds?: number;
  /** Keys are refetched when older than this (default 600). */
  readonly jwksCacheMaxAgeSeconds?: number;
  /** The clock used for `exp`/`nbf`/`iat` (default: the system clock). For tests and replays. */
  readonly now?: () => Date;
}

/** A verifier for one OpenID Provider's tokens. */
export interface OidcTokenVerifier extends TokenVerifier {
  readonly issuer: string;
  /** Runs (or returns the cached) discovery; useful to fail fast at startup. */
  discover(): Promise<DiscoveryDocument>;
  /**
   * Verifies a bearer token: signature by a key of the issuer's JWKS, `iss`, `aud`, `exp`/`nbf`/`iat` within the
   * clock tolerance, `alg` on the allow-list. Resolves to the identity, or rejects with a coded DocketError.
   */
  verify(token: string): Promise<VerifiedIdentity>;
}

/**
 * Creates a verifier for tokens of one OpenID Provider. Configuration is checked at once (coded
 * ERR_IDENTITY_CONFIG_INVALID); discovery and the JWKS are fetched on first use and cached, the JWKS refreshed
 * when a token names an unknown `kid` (at most once per cooldown).
 *
 * @example
 * const verifier = createTokenVerifier({ issuer: 'https://login.example.com', audience: 'https://docket.example.com/api' });
 * const who = await verifier.verify(bearer); // { issuer, subject, groups, tokenEvidence, dev: false, ... }
 */
export function createTokenVerifier(config: TokenVerifierConfig): OidcTokenVerifier {
  if (typeof config !== 'object' || config === null) {
    throw identityError(IdentityErrorCode.ConfigInvalid, 'token verifier configuration must be an object');
  }
  const issuer = config.issuer;
  parseIssuerUrl(issuer);
  const audience = nonEmptyString('audience', config.audience);
  const groupsClaim = nonEmptyString('groupsClaim', config.groupsClaim ?? 'groups');
  const algorithms = parseAlgorithms(config.algorithms);
  const clockToleranceSeconds = seconds('clockToleranceSeconds', config.clockToleranceSeconds, 60, 0, 300);
  const maxTokenAgeSeconds =
    config.maxTokenAgeSeconds === undefined
      ? undefined
      : seconds('maxTokenAgeSeconds', config.maxTokenAgeSeconds, 0, 1, 366 * 24 * 3600);
  const tokenType =
    config.tokenType === undefined ? undefined : nonEmptyString('tokenType', config.tokenType);
  const timeoutSeconds = seconds('fetchTimeoutSeconds', config.fetchTimeoutSeconds, 5, 0.001, 120);
  const cooldownSeconds = seconds('jwksCooldownSeconds', config.jwksCooldownSeconds, 30, 0, 24 * 3600);
  const cacheMaxAgeSeconds = seconds(
    'jwksCacheMaxAgeSeconds',
    config.jwksCacheMaxAgeSeconds,
    600,
    0,
    7 * 24 * 3600,
  );
  if (config.now !== undefined && typeof config.now !== 'function') {
    throw identityError(IdentityErrorCode.ConfigInvalid, 'now must be a function returning a Date');
  }

  let discovery: Promise<{ document: DiscoveryDocument; jwks: RemoteJWKSet }> | undefined;
  const discover = () => {
    discovery ??= discoverIssuer(issuer, { timeoutSeconds }).then(
      (document) => ({
        document,
        jwks: createRemoteJWKSet(document.jwksUri, {
          timeoutDuration: Math.round(timeoutSeconds * 1000),
          cooldownDuration: cooldownSeconds * 1000,
          cacheMaxAge: cacheMaxAgeSeconds * 1000,
        }),
      }),
      (err: unknown) => {
        // Forget the failure so that the next token retries discovery once the provider is back.
        discovery = undefined;
        throw err;
      },
    );
    return discovery;
  };

  const getKey: JWTVerifyGetKey = async (header, token) => {
    const { jwks } = await discover();
    try {
      return await jwks(header, token);
    } catch (err) {
      throw fromKeyResolutionError(err);
    }
  };

  const policy: JwtPolicy = {
    issuer,
    audience,
    algorithms,
    groupsClaim,
    clockToleranceSeconds,
    ...(maxTokenAgeSeconds === undefined ? {} : { maxTokenAgeSeconds }),
    ...(tokenType === undefined ? {} : { tokenType }),
    ...(config.now === undefined ? {} : { now: config.now }),
    dev: false,
    prepare: async () => {
      await discover();
    },
    getKey,
  };

  return {
    issuer,
    issuers: Object.freeze([issuer]),
    discover: async () => (await discover()).document,
    verify: (token) => verifyJwt(token, policy),
  };
}
