import { IdentityErrorCode, identityError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for https URLs, and for plain http only on loopback (tests, the embedded demo). */
export function isTrustedTransport(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Parses an issuer identifier as configured. OIDC Discovery §3 / RFC 8414 §2: an https URL with no query or
 * fragment; http is tolerated on loopback only. The string itself is kept verbatim: `iss` must equal it exactly.
 */
export function parseIssuerUrl(issuer: unknown): URL {
  if (typeof issuer !== 'string' || issuer.length === 0) {
    throw identityError(IdentityErrorCode.ConfigInvalid, 'issuer must be a non-empty URL string');
  }
  const url = tryParseUrl(issuer);
  if (url === undefined) {
    throw identityError(IdentityErrorCode.ConfigInvalid, `issuer ${JSON.stringify(issuer)} is not a URL`, {
      details: { issuer },
    });
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw identityError(
      IdentityErrorCode.ConfigInvalid,
      'issuer must not carry a query, fragment or credentials',
      {
        details: { issuer },
      },
    );
  }
  if (!isTrustedTransport(url)) {
    throw identityError(
      IdentityErrorCode.ConfigInvalid,
      'issuer must use https (http only on 127.0.0.1/localhost)',
      {
        details: { issuer },
      },
    );
  }
  return url;
}

/** `new URL` without the throw (URL.parse needs Node 20.18; the package supports 20.11). */
export function tryParseUrl(input: string): URL | undefined {
  try {
    return new URL(input);
  } catch {
    return undefined;
  }
}

/** Reads at most `maxBytes` of a response body; a longer body is refused rather than buffered. */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new RangeError(`body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new RangeError(`body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}
