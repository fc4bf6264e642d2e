import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ISSUER } from '../../identity/index.js';
import { makeServerFixture, type ServerFixture } from '../test-support/server-fixture.js';

describe('artefact routes', () => {
  let s: ServerFixture;
  beforeAll(async () => {
    s = await makeServerFixture({ limits: { uploadBytes: 64 * 1024 } });
  });
  afterAll(async () => s?.close());

  const bytes = Buffer.from('a,b\n1,2\n'.repeat(1000));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

  it('stores an upload, records who uploaded it, and serves the same bytes back with Repr-Digest', async () => {
    const up = await s.as('alice', {
      method: 'POST',
      url: '/api/v1/artefacts?kind=dataset&name=train.csv&mediaType=text/csv',
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ digest, size: bytes.byteLength, appended: true });
    const entry = await s.f.ledger.readEntry(up.json().index);
    expect(entry.statement.predicate).toMatchObject({
      kind: 'dataset',
      mediaType: 'text/csv',
      registeredBy: { kind: 'identity', name: JSON.stringify([DEV_ISSUER, 'alice']) },
    });
    const again = await s.as('alice', {
      method: 'POST',
      url: '/api/v1/artefacts?kind=dataset&name=train.csv&mediaType=text/csv',
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect([again.statusCode, again.json().appended]).toEqual([200, false]);

    const down = await s.as('bob', { method: 'GET', url: `/api/v1/artefacts/${digest}` });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(bytes)).toBe(true);
    expect(down.headers['content-length']).toBe(String(bytes.byteLength));
    expect(down.headers['repr-digest']).toBe(
      `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`,
    );
    expect(down.headers['content-type']).toBe('application/octet-stream');
  });

  it('refuses an upload over the limit (413), a wrong media type (415), and no token (401)', async () => {
    const big = await s.as('alice', {
      method: 'POST',
      url: '/api/v1/artefacts?name=big',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(65 * 1024),
    });
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'ERR_SERVER_BODY_TOO_LARGE']);
    const json = await s.as('alice', { method: 'POST', url: '/api/v1/artefacts', payload: { a: 1 } });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'ERR_SERVER_UNSUPPORTED_MEDIA_TYPE']);
    const anonymous = await s.app.inject({
      method: 'POST',
      url: '/api/v1/artefacts',
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'ERR_SERVER_UNAUTHENTICATED']);
  });

  it('answers 404 for an unknown digest and 400 for a malformed one', async () => {
    const unknown = await s.as('bob', { method: 'GET', url: `/api/v1/artefacts/sha256:${'a'.repeat(64)}` });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'ERR_ARTEFACT_NOT_FOUND']);
    const malformed = await s.as('bob', { method: 'GET', url: '/api/v1/artefacts/md5:abc' });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'ERR_DIGEST_MALFORMED']);
  });
});
