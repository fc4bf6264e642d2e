import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createLocalJWKSet, importJWK, type JWK, type JWTVerifyGetKey, SignJWT } from 'jose';
import { nonEmptyString, seconds } from './config-values.js';
import { DEV_KEY_FILE, type DevKey, loadOrCreateDevKey, readDevKey } from './dev-key-file.js';
import { IdentityErrorCode, identityError } from './errors.js';
import type { TokenVerifier, VerifiedIdentity } from './identity.js';
import { fromKeyResolutionError } from './jose-errors.js';
import { type JwtPolicy, verifyJwt } from './verify-jwt.js';

/** The issuer of dev-identity tokens. Not a URL on purpose: nothing can be discovered or fetched from it. */
export const DEV_ISSUER = 'urn:docket:dev-identity';

/** The claim dev tokens carry their groups in. */
export const DEV_GROUPS_CLAIM = 'groups';

const MAX_TTL_SECONDS = 7 * 24 * 3600;

/** What {@link DevIdentityIssuer.mintDevToken} needs. */
export interface DevTokenRequest {
  /** The named user, e.g. `alice`. */
  readonly subject: string;
  readonly groups?: readonly string[];
  /** Must equal the audience the dev verifier is configured with. */
  readonly audience: string;
  /** Lifetime (default 3600, at most 7 days). */
  readonly ttlSeconds?: number;
}

/** Mints dev-identity tokens from the local Ed25519 key. For the embedded demo only. */
export interface DevIdentityIssuer {
  readonly issuer: typeof DEV_ISSUER;
  readonly keyId: string;
  readonly publicJwk: JWK;
  mintDevToken(request: DevTokenRequest): Promise<string>;
}

function checkRequest(request: DevTokenRequest): {
  subject: string;
  groups: string[];
  audience: string;
  ttl: number;
} {
  const fail = (why: string): never => {
    throw identityError(IdentityErrorCode.DevRequestInvalid, `dev token request: ${why}`);
  };
  if (typeof request !== 'object' || request === null) fail('must be an object');
  const { subject, audience, groups = [], ttlSeconds = 3600 } = request;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (typeof subject !== 'string' || !/^[^\u0000-\u001f\u007f]{1,256}$/.test(subject)) {
    fail('subject must be 1 to 256 printable characters');
  }
  if (typeof audience !== 'string' || audience.length === 0) fail('audience must be a non-empty string');
  if (
    !Array.isArray(groups) ||
    groups.length > 100 ||
    !groups.every((g) => typeof g === 'string' && g.length > 0)
  ) {
    fail('groups must be a list of at most 100 non-empty strings');
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    fail(`ttlSeconds must be an integer in [1, ${MAX_TTL_SECONDS}]`);
  }
  return { subject, groups: [...groups], audience, ttl: ttlSeconds };
}

/**
 * Opens the dev-identity issuer whose Ed25519 private key lives in `keyDir` (created 0600 on first use). Tokens it
 * mints are accepted only by a dev verifier configured with `enabled: true`, and every identity they yield says
 * `dev: true`.
 *
 * @example
 * const dev = await createDevIdentityIssuer(join(home, 'keys'));
 * const token = await dev.mintDevToken({ subject: 'alice', groups: ['approvers'], audience: 'urn:docket:api' });
 */
export async function createDevIdentityIssuer(keyDir: string): Promise<DevIdentityIssuer> {
  nonEmptyString('keyDir', keyDir);
  const key = await loadOrCreateDevKey(keyDir);
  const signingKey = await importJWK(key.privateJwk, 'EdDSA');
  return {
    issuer: DEV_ISSUER,
    keyId: key.kid,
    publicJwk: key.publicJwk,
    async mintDevToken(request) {
      const { subject, groups, audience, ttl } = checkRequest(request);
      const iat = Math.floor(Date.now() / 1000);
      return new SignJWT({ [DEV_GROUPS_CLAIM]: groups })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
        .setIssuer(DEV_ISSUER)
        .setSubject(subject)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(randomUUID())
        .sign(signingKey);
    },
  };
}

/** Configuration of the dev-identity verifier. Anything but `enabled: true` refuses every token. */
export interface DevTokenVerifierConfig {
  readonly enabled: boolean;
  readonly keyDir: string;
  readonly audience: string;
  readonly clockToleranceSeconds?: number;
  readonly now?: () => Date;
}

/** Verifies dev-identity tokens (embedded demo only). */
export interface DevTokenVerifier extends TokenVerifier {
  readonly issuer: typeof DEV_ISSUER;
  readonly enabled: boolean;
}

/**
 * Creates the dev-identity verifier. Unless `enabled` is exactly `true`, `verify` refuses every token with
 * ERR_IDENTITY_DEV_DISABLED before looking at it. When enabled, tokens must be signed by the key in `keyDir`,
 * carry `iss` {@link DEV_ISSUER} and the configured audience; the identities have `dev: true`.
 *
 * @example
 * const verifier = createDevTokenVerifier({ enabled: config.devIdentity === true, keyDir, audience });
 */
export function createDevTokenVerifier(config: DevTokenVerifierConfig): DevTokenVerifier {
  const enabled = typeof config === 'object' && config !== null && config.enabled === true;
  if (!enabled) {
    return {
      issuer: DEV_ISSUER,
      issuers: Object.freeze([DEV_ISSUER]),
      enabled: false,
      verify: async () => {
        throw identityError(
          IdentityErrorCode.DevDisabled,
          'dev identity tokens are not accepted: not enabled',
          {
            details: { issuer: DEV_ISSUER },
          },
        );
      },
    };
  }
  const keyDir = nonEmptyString('keyDir', config.keyDir);
  const audience = nonEmptyString('audience', config.audience);
  const clockToleranceSeconds = seconds('clockToleranceSeconds', config.clockToleranceSeconds, 60, 0, 300);

  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const loadKeySet = async (): Promise<JWTVerifyGetKey> => {
    let key: DevKey;
    try {
      key = await readDevKey(join(keyDir, DEV_KEY_FILE));
    } catch (err) {
      keySet = undefined;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw identityError(
          IdentityErrorCode.UnknownKey,
          'no dev identity key exists yet, so no dev token is known',
          {
            details: { keyDir },
          },
        );
      }
      throw err;
    }
    return createLocalJWKSet({ keys: [key.publicJwk] });
  };
  const policy: JwtPolicy = {
    issuer: DEV_ISSUER,
    audience,
    algorithms: ['EdDSA'],
    groupsClaim: DEV_GROUPS_CLAIM,
    clockToleranceSeconds,
    ...(config.now === undefined ? {} : { now: config.now }),
    dev: true,
    getKey: async (header, token) => {
      keySet ??= loadKeySet();
      const resolve = await keySet;
      try {
        return await resolve(header, token);
      } catch (err) {
        throw fromKeyResolutionError(err);
      }
    },
  };
  return {
    issuer: DEV_ISSUER,
    issuers: Object.freeze([DEV_ISSUER]),
    enabled: true,
    verify: (token): Promise<VerifiedIdentity> => verifyJwt(token, policy),
  };
}
