import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceKind } from '../../approvals/policy/index.js';
import type { ApprovalRequest } from '../../approvals/requests/index.js';
import { makeServerFixture, type ServerFixture } from '../test-support/server-fixture.js';

describe('request routes', () => {
  let s: ServerFixture;
  beforeAll(async () => {
    s = await makeServerFixture();
  });
  afterAll(async () => s?.close());

  const open = async (materiality: 1 | 2 = 2): Promise<ApprovalRequest> => {
    const res = await s.as('rita', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: await s.f.parts(materiality),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toMatch(/^\/api\/v1\/requests\/req-/);
    return res.json();
  };
  const view = (who: 'alice' | 'bob', id: string, evidence: EvidenceKind) =>
    s.as(who, { method: 'POST', url: `/api/v1/requests/${id}/views`, payload: { evidence } });
  const decide = (who: 'alice' | 'bob', id: string, body: Record<string, unknown>) =>
    s.as(who, { method: 'POST', url: `/api/v1/requests/${id}/decisions`, payload: body });

  it('opens a class 2 request, classified, and reads it back', async () => {
    const request = await open(2);
    expect(request.classification.class).toBe(2);
    const res = await s.as('alice', { method: 'GET', url: `/api/v1/requests/${request.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: request.id, state: 'open' });
  });

  it('serves the exact bytes of a view, after recording the receipt (headers carry it)', async () => {
    const request = await open(2);
    const res = await view('alice', request.id, 'comparison');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('<html>challenger comparison, class 2</html>');
    expect(res.headers['docket-served-digest']).toBe(request.evidence.comparison);
    const index = Number(res.headers['docket-view-index']);
    const views = (
      await s.as('alice', { method: 'GET', url: `/api/v1/requests/${request.id}/views` })
    ).json();
    expect(views.views).toEqual([
      expect.objectContaining({
        index,
        artefactDigest: request.evidence.comparison,
        servedDigest: request.evidence.comparison,
      }),
    ]);
  });

  it('refuses a decision without the required views (409 ERR_DECISION_VIEW_MISSING), appending nothing', async () => {
    const request = await open(2);
    await view('alice', request.id, 'comparison');
    const size = await s.f.size();
    const res = await decide('alice', request.id, { decision: 'approve', evidence: request.evidence });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'ERR_DECISION_VIEW_MISSING',
      details: { missing: ['change-manifest', 'explanation'] },
    });
    expect(await s.f.size()).toBe(size);
  });

  it('refuses an approval posting a digest that is not the current one (409 ERR_DECISION_STALE_EVIDENCE)', async () => {
    const request = await open(2);
    for (const kind of request.classification.approvalsRequired.evidence)
      await view('alice', request.id, kind);
    const stale = { ...request.evidence, comparison: `sha256:${'0'.repeat(64)}` };
    const res = await decide('alice', request.id, { decision: 'approve', evidence: stale });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'ERR_DECISION_STALE_EVIDENCE',
      details: { differing: [{ field: 'comparison', displayed: stale.comparison }] },
    });
  });

  it('completes a class 2 request with a model owner and a risk approver', async () => {
    const request = await open(2);
    for (const who of ['alice', 'bob'] as const) {
      for (const kind of request.classification.approvalsRequired.evidence) await view(who, request.id, kind);
    }
    const first = await decide('alice', request.id, { decision: 'approve', evidence: request.evidence });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ approvalsComplete: false, state: 'open' });
    const awaiting = (await s.as('bob', { method: 'GET', url: '/api/v1/requests?awaiting=me' })).json();
    expect(awaiting.requests.map((r: ApprovalRequest) => r.id)).toContain(request.id);
    const second = await decide('bob', request.id, {
      decision: 'approve',
      evidence: request.evidence,
      comment: 'population shift reviewed',
    });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ approvalsComplete: true, state: 'approved' });
  });

  it('answers coded errors with the table status', async () => {
    const missing = await s.as('alice', { method: 'GET', url: '/api/v1/requests/req-0000000000' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ERR_REQUEST_NOT_FOUND']);
    const malformed = await s.as('alice', { method: 'GET', url: '/api/v1/requests/nope' });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'ERR_REQUEST_INVALID']);
    const request = await open(1);
    const own = await s.as('rita', {
      method: 'POST',
      url: `/api/v1/requests/${request.id}/decisions`,
      payload: { decision: 'approve', evidence: request.evidence },
    });
    expect([own.statusCode, own.json().error.code]).toEqual([403, 'ERR_DECISION_OWN_REQUEST']);
    const unknownField = await s.as('rita', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { ...(await s.f.parts(1)), requester: 'someone else' },
    });
    expect([unknownField.statusCode, unknownField.json().error.code]).toEqual([400, 'ERR_REQUEST_INVALID']);
    const notJson = await s.as('rita', {
      method: 'POST',
      url: '/api/v1/requests',
      headers: { 'content-type': 'application/json' },
      payload: '{"candidate":',
    });
    expect([notJson.statusCode, notJson.json().error.code]).toEqual([400, 'ERR_SERVER_INVALID']);
    const array = await s.as('rita', { method: 'POST', url: '/api/v1/requests', payload: [] });
    expect([array.statusCode, array.json().error.code]).toEqual([400, 'ERR_SERVER_INVALID']);
  });

  it('needs a bearer token, and refuses a bad one with 401', async () => {
    const none = await s.app.inject({ method: 'GET', url: '/api/v1/requests' });
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'ERR_SERVER_UNAUTHENTICATED']);
    const bad = await s.app.inject({
      method: 'GET',
      url: '/api/v1/requests',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toMatch(/^ERR_IDENTITY_/);
    const cookieOnly = await s.app.inject({
      method: 'GET',
      url: '/api/v1/requests',
      cookies: { 'docket-session': 'x' },
    });
    expect(cookieOnly.statusCode).toBe(401);
  });

  it('refuses a JSON body over the limit with 413 ERR_SERVER_BODY_TOO_LARGE', async () => {
    const small = await makeServerFixture({ limits: { jsonBytes: 1024 } });
    try {
      const res = await small.as('rita', {
        method: 'POST',
        url: '/api/v1/requests',
        payload: { ticket: 'x'.repeat(2048) },
      });
      expect([res.statusCode, res.json().error.code]).toEqual([413, 'ERR_SERVER_BODY_TOO_LARGE']);
    } finally {
      await small.close();
    }
  });

  it('withdraws a request (its requester only)', async () => {
    const request = await open(1);
    const other = await s.as('alice', {
      method: 'POST',
      url: `/api/v1/requests/${request.id}/withdrawal`,
      payload: {},
    });
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'ERR_REQUEST_NOT_REQUESTER']);
    const res = await s.as('rita', {
      method: 'POST',
      url: `/api/v1/requests/${request.id}/withdrawal`,
      payload: { reason: 'rerun' },
    });
    expect([res.statusCode, res.json().state]).toEqual([201, 'withdrawn']);
  });
});
