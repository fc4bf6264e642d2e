import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../ledger/merkle/index.js';
import { openCheckpoint } from '../../ledger/note/index.js';
import { makeServerFixture, type ServerFixture } from '../test-support/server-fixture.js';

describe('log routes', () => {
  let s: ServerFixture;
  let before = 0;
  beforeAll(async () => {
    s = await makeServerFixture();
    before = await s.f.size();
    await s.as('rita', { method: 'POST', url: '/api/v1/requests', payload: await s.f.parts(1) });
  });
  afterAll(async () => s?.close());

  const b64 = (text: string) => Buffer.from(text, 'base64');

  it('serves the latest checkpoint as a signed note that verifies with the log key', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' });
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const cp = openCheckpoint(res.body, s.f.ledger.verifiers, { origin: s.f.ledger.origin });
    expect(cp.size).toBe(await s.f.size());
    const status = (await s.app.inject({ method: 'GET', url: '/api/v1/log' })).json();
    expect(status).toMatchObject({ origin: s.f.ledger.origin, size: cp.size, checkpoint: res.body });
  });

  it('serves entries (with a token) whose envelopes hash to the leaf an inclusion proof proves', async () => {
    const size = await s.f.size();
    const index = size - 1;
    const entry = (await s.as('alice', { method: 'GET', url: `/api/v1/log/entries/${index}` })).json();
    expect(entry.recordType).toBe('classification');
    const proof = (
      await s.app.inject({ method: 'GET', url: `/api/v1/log/proofs/inclusion?index=${index}` })
    ).json();
    const cp = openCheckpoint(proof.checkpoint, s.f.ledger.verifiers, { origin: s.f.ledger.origin });
    const leaf = hashLeaf(b64(entry.envelope));
    expect(Buffer.from(leaf).toString('base64')).toBe(entry.leafHash);
    verifyInclusion(leaf, index, proof.treeSize, proof.proof.map(b64), cp.rootHash);
    const page = (await s.as('alice', { method: 'GET', url: '/api/v1/log/entries?start=0&limit=2' })).json();
    expect(page.entries.map((e: { index: number }) => e.index)).toEqual([0, 1]);
    const anonymous = await s.app.inject({ method: 'GET', url: `/api/v1/log/entries/${index}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('serves consistency proofs between kept checkpoints', async () => {
    const size = await s.f.size();
    const proof = (
      await s.app.inject({
        method: 'GET',
        url: `/api/v1/log/proofs/consistency?size1=${before}&size2=${size}`,
      })
    ).json();
    const opts = { origin: s.f.ledger.origin };
    const first = openCheckpoint(proof.checkpoint1, s.f.ledger.verifiers, opts);
    const second = openCheckpoint(proof.checkpoint2, s.f.ledger.verifiers, opts);
    verifyConsistency(before, size, proof.proof.map(b64), first.rootHash, second.rootHash);
  });

  it('refuses malformed and out-of-range parameters with coded 400 and 404', async () => {
    const neg = await s.app.inject({ method: 'GET', url: '/api/v1/log/proofs/inclusion?index=-1' });
    expect([neg.statusCode, neg.json().error.code]).toEqual([400, 'ERR_SERVER_INVALID']);
    const beyond = await s.app.inject({ method: 'GET', url: '/api/v1/log/proofs/inclusion?index=999' });
    expect([beyond.statusCode, beyond.json().error.code]).toEqual([400, 'ERR_LEDGER_OUT_OF_RANGE']);
    const noCheckpoint = await s.app.inject({
      method: 'GET',
      url: '/api/v1/log/proofs/consistency?size1=1&size2=999',
    });
    expect([noCheckpoint.statusCode, noCheckpoint.json().error.code]).toEqual([
      404,
      'ERR_LEDGER_CHECKPOINT_NOT_FOUND',
    ]);
    const route = await s.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect([route.statusCode, route.json().error.code]).toEqual([404, 'ERR_SERVER_ROUTE_NOT_FOUND']);
  });

  it('serves its OpenAPI document, naming every API route it has', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops).map(
          (method) => [method.toUpperCase(), path.replace(/\{([a-z]+)\}/g, ':$1')] as const,
        ),
    );
    expect(documented.length).toBeGreaterThan(15);
    for (const [method, url] of documented)
      expect([method, url, s.app.hasRoute({ method, url })]).toEqual([method, url, true]);
    const served = servedRoutes(s.app.printRoutes({ commonPrefix: false })).filter(([, url]) =>
      url.startsWith('/api/'),
    );
    const documentedKeys = documented.map(([method, url]) => `${method} ${url}`);
    expect(
      served.map(([method, url]) => `${method} ${url}`).filter((r) => !documentedKeys.includes(r)),
    ).toEqual([]);
  });
});

// Reads Fastify's printRoutes tree ("├── segment (GET, HEAD)", four columns per level) back into [method, path].
function servedRoutes(tree: string): [string, string][] {
  const parents: string[] = [];
  const routes: [string, string][] = [];
  for (const line of tree.split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = (at - 1) / 4;
    const [segment = '', methods = ''] = line.slice(at + 3).split(' (');
    const path = (parents[depth - 1] ?? '') + segment;
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of methods.replace(')', '').split(', '))
      if (method !== 'HEAD') routes.push([method, path]);
  }
  return routes;
}
