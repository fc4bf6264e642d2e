import { createHash } from 'node:crypto';
import {
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { isDocketError } from '../errors/index.js';
import { IdentityErrorCode, identityError } from './errors.js';
import type { TokenEvidence, VerifiedIdentity } from './identity.js';
import { fromJoseError } from './jose-errors.js';

/** Tokens longer than this are refused before any parsing (headers carrying them rarely exceed 16 KiB). */
export const MAX_TOKEN_CHARS = 32 * 1024;

// RFC 7515 §7.1 compact serialization: three base64url parts. The signature may be empty so that an
// `alg: none` token is reported as a refused algorithm rather than as garbage.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A token's header and claims, decoded but NOT verified: only for routing and early refusal. */
export interface UnverifiedToken {
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
}

/** Decodes a compact JWS without verifying it; anything that is not one is ERR_IDENTITY_TOKEN_MALFORMED. */
export function decodeUnverified(token: unknown): UnverifiedToken {
  if (typeof token !== 'string') {
    throw identityError(IdentityErrorCode.TokenMalformed, 'the token is not a string');
  }
  if (token.length > MAX_TOKEN_CHARS) {
    throw identityError(
      IdentityErrorCode.TokenMalformed,
      `the token is longer than ${MAX_TOKEN_CHARS} characters`,
      {
        details: { length: token.length },
      },
    );
  }
  if (!COMPACT_JWS.test(token)) {
    throw identityError(
      IdentityErrorCode.TokenMalformed,
      'the token is not a compact JWS (three base64url parts)',
    );
  }
  // RFC 4648 §3.5: leftover bits must be zero. Without this check a signature has several spellings, and so
  // one token several digests in the evidence.
  for (const part of token.split('.')) {
    if (Buffer.from(part, 'base64url').toString('base64url') !== part) {
      throw identityError(IdentityErrorCode.TokenMalformed, 'the token is not canonical base64url');
    }
  }
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch (cause) {
    throw identityError(IdentityErrorCode.TokenMalformed, 'the token header or claims are not JSON objects', {
      cause,
    });
  }
}

/** Everything {@link verifyJwt} needs; built by the OIDC and dev verifiers. */
export interface JwtPolicy {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly groupsClaim: string;
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds?: number;
  readonly tokenType?: string;
  readonly now?: () => Date;
  readonly dev: boolean;
  /** Runs after the cheap header/issuer checks and before any key is resolved (e.g. discovery). */
  readonly prepare?: () => Promise<void>;
  /** Resolves the verification key; its errors must already be DocketErrors. */
  readonly getKey: JWTVerifyGetKey;
}

const clip = (value: unknown): string => String(value).slice(0, 64);

/**
 * Verifies a bearer token against a policy. Order matters: syntax, algorithm allow-list, `kid` and `iss` are
 * decided from the unverified token before any network access, so garbage and foreign tokens never cost a fetch.
 */
export async function verifyJwt(token: unknown, policy: JwtPolicy): Promise<VerifiedIdentity> {
  const { header, payload: unverified } = decodeUnverified(token);
  if (typeof header.alg !== 'string' || !policy.algorithms.includes(header.alg)) {
    throw identityError(
      IdentityErrorCode.AlgorithmRefused,
      `algorithm ${JSON.stringify(clip(header.alg))} refused`,
      {
        details: { alg: clip(header.alg), accepted: [...policy.algorithms] },
      },
    );
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    throw identityError(IdentityErrorCode.UnknownKey, 'the token header names no key (kid)');
  }
  if (unverified.iss === undefined) {
    throw identityError(IdentityErrorCode.ClaimMissing, 'the token has no "iss" claim', {
      details: { claim: 'iss' },
    });
  }
  if (unverified.iss !== policy.issuer) {
    throw identityError(IdentityErrorCode.WrongIssuer, 'the token was issued by another issuer', {
      details: { expected: policy.issuer, actual: clip(unverified.iss) },
    });
  }
  const now = policy.now?.() ?? new Date();
  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    await policy.prepare?.();
    verified = await jwtVerify(token as string, policy.getKey, {
      issuer: policy.issuer,
      audience: policy.audience,
      algorithms: [...policy.algorithms],
      clockTolerance: policy.clockToleranceSeconds,
      requiredClaims: ['sub', 'iat', 'exp'],
      currentDate: now,
      ...(policy.maxTokenAgeSeconds === undefined ? {} : { maxTokenAge: policy.maxTokenAgeSeconds }),
      ...(policy.tokenType === undefined ? {} : { typ: policy.tokenType }),
    });
  } catch (err) {
    throw isDocketError(err) ? err : fromJoseError(err);
  }
  return toVerifiedIdentity(
    token as string,
    verified.protectedHeader.alg,
    header.kid,
    verified.payload,
    now,
    policy,
  );
}

function toVerifiedIdentity(
  token: string,
  alg: string,
  kid: string,
  claims: JWTPayload,
  now: Date,
  policy: JwtPolicy,
): VerifiedIdentity {
  const invalid = (claim: string, why: string): never => {
    throw identityError(IdentityErrorCode.ClaimInvalid, `the token's "${claim}" claim ${why}`, {
      details: { claim },
    });
  };
  const { sub, iat, exp, jti, aud } = claims;
  if (typeof sub !== 'string' || sub.length === 0) return invalid('sub', 'must be a non-empty string');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return invalid('iat', 'must be a number');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return invalid('exp', 'must be a number');
  if (jti !== undefined && typeof jti !== 'string') return invalid('jti', 'must be a string');
  if (!(typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string')))) {
    return invalid('aud', 'must be a string or a list of strings');
  }
  // jose checks `iat` only together with maxTokenAge; a token minted in the future is never valid yet.
  if (iat > now.getTime() / 1000 + policy.clockToleranceSeconds) {
    throw identityError(IdentityErrorCode.NotYetValid, 'the token\'s "iat" lies in the future', {
      details: { claim: 'iat' },
    });
  }
  const groups = readGroups(claims, policy.groupsClaim);
  const tokenEvidence: TokenEvidence = {
    alg,
    kid,
    iss: policy.issuer,
    sub,
    aud: Array.isArray(aud) ? Object.freeze([...aud]) : aud,
    iat,
    exp,
    ...(jti === undefined ? {} : { jti }),
    tokenDigest: `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`,
    dev: policy.dev,
  };
  return Object.freeze({
    issuer: policy.issuer,
    subject: sub,
    groups,
    audience: policy.audience,
    expiresAt: new Date(exp * 1000),
    issuedAt: new Date(iat * 1000),
    ...(jti === undefined ? {} : { tokenId: jti }),
    tokenEvidence: Object.freeze(tokenEvidence),
    dev: policy.dev,
  });
}

/**
 * Reads the configured groups claim: absent means no groups; anything but a list of strings is refused rather
 * than guessed at (a space-separated string, say, is not split).
 */
export function readGroups(claims: JWTPayload, claim: string): readonly string[] {
  if (!Object.hasOwn(claims, claim)) return Object.freeze([]);
  const value = claims[claim];
  if (!Array.isArray(value) || !value.every((g) => typeof g === 'string')) {
    throw identityError(
      IdentityErrorCode.ClaimInvalid,
      `the token's "${claim}" claim must be a list of strings`,
      {
        details: { claim },
      },
    );
  }
  return Object.freeze([...new Set(value as string[])]);
}
