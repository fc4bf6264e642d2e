import { errors } from 'jose';
import { type DocketError, isDocketError } from '../errors/index.js';
import { IdentityErrorCode, identityError } from './errors.js';

type ClaimFailure = errors.JWTClaimValidationFailed | errors.JWTExpired;

// jose reports which claim failed and why (`claim`, `reason`); `payload` stays out of our details on purpose.
function fromClaimFailure(err: ClaimFailure): DocketError {
  const details = { claim: err.claim, reason: err.reason };
  if (err instanceof errors.JWTExpired) {
    const why =
      err.claim === 'iat' ? 'the token is older than the maximum token age' : 'the token has expired';
    return identityError(IdentityErrorCode.Expired, why, { details, cause: err });
  }
  if (err.reason === 'missing') {
    return identityError(IdentityErrorCode.ClaimMissing, `the token has no "${err.claim}" claim`, {
      details,
      cause: err,
    });
  }
  switch (err.claim) {
    case 'iss':
      return identityError(IdentityErrorCode.WrongIssuer, 'the token was issued by another issuer', {
        details,
      });
    case 'aud':
      return identityError(IdentityErrorCode.WrongAudience, 'the token is meant for another audience', {
        details,
      });
    case 'typ':
      return identityError(IdentityErrorCode.WrongTokenType, 'the token is not of the required type (typ)', {
        details,
      });
    case 'nbf':
    case 'iat':
      return identityError(IdentityErrorCode.NotYetValid, `the token's "${err.claim}" lies in the future`, {
        details,
      });
    default:
      return identityError(IdentityErrorCode.ClaimInvalid, `the token's "${err.claim}" claim is invalid`, {
        details,
        cause: err,
      });
  }
}

/**
 * Maps any error thrown by jose's jwtVerify (or our key resolver) to exactly one identity code. Errors that are
 * already DocketErrors pass through; errors from outside jose become ERR_IDENTITY_VERIFICATION_FAILED.
 */
export function fromJoseError(err: unknown): DocketError {
  if (isDocketError(err)) return err;
  if (err instanceof errors.JWTExpired || err instanceof errors.JWTClaimValidationFailed) {
    return fromClaimFailure(err);
  }
  if (!(err instanceof errors.JOSEError)) {
    return identityError(IdentityErrorCode.VerificationFailed, 'token verification failed unexpectedly', {
      cause: err,
    });
  }
  const details = { joseCode: err.code };
  switch (err.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return identityError(
        IdentityErrorCode.AlgorithmRefused,
        'the token uses an algorithm that is not accepted',
        {
          details,
          cause: err,
        },
      );
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return identityError(IdentityErrorCode.SignatureInvalid, 'the token signature does not verify', {
        details,
        cause: err,
      });
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return identityError(
        IdentityErrorCode.UnknownKey,
        "no single key of the issuer's JWKS matches the token",
        {
          details,
          cause: err,
        },
      );
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWK_INVALID':
      return identityError(IdentityErrorCode.JwksUnavailable, "the issuer's JWKS is unavailable or invalid", {
        details,
        cause: err,
      });
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWE_INVALID':
    case 'ERR_JWE_DECRYPTION_FAILED':
      return identityError(IdentityErrorCode.TokenMalformed, 'the token is not a well-formed signed JWT', {
        details,
        cause: err,
      });
    default:
      return identityError(IdentityErrorCode.VerificationFailed, 'token verification failed', {
        details,
        cause: err,
      });
  }
}

/**
 * Maps errors raised while resolving the verification key: an unmatched key is the token's problem
 * (ERR_IDENTITY_UNKNOWN_KEY); anything else (network, timeout, non-200, garbage JWKS) is the issuer's.
 */
export function fromKeyResolutionError(err: unknown): DocketError {
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return fromJoseError(err);
  }
  if (err instanceof errors.JOSENotSupported) return fromJoseError(err);
  return identityError(
    IdentityErrorCode.JwksUnavailable,
    "the issuer's JWKS could not be fetched or parsed",
    {
      details: err instanceof errors.JOSEError ? { joseCode: err.code } : {},
      cause: err,
    },
  );
}
