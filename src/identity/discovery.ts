import { isDocketError } from '../errors/index.js';
import { IdentityErrorCode, identityError } from './errors.js';
import { isTrustedTransport, parseIssuerUrl, readCappedText, tryParseUrl } from './transport.js';

/** The parts of an OpenID Provider's metadata docket uses, parsed and checked. */
export interface DiscoveryDocument {
  /** Equal, character for character, to the configured issuer. */
  readonly issuer: string;
  readonly jwksUri: URL;
  readonly tokenEndpoint?: URL;
  readonly deviceAuthorizationEndpoint?: URL;
  readonly authorizationEndpoint?: URL;
}

/** Options for {@link discoverIssuer}. */
export interface DiscoveryOptions {
  /** Abort the request after this many seconds (default 5). */
  readonly timeoutSeconds?: number;
}

const MAX_DISCOVERY_BYTES = 512 * 1024;

// OIDC Discovery 1.0 §4.1: the issuer with any trailing "/" removed, then "/.well-known/openid-configuration".
function discoveryUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
}

/**
 * Fetches and checks `<issuer>/.well-known/openid-configuration`. The document is hostile input: it must be a
 * JSON object no larger than 512 KiB whose `issuer` equals the configured one exactly (OIDC Discovery §4.3), with
 * a `jwks_uri` on https (or loopback http). Redirects are refused. Any failure is ERR_IDENTITY_DISCOVERY_FAILED.
 *
 * @example
 * const { jwksUri, deviceAuthorizationEndpoint } = await discoverIssuer('https://login.example.com');
 */
export async function discoverIssuer(
  issuer: string,
  options: DiscoveryOptions = {},
): Promise<DiscoveryDocument> {
  parseIssuerUrl(issuer);
  const url = discoveryUrl(issuer);
  const fail = (why: string, cause?: unknown): never => {
    throw identityError(IdentityErrorCode.DiscoveryFailed, `discovery for ${issuer} failed: ${why}`, {
      details: { issuer, url: url.href },
      cause,
    });
  };
  const timeoutMs = Math.round((options.timeoutSeconds ?? 5) * 1000);
  let text = '';
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      fail(`HTTP ${response.status}`);
    }
    text = await readCappedText(response, MAX_DISCOVERY_BYTES);
  } catch (cause) {
    if (isDocketError(cause)) throw cause;
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    fail(timedOut ? `no answer within ${timeoutMs} ms` : `request failed (${String(cause)})`, cause);
  }
  return parseDiscoveryDocument(issuer, text, fail);
}

function parseDiscoveryDocument(issuer: string, text: string, fail: (why: string, cause?: unknown) => never) {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    fail('the document is not JSON', cause);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('the document is not a JSON object');
  const doc = raw as Record<string, unknown>;
  if (doc.issuer !== issuer) {
    fail(
      `the document names issuer ${JSON.stringify(String(doc.issuer)).slice(0, 200)}, not the configured one`,
    );
  }
  const endpoint = (name: string, required: boolean): URL | undefined => {
    const value = doc[name];
    if (value === undefined && !required) return undefined;
    const url = typeof value === 'string' ? tryParseUrl(value) : undefined;
    if (url === undefined) return fail(`${name} is missing or not a URL`);
    if (!isTrustedTransport(url)) return fail(`${name} must use https (http only on loopback)`);
    return url;
  };
  const jwksUri = endpoint('jwks_uri', true) as URL;
  const tokenEndpoint = endpoint('token_endpoint', false);
  const deviceAuthorizationEndpoint = endpoint('device_authorization_endpoint', false);
  const authorizationEndpoint = endpoint('authorization_endpoint', false);
  return {
    issuer,
    jwksUri,
    ...(tokenEndpoint ? { tokenEndpoint } : {}),
    ...(deviceAuthorizationEndpoint ? { deviceAuthorizationEndpoint } : {}),
    ...(authorizationEndpoint ? { authorizationEndpoint } : {}),
  };
}
