import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDevIdentityIssuer,
  createDevTokenVerifier,
  DEV_ISSUER,
  DEV_KEY_FILE,
  type DevIdentityIssuer,
  IdentityErrorCode,
} from './index.js';
import { rejectsWithCode } from './test-support/assertions.js';
import { splitToken, tamperPayload } from './test-support/forge.js';

const audience = 'urn:docket:api';

describe('dev identity', () => {
  let home: string;
  let keyDir: string;
  let issuer: DevIdentityIssuer;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'docket-dev-identity-'));
    keyDir = join(home, 'keys');
    issuer = await createDevIdentityIssuer(keyDir);
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('creates an Ed25519 private JWK readable by its owner only, and reuses it', async () => {
    const path = join(keyDir, DEV_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: issuer.keyId });
    expect(typeof jwk.d).toBe('string');
    expect(issuer.publicJwk).not.toHaveProperty('d');
    const again = await createDevIdentityIssuer(keyDir);
    expect(again.keyId).toBe(issuer.keyId);
  });

  it('shares one key between issuers created at the same moment', async () => {
    const other = join(home, 'race');
    const issuers = await Promise.all(Array.from({ length: 8 }, () => createDevIdentityIssuer(other)));
    expect(new Set(issuers.map((i) => i.keyId)).size).toBe(1);
  });

  it('mints tokens for named users', async () => {
    const token = await issuer.mintDevToken({
      subject: 'alice',
      groups: ['approvers'],
      audience,
      ttlSeconds: 600,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: issuer.keyId, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: DEV_ISSUER, sub: 'alice', aud: audience, groups: ['approvers'] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
  });

  it('accepts dev tokens only when enabled, and marks the identity and its evidence as dev', async () => {
    const token = await issuer.mintDevToken({ subject: 'carol', groups: ['committee'], audience });
    const who = await createDevTokenVerifier({ enabled: true, keyDir, audience }).verify(token);
    expect(who).toMatchObject({ issuer: DEV_ISSUER, subject: 'carol', groups: ['committee'], dev: true });
    expect(who.tokenEvidence).toMatchObject({ alg: 'EdDSA', kid: issuer.keyId, iss: DEV_ISSUER, dev: true });
  });

  it('refuses every token, even garbage, when not enabled', async () => {
    const token = await issuer.mintDevToken({ subject: 'alice', audience });
    for (const enabled of [false, undefined, 'true', 1]) {
      const verifier = createDevTokenVerifier({ enabled, keyDir, audience } as never);
      expect(verifier.enabled).toBe(false);
      await rejectsWithCode(verifier.verify(token), IdentityErrorCode.DevDisabled);
      await rejectsWithCode(verifier.verify('garbage'), IdentityErrorCode.DevDisabled);
    }
  });

  it('refuses tokens for another audience, tampered, expired, or signed by another dev key', async () => {
    const verifier = createDevTokenVerifier({ enabled: true, keyDir, audience });
    const elsewhere = await issuer.mintDevToken({ subject: 'alice', audience: 'urn:other' });
    await rejectsWithCode(verifier.verify(elsewhere), IdentityErrorCode.WrongAudience);

    const token = await issuer.mintDevToken({
      subject: 'alice',
      groups: ['approvers'],
      audience,
      ttlSeconds: 60,
    });
    await rejectsWithCode(
      verifier.verify(tamperPayload(token, { sub: 'bob' })),
      IdentityErrorCode.SignatureInvalid,
    );

    const { exp } = splitToken(token).payload as { exp: number };
    const later = createDevTokenVerifier({
      enabled: true,
      keyDir,
      audience,
      now: () => new Date((exp + 61) * 1000),
    });
    await rejectsWithCode(later.verify(token), IdentityErrorCode.Expired);

    const stranger = await createDevIdentityIssuer(join(home, 'elsewhere'));
    const foreign = await stranger.mintDevToken({ subject: 'alice', audience });
    await rejectsWithCode(verifier.verify(foreign), IdentityErrorCode.UnknownKey);
  });

  it('knows no dev token while no dev key exists', async () => {
    const token = await issuer.mintDevToken({ subject: 'alice', audience });
    const empty = createDevTokenVerifier({ enabled: true, keyDir: join(home, 'none'), audience });
    await rejectsWithCode(empty.verify(token), IdentityErrorCode.UnknownKey);
  });

  it('refuses a key file others can read, or one that is not an Ed25519 private JWK', async () => {
    const path = join(keyDir, DEV_KEY_FILE);
    await chmod(path, 0o644);
    await rejectsWithCode(createDevIdentityIssuer(keyDir), IdentityErrorCode.DevKeyInvalid);
    const token = await issuer.mintDevToken({ subject: 'alice', audience });
    await rejectsWithCode(
      createDevTokenVerifier({ enabled: true, keyDir, audience }).verify(token),
      IdentityErrorCode.DevKeyInvalid,
    );
    const original = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const broken = [
      'not json',
      '[]',
      JSON.stringify({ ...original, crv: 'P-256' }),
      JSON.stringify({ ...original, d: undefined }),
      JSON.stringify({ ...original, kid: 'chosen-by-hand' }),
      JSON.stringify({ ...original, x: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    ];
    for (const body of broken) {
      await writeFile(path, body, { mode: 0o600 });
      await chmod(path, 0o600);
      await rejectsWithCode(createDevIdentityIssuer(keyDir), IdentityErrorCode.DevKeyInvalid);
    }
  });

  it('refuses unusable mint requests', async () => {
    const bad = [
      { subject: '', audience },
      { subject: 'a\nb', audience },
      { subject: 'x'.repeat(257), audience },
      { subject: 'alice', audience: '' },
      { subject: 'alice', audience, groups: [''] },
      { subject: 'alice', audience, groups: [1] },
      { subject: 'alice', audience, ttlSeconds: 0 },
      { subject: 'alice', audience, ttlSeconds: 1.5 },
      { subject: 'alice', audience, ttlSeconds: 8 * 24 * 3600 },
    ];
    for (const request of bad) {
      await rejectsWithCode(issuer.mintDevToken(request as never), IdentityErrorCode.DevRequestInvalid);
    }
  });
});
