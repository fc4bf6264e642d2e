import { createHash } from 'node:crypto';
import { DocketError, isDocketError } from '../../errors/index.js';
import { type DiscoveryDocument, discoverIssuer } from '../../identity/index.js';
import { ServerErrorCode } from '../errors.js';
import type { LoginOptions } from '../server-options.js';

const DEFAULT_SCOPE = 'openid profile groups';
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** The approver UI's side of the authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636 S256, RFC 8707). */
export interface OidcClient {
  readonly issuer: string;
  /** The provider's authorization endpoint URL for one sign-in. */
  authorizationUrl(input: { state: string; codeVerifier: string; redirectUri: string }): Promise<URL>;
  /** Exchanges the code for an access token at the token endpoint (the token is then verified by the caller). */
  exchangeCode(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<string>;
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export function loginFailed(message: string, cause?: unknown): DocketError {
  return new DocketError(ServerErrorCode.LoginFailed, message, { cause });
}

/** An OIDC client for `options`, discovering the provider's endpoints on first use (and again after a failure). */
export function createOidcClient(options: LoginOptions): OidcClient {
  let discovered: Promise<DiscoveryDocument> | undefined;
  const endpoints = async (): Promise<{ authorize: URL; token: URL }> => {
    discovered ??= discoverIssuer(options.issuer);
    let doc: DiscoveryDocument;
    try {
      doc = await discovered;
    } catch (err) {
      discovered = undefined;
      throw err;
    }
    if (doc.authorizationEndpoint === undefined || doc.tokenEndpoint === undefined) {
      throw loginFailed(`${options.issuer} publishes no authorization or token endpoint`);
    }
    return { authorize: doc.authorizationEndpoint, token: doc.tokenEndpoint };
  };

  return {
    issuer: options.issuer,
    async authorizationUrl({ state, codeVerifier, redirectUri }) {
      const url = new URL((await endpoints()).authorize);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: redirectUri,
        scope: options.scope ?? DEFAULT_SCOPE,
        state,
        code_challenge: codeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        resource: options.resource,
      }).toString();
      return url;
    },
    async exchangeCode({ code, codeVerifier, redirectUri }) {
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
        client_id: options.clientId,
        resource: options.resource,
      });
      if (options.clientSecret !== undefined) form.set('client_secret', options.clientSecret);
      let status: number;
      let text: string;
      try {
        const response = await fetch((await endpoints()).token, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
        });
        status = response.status;
        text = await response.text();
      } catch (cause) {
        if (isDocketError(cause)) throw cause;
        throw loginFailed('the token endpoint did not answer', cause);
      }
      if (text.length > MAX_TOKEN_RESPONSE_BYTES) throw loginFailed('the token response is too large');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch (cause) {
        throw loginFailed(`the token endpoint answered ${status} with something other than JSON`, cause);
      }
      if (status !== 200) {
        // RFC 6749 §5.2: `error` is an ASCII code; the description may be anything, so it is not echoed.
        const error = typeof body?.error === 'string' ? body.error.slice(0, 64) : 'unknown';
        throw loginFailed(`the identity provider refused the code exchange (${status} ${error})`);
      }
      const token = body?.access_token;
      const type = body?.token_type;
      if (typeof token !== 'string' || typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
        throw loginFailed('the token response has no bearer access_token');
      }
      return token;
    },
  };
}
