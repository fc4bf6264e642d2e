import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDevIdentityIssuer,
  createDevTokenVerifier,
  createIdentityVerifier,
  createTokenVerifier,
  type DevIdentityIssuer,
  IdentityErrorCode,
} from './index.js';
import { rejectsWithCode } from './test-support/assertions.js';
import { b64json, unsecuredToken } from './test-support/forge.js';
import { startTestProvider, type TestProvider } from './test-support/oidc-provider.js';

describe('createIdentityVerifier', () => {
  let idp: TestProvider;
  let home: string;
  let dev: DevIdentityIssuer;

  beforeAll(async () => {
    idp = await startTestProvider();
    home = await mkdtemp(join(tmpdir(), 'docket-identity-'));
    dev = await createDevIdentityIssuer(home);
  });
  afterAll(async () => {
    await idp.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('routes each token to the verifier of its issuer', async () => {
    const identities = createIdentityVerifier({
      oidc: { issuer: idp.issuer, audience: idp.audience },
      dev: { enabled: true, keyDir: home, audience: idp.audience },
    });
    expect(identities.issuers).toEqual([idp.issuer, 'urn:docket:dev-identity']);
    const real = await identities.verify(await idp.tokenFor('dave'));
    expect(real).toMatchObject({ issuer: idp.issuer, subject: 'dave', groups: ['committee'], dev: false });
    const demo = await identities.verify(await dev.mintDevToken({ subject: 'dave', audience: idp.audience }));
    expect(demo).toMatchObject({ issuer: 'urn:docket:dev-identity', subject: 'dave', dev: true });
  });

  it('refuses dev tokens when the dev identity is configured but not enabled', async () => {
    const identities = createIdentityVerifier({
      oidc: { issuer: idp.issuer, audience: idp.audience },
      dev: { enabled: false, keyDir: home, audience: idp.audience },
    });
    const token = await dev.mintDevToken({ subject: 'alice', groups: ['approvers'], audience: idp.audience });
    await rejectsWithCode(identities.verify(token), IdentityErrorCode.DevDisabled);
  });

  it('refuses unknown issuers (dev included, when not configured) before any fetch', async () => {
    const identities = createIdentityVerifier({ oidc: { issuer: idp.issuer, audience: idp.audience } });
    const before = idp.requests.length;
    const devToken = await dev.mintDevToken({ subject: 'alice', audience: idp.audience });
    await rejectsWithCode(identities.verify(devToken), IdentityErrorCode.UnknownIssuer);
    const foreign = unsecuredToken({ alg: 'RS256', kid: 'k' }, { iss: 'https://evil.example', sub: 'x' });
    const err = await rejectsWithCode(identities.verify(foreign), IdentityErrorCode.UnknownIssuer);
    expect(err.details).toMatchObject({ issuer: 'https://evil.example' });
    await rejectsWithCode(
      identities.verify(unsecuredToken({ alg: 'RS256' }, { iss: 42 })),
      IdentityErrorCode.UnknownIssuer,
    );
    await rejectsWithCode(
      identities.verify(unsecuredToken({ alg: 'RS256' }, { sub: 'x' })),
      'ERR_IDENTITY_CLAIM_MISSING',
    );
    await rejectsWithCode(identities.verify(`${b64json({})}.e30`), IdentityErrorCode.TokenMalformed);
    expect(idp.requests.slice(before)).toEqual([]);
  });

  it('accepts ready verifiers and several OpenID Providers', async () => {
    const second = await startTestProvider();
    try {
      const identities = createIdentityVerifier({
        oidc: [
          createTokenVerifier({ issuer: idp.issuer, audience: idp.audience }),
          { issuer: second.issuer, audience: second.audience },
        ],
        dev: createDevTokenVerifier({ enabled: false, keyDir: home, audience: idp.audience }),
      });
      expect((await identities.verify(await second.tokenFor('erin'))).issuer).toBe(second.issuer);
      expect((await identities.verify(await idp.tokenFor('erin'))).issuer).toBe(idp.issuer);
    } finally {
      await second.stop();
    }
  });

  it('refuses an empty or ambiguous configuration', () => {
    const config = { issuer: idp.issuer, audience: idp.audience };
    expect(() => createIdentityVerifier({})).toThrowError(
      expect.objectContaining({ code: IdentityErrorCode.ConfigInvalid }),
    );
    expect(() => createIdentityVerifier({ oidc: [config, config] })).toThrowError(
      expect.objectContaining({ code: IdentityErrorCode.ConfigInvalid }),
    );
  });
});
