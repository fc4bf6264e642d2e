import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, discoverIssuer, IdentityErrorCode } from './index.js';
import { rejectsWithCode } from './test-support/assertions.js';
import { signToken } from './test-support/forge.js';

// A hostile "identity provider": each first path segment selects a misbehaviour. The issuer of case `c` is
// `<origin>/c`, so its discovery document lives at `/c/.well-known/openid-configuration` (OIDC Discovery §4.1).
describe('discovery and JWKS from a hostile server', () => {
  let server: Server;
  let origin: string;
  let flakyFailures = 1;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

  const doc = (name: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ issuer: `${origin}/${name}`, jwks_uri: `${origin}/${name}/jwks`, ...extra });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const [, name = '', ...rest] = (req.url ?? '').split('/');
      const wellKnown = rest.join('/') === '.well-known/openid-configuration';
      const json = (body: string, status = 200) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      if (!wellKnown) {
        // JWKS endpoints
        if (name === 'jwks-garbage') return json('<html>');
        if (name === 'jwks-500') return json('{}', 500);
        if (name === 'jwks-slow') return undefined;
        if (name === 'jwks-symmetric') {
          return json(JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'k', alg: 'HS256' }] }));
        }
        return json('{"keys":[]}');
      }
      switch (name) {
        case 'not-json':
          return json('hello');
        case 'array':
          return json('[]');
        case 'null':
          return json('null');
        case 'wrong-issuer':
          return json(doc(name, { issuer: `${origin}/someone-else` }));
        case 'trailing-slash':
          return json(doc(name, { issuer: `${origin}/trailing-slash/` }));
        case 'no-jwks':
          return json(JSON.stringify({ issuer: `${origin}/${name}` }));
        case 'jwks-number':
          return json(doc(name, { jwks_uri: 42 }));
        case 'jwks-plain-http':
          return json(doc(name, { jwks_uri: 'http://keys.example.com/jwks' }));
        case 'bad-device-endpoint':
          return json(doc(name, { device_authorization_endpoint: 'javascript:alert(1)' }));
        case 'status-500':
          return json(doc(name), 500);
        case 'redirect':
          return res.writeHead(302, { location: `/ok/.well-known/openid-configuration` }).end();
        case 'huge':
          return json(`{"issuer":"${origin}/huge","pad":"${'x'.repeat(600 * 1024)}"}`);
        case 'huge-chunked':
          res.writeHead(200, { 'content-type': 'application/json' });
          for (let i = 0; i < 700; i += 1) res.write('x'.repeat(1024));
          return res.end();
        case 'bad-utf8':
          return res.writeHead(200).end(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
        case 'slow':
          return undefined;
        case 'flaky':
          if (flakyFailures > 0) {
            flakyFailures -= 1;
            return json('{}', 503);
          }
          return json(doc(name));
        default:
          return json(doc(name, { device_authorization_endpoint: `${origin}/${name}/device/auth` }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('parses a well-formed document', async () => {
    const found = await discoverIssuer(`${origin}/ok`);
    expect(found.issuer).toBe(`${origin}/ok`);
    expect(found.jwksUri.href).toBe(`${origin}/ok/jwks`);
    expect(found.deviceAuthorizationEndpoint?.href).toBe(`${origin}/ok/device/auth`);
  });

  it.each([
    'not-json',
    'array',
    'null',
    'wrong-issuer',
    'trailing-slash',
    'no-jwks',
    'jwks-number',
    'jwks-plain-http',
    'bad-device-endpoint',
    'status-500',
    'redirect',
    'huge',
    'huge-chunked',
    'bad-utf8',
  ])('refuses a discovery document that is %s', async (name) => {
    const err = await rejectsWithCode(discoverIssuer(`${origin}/${name}`), IdentityErrorCode.DiscoveryFailed);
    expect(err.details).toMatchObject({ issuer: `${origin}/${name}` });
  });

  it('gives up on a provider that does not answer', async () => {
    const started = Date.now();
    await rejectsWithCode(
      discoverIssuer(`${origin}/slow`, { timeoutSeconds: 0.2 }),
      IdentityErrorCode.DiscoveryFailed,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports an unreachable provider', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await rejectsWithCode(discoverIssuer(`http://127.0.0.1:${port}`), IdentityErrorCode.DiscoveryFailed);
  });

  const tokenFor = (name: string, kid = 'k') =>
    signToken(
      { alg: 'RS256', kid },
      {
        iss: `${origin}/${name}`,
        sub: 'alice',
        aud: 'urn:docket:api',
        iat: Math.floor(Date.now() / 1000),
        exp: 2e9,
      },
      signingKey,
    );

  it('surfaces discovery failure from verify, and retries discovery on the next token', async () => {
    const verifier = createTokenVerifier({ issuer: `${origin}/flaky`, audience: 'urn:docket:api' });
    const token = await tokenFor('flaky');
    await rejectsWithCode(verifier.verify(token), IdentityErrorCode.DiscoveryFailed);
    // Discovery now succeeds; the JWKS is empty, so the token's key is unknown.
    await rejectsWithCode(verifier.verify(token), IdentityErrorCode.UnknownKey);
  });

  it.each([
    ['jwks-garbage', IdentityErrorCode.JwksUnavailable],
    ['jwks-500', IdentityErrorCode.JwksUnavailable],
    ['jwks-slow', IdentityErrorCode.JwksUnavailable],
    // A JWKS serving a symmetric key never lets an RS256 token (nor, by the allow-list, an HS256 one) through.
    ['jwks-symmetric', IdentityErrorCode.UnknownKey],
  ])('maps a JWKS that is %s to %s', async (name, code) => {
    const verifier = createTokenVerifier({
      issuer: `${origin}/${name}`,
      audience: 'urn:docket:api',
      fetchTimeoutSeconds: 0.3,
    });
    await rejectsWithCode(verifier.verify(await tokenFor(name)), code);
  });
});
