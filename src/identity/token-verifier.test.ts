import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { createTokenVerifier, IdentityErrorCode, type OidcTokenVerifier } from './index.js';
import { rejectsWithCode } from './test-support/assertions.js';
import { b64json, signToken, splitToken, tamperPayload, unsecuredToken } from './test-support/forge.js';
import { startTestProvider, type TestProvider } from './test-support/oidc-provider.js';

// Every token below comes from a real oidc-provider through a real grant (device code, or code + PKCE), or is
// derived from such a token by an attacker's edits.
describe('createTokenVerifier against a real OpenID Provider', () => {
  let idp: TestProvider;
  let verifier: OidcTokenVerifier;
  let alice: string;

  beforeAll(async () => {
    idp = await startTestProvider();
    verifier = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience });
    alice = await idp.tokenFor('alice');
  });
  afterAll(() => idp.stop());

  it('verifies a device-flow token and reads subject, groups and evidence', async () => {
    const who = await verifier.verify(alice);
    expect(who).toMatchObject({ issuer: idp.issuer, subject: 'alice', groups: ['approvers'], dev: false });
    expect(who.audience).toBe(idp.audience);
    const { header, payload } = splitToken(alice);
    expect(who.tokenEvidence).toEqual({
      alg: 'RS256',
      kid: header.kid,
      iss: idp.issuer,
      sub: 'alice',
      aud: idp.audience,
      iat: payload.iat,
      exp: payload.exp,
      jti: payload.jti,
      tokenDigest: `sha256:${createHash('sha256').update(alice).digest('hex')}`,
      dev: false,
    });
    expect(who.tokenId).toBe(payload.jti);
    expect(who.expiresAt.getTime()).toBe((payload.exp as number) * 1000);
    expect(who.issuedAt.getTime()).toBe((payload.iat as number) * 1000);
    expect(JSON.stringify(who)).not.toContain(alice.split('.')[2]);
  });

  it('verifies an authorization-code + PKCE token for another account', async () => {
    const bob = await idp.tokenFor('bob', { grant: 'authorization_code' });
    expect(await verifier.verify(bob)).toMatchObject({ subject: 'bob', groups: ['risk'] });
  });

  it('gives committee members their group', async () => {
    const carol = await verifier.verify(await idp.tokenFor('carol'));
    expect(carol.groups).toEqual(['committee']);
  });

  it('reads groups from the configured claim: absent means none, a wrong type is refused', async () => {
    const none = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience, groupsClaim: 'roles' });
    expect((await none.verify(alice)).groups).toEqual([]);
    // `scope` is a space-separated string in a real token: not a list, so not guessed at.
    const scope = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience, groupsClaim: 'scope' });
    await rejectsWithCode(scope.verify(alice), IdentityErrorCode.ClaimInvalid);
  });

  it('requires a token type when configured (RFC 9068 at+jwt)', async () => {
    const config = { issuer: idp.issuer, audience: idp.audience };
    await expect(
      createTokenVerifier({ ...config, tokenType: 'at+jwt' }).verify(alice),
    ).resolves.toBeDefined();
    await expect(
      createTokenVerifier({ ...config, tokenType: 'application/AT+JWT' }).verify(alice),
    ).resolves.toBeDefined();
    await rejectsWithCode(
      createTokenVerifier({ ...config, tokenType: 'JWT' }).verify(alice),
      'ERR_IDENTITY_WRONG_TOKEN_TYPE',
    );
  });

  it('refuses a token the provider issued for another API', async () => {
    const elsewhere = await idp.tokenFor('alice', { resource: 'urn:example:other-api' });
    await rejectsWithCode(verifier.verify(elsewhere), IdentityErrorCode.WrongAudience);
  });

  it('refuses a token from another real provider before fetching anything', async () => {
    const other = await startTestProvider();
    try {
      const foreign = await other.tokenFor('alice');
      const fresh = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience });
      const before = idp.requests.length;
      const err = await rejectsWithCode(fresh.verify(foreign), IdentityErrorCode.WrongIssuer);
      expect(err.details).toMatchObject({ expected: idp.issuer, actual: other.issuer });
      expect(idp.requests.slice(before)).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('refuses alg none in any spelling, before any key is fetched', async () => {
    const { header, payload } = splitToken(alice);
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await rejectsWithCode(
        verifier.verify(unsecuredToken({ ...header, alg }, payload)),
        'ERR_IDENTITY_ALGORITHM_REFUSED',
      );
    }
  });

  it("refuses HS256 signed with the provider's own public key as the HMAC secret", async () => {
    const { jwksUri } = await verifier.discover();
    const jwks = (await (await fetch(jwksUri)).json()) as { keys: Array<Record<string, unknown>> };
    const rsa = jwks.keys.find((k) => k.kty === 'RSA');
    if (!rsa) throw new Error('provider publishes no RSA key');
    const publicKey = createPublicKey({ key: rsa as never, format: 'jwk' });
    const { payload } = splitToken(alice);
    const secrets = [
      publicKey.export({ type: 'spki', format: 'pem' }) as string,
      publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      JSON.stringify(rsa),
    ];
    for (const secret of secrets) {
      const forged = await signToken(
        { alg: 'HS256', kid: rsa.kid as string, typ: 'at+jwt' },
        { ...payload, sub: 'mallory', groups: ['committee'] },
        new TextEncoder().encode(secret),
      );
      await rejectsWithCode(verifier.verify(forged), IdentityErrorCode.AlgorithmRefused);
    }
  });

  it('refuses a token signed by a key the provider never published', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { payload } = splitToken(alice);
    const forged = await signToken({ alg: 'ES256', kid: 'attacker-key', typ: 'at+jwt' }, payload, privateKey);
    await rejectsWithCode(verifier.verify(forged), IdentityErrorCode.UnknownKey);
  });

  it("refuses a foreign key's signature that borrows a published kid", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { header, payload } = splitToken(alice);
    const forged = await signToken({ alg: 'RS256', kid: header.kid as string }, payload, privateKey);
    await rejectsWithCode(verifier.verify(forged), IdentityErrorCode.SignatureInvalid);
  });

  it('refuses a token without kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await signToken({ alg: 'RS256' }, splitToken(alice).payload, privateKey);
    await rejectsWithCode(verifier.verify(forged), IdentityErrorCode.UnknownKey);
  });

  it('refuses a tampered payload, and says nothing of the token in the error', async () => {
    const tampered = tamperPayload(alice, { groups: ['committee'] });
    const err = await rejectsWithCode(verifier.verify(tampered), IdentityErrorCode.SignatureInvalid);
    expect(JSON.stringify(err.toJSON())).not.toContain(alice.split('.')[2]);
    await rejectsWithCode(
      verifier.verify(tamperPayload(alice, { sub: 'bob' })),
      IdentityErrorCode.SignatureInvalid,
    );
  });

  it('refuses garbage as malformed', async () => {
    const garbage = [
      '',
      'not a token',
      'a.b',
      'a.b.c',
      `${b64json({ alg: 'RS256' })}.bm90IGpzb24.c2ln`,
      `${b64json([1, 2])}.${b64json({})}.c2ln`,
      `${b64json({ alg: 'RS256', kid: 'k' })}.${b64json('string')}.c2ln`,
      'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d',
      `${alice} `,
      `Bearer ${alice}`,
      'x'.repeat(40_000),
      `${alice.slice(0, -1)}!`,
    ];
    for (const token of garbage) {
      await rejectsWithCode(verifier.verify(token), IdentityErrorCode.TokenMalformed);
    }
    await rejectsWithCode(verifier.verify(42 as unknown as string), IdentityErrorCode.TokenMalformed);
    await rejectsWithCode(verifier.verify(undefined as unknown as string), IdentityErrorCode.TokenMalformed);
  });

  it('applies the clock: expiry, tolerance, not-yet-valid, maximum token age', async () => {
    const { iat, exp } = splitToken(alice).payload as { iat: number; exp: number };
    const at = (seconds: number) => () => new Date(seconds * 1000);
    const config = { issuer: idp.issuer, audience: idp.audience };
    await rejectsWithCode(
      createTokenVerifier({ ...config, now: at(exp + 61) }).verify(alice),
      IdentityErrorCode.Expired,
    );
    await expect(createTokenVerifier({ ...config, now: at(exp + 30) }).verify(alice)).resolves.toBeDefined();
    const strict = createTokenVerifier({ ...config, clockToleranceSeconds: 0, now: at(exp) });
    await rejectsWithCode(strict.verify(alice), IdentityErrorCode.Expired);
    await rejectsWithCode(
      createTokenVerifier({ ...config, now: at(iat - 120) }).verify(alice),
      'ERR_IDENTITY_NOT_YET_VALID',
    );
    await expect(createTokenVerifier({ ...config, now: at(iat - 30) }).verify(alice)).resolves.toBeDefined();
    const young = createTokenVerifier({
      ...config,
      maxTokenAgeSeconds: 60,
      clockToleranceSeconds: 0,
      now: at(iat + 61),
    });
    const err = await rejectsWithCode(young.verify(alice), IdentityErrorCode.Expired);
    expect(err.details).toMatchObject({ claim: 'iat' });
  });

  it('refuses a token whose real, short lifetime has run out', async () => {
    const shortLived = await startTestProvider({ accessTokenTtlSeconds: 1 });
    try {
      const token = await shortLived.tokenFor('alice');
      const strict = createTokenVerifier({
        issuer: shortLived.issuer,
        audience: shortLived.audience,
        clockToleranceSeconds: 0,
      });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await rejectsWithCode(strict.verify(token), IdentityErrorCode.Expired);
    } finally {
      await shortLived.stop();
    }
  });

  it('fetches discovery and the JWKS once, then serves from cache', async () => {
    const cached = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience });
    const before = idp.requests.length;
    await cached.verify(alice);
    await cached.verify(alice);
    await cached.verify(alice);
    const fetched = idp.requests.slice(before);
    expect(fetched.filter((r) => r.endsWith('/.well-known/openid-configuration'))).toHaveLength(1);
    expect(fetched.filter((r) => r === 'GET /jwks')).toHaveLength(1);
  });

  it('picks up a rotated key (new kid) by refreshing the JWKS', async () => {
    const rotating = await startTestProvider({ signingAlg: 'ES256' });
    try {
      const eager = createTokenVerifier({
        issuer: rotating.issuer,
        audience: rotating.audience,
        jwksCooldownSeconds: 0,
      });
      const patient = createTokenVerifier({ issuer: rotating.issuer, audience: rotating.audience });
      const before = await rotating.tokenFor('alice');
      await eager.verify(before);
      await patient.verify(before);
      const [, newEcKid] = await rotating.rotateKeys();
      const after = await rotating.tokenFor('bob');
      expect(decodeProtectedHeader(after).kid).toBe(newEcKid);
      const who = await eager.verify(after);
      expect(who.tokenEvidence.kid).toBe(newEcKid);
      expect(who.tokenEvidence.alg).toBe('ES256');
      await expect(eager.verify(before)).resolves.toMatchObject({ subject: 'alice' });
      // Within the 30 s cooldown an unknown kid does not trigger another fetch.
      await rejectsWithCode(patient.verify(after), IdentityErrorCode.UnknownKey);
    } finally {
      await rotating.stop();
    }
  });

  it('turns arbitrary input into DocketErrors only (fast-check)', async () => {
    const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
    const claims = fc.dictionary(
      fc.constantFrom('iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'groups', 'x'),
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string()),
      ),
    );
    const header = fc.record(
      {
        alg: fc.constantFrom('RS256', 'ES256', 'PS256', 'EdDSA', 'none', 'HS256', 'RS1', ''),
        kid: fc.oneof(fc.constant(splitToken(alice).header.kid), fc.string()),
        crit: fc.array(fc.string(), { maxLength: 2 }),
        b64: fc.boolean(),
      },
      { requiredKeys: ['alg'] },
    );
    const structured = fc
      .tuple(header, claims, fc.boolean(), base64url)
      .map(([h, c, ours, sig]) => `${b64json(h)}.${b64json(ours ? { ...c, iss: idp.issuer } : c)}.${sig}`);
    const arbitrary = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.tuple(base64url, base64url, base64url).map((parts) => parts.join('.')),
      structured,
      fc
        .constant(alice)
        .chain((t) =>
          fc.nat(t.length - 1).map((i) => `${t.slice(0, i)}${t[i] === 'A' ? 'B' : 'A'}${t.slice(i + 1)}`),
        ),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const outcome = await verifier.verify(input).then(
          (who) => ({ who }),
          (error: unknown) => ({ error }),
        );
        if ('who' in outcome) return input === alice;
        return isDocketError(outcome.error) && outcome.error.code.startsWith('ERR_IDENTITY_');
      }),
      { numRuns: 300 },
    );
  });
});

