import type { FastifyRequest } from 'fastify';
import { DocketError } from '../../errors/index.js';
import type { TokenVerifier, VerifiedIdentity } from '../../identity/index.js';
import { ServerErrorCode } from '../errors.js';

// RFC 6750 §2.1: `Bearer` then one b64token; JWTs are far shorter than 16 KiB.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The bearer token of an API call (RFC 6750 §2.1). Only the header is accepted: never a query parameter (which
 * ends up in logs) nor a cookie (which a browser would send on its own, cross-site).
 */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = typeof header === 'string' && header.length <= 16_384 ? BEARER.exec(header) : null;
  if (match === null) {
    throw new DocketError(
      ServerErrorCode.Unauthenticated,
      'this route needs an access token: Authorization: Bearer <token>',
    );
  }
  return match[1] as string;
}

/** The bearer token of an API call and the identity it verifies as. */
export async function authenticate(
  request: FastifyRequest,
  verifier: TokenVerifier,
): Promise<{ token: string; identity: VerifiedIdentity }> {
  const token = bearerToken(request);
  return { token, identity: await verifier.verify(token) };
}