describe('createTokenVerifier configuration', () => {
  const base = { issuer: 'https://login.example.com', audience: 'urn:docket:api' };

  it('refuses HMAC and none in the allow-list even when configured on purpose', () => {
    for (const alg of ['HS256', 'HS384', 'HS512', 'none', 'hs256', 'RS1', '']) {
      expect(() => createTokenVerifier({ ...base, algorithms: ['RS256', alg] })).toThrowError(
        expect.objectContaining({ code: IdentityErrorCode.ConfigInvalid }),
      );
    }
    expect(() => createTokenVerifier({ ...base, algorithms: [] })).toThrowError(
      expect.objectContaining({ code: IdentityErrorCode.ConfigInvalid }),
    );
  });

  it('requires https except on loopback, and no query or fragment', () => {
    for (const issuer of [
      'http://login.example.com',
      'ftp://x',
      'not a url',
      'https://x/?a=1',
      'https://x/#f',
      '',
    ]) {
      expect(() => createTokenVerifier({ ...base, issuer })).toThrowError(
        expect.objectContaining({ code: IdentityErrorCode.ConfigInvalid }),
      );
    }
    for (const issuer of [
      'http://127.0.0.1:8080',
      'http://localhost:1/realms/x',
      'http://[::1]:9',
      'https://x.example/',
    ]) {
      expect(createTokenVerifier({ ...base, issuer }).issuer).toBe(issuer);
    }
  });

  it('refuses unusable numbers and empty audience', () => {
    const bad = [
      { clockToleranceSeconds: -1 },
      { clockToleranceSeconds: 3600 },
      { maxTokenAgeSeconds: 0 },
      { fetchTimeoutSeconds: Number.NaN },
      { jwksCooldownSeconds: -5 },
      { audience: '' },
      { groupsClaim: '' },
    ];
    for (const patch of bad) {
      expect(() => createTokenVerifier({ ...base, ...patch })).toThrowError(
        expect.objectContaining({ code: IdentityErrorCode.ConfigInvalid }),
      );
    }
  });
});
