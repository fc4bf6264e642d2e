import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApprovalRequest, getRequest, openRequest } from '../../approvals/requests/index.js';
import {
  type ApprovalsFixture,
  makeApprovalsFixture,
} from '../../approvals/requests/test-support/approvals-fixture.js';
import { createIdentityVerifier } from '../../identity/index.js';
import {
  DEFAULT_TEST_ACCOUNTS,
  startTestProvider,
  type TestProvider,
} from '../../identity/test-support/oidc-provider.js';
import { parseForms, TestUserAgent } from '../../identity/test-support/user-agent.js';
import { buildServer } from '../build-server.js';
import { EVIDENCE_CSP } from './evidence-routes.js';

const PUBLIC = 'https://docket.test';
const CALLBACK = `${PUBLIC}/auth/callback`;

/** The cookie pairs (name=value) a response sets, for the next request's Cookie header. */
function cookiesOf(setCookie: string | string[] | undefined): Record<string, string> {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return Object.fromEntries(list.map((c) => (c.split(';')[0] ?? '').split('=') as [string, string]));
}

/** The src of the evidence frame of a viewer page, unescaped. */
function frameSrc(page: string): string {
  const src = /<iframe[^>]* src="([^"]+)"/.exec(page)?.[1];
  if (src === undefined) throw new Error('the viewer page has no frame');
  return src.replaceAll('&#38;', '&');
}

/**
 * The approver UI in process: sign-in goes through the real test provider over HTTP (its own pages, played by a
 * scripted user agent), docket's side is `app.inject`. The server is configured for https, so cookies are __Host-.
 */
describe('approver UI (in process)', () => {
  let idp: TestProvider;
  let f: ApprovalsFixture;
  let app: FastifyInstance;
  let request: ApprovalRequest;

  beforeAll(async () => {
    idp = await startTestProvider({
      accounts: [...DEFAULT_TEST_ACCOUNTS],
      clients: [
        {
          client_id: 'docket-ui',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [CALLBACK],
        },
      ],
    });
    f = await makeApprovalsFixture({
      identity: createIdentityVerifier({ oidc: { issuer: idp.issuer, audience: idp.audience } }),
    });
    await f.activate();
    // carol (committee) opens it: under the test policy she holds no role for class 2 and requests as anyone may.
    request = await openRequest(f.ctx, {
      token: await idp.tokenFor('carol'),
      ...(await f.parts(2)),
    });
    app = await buildServer(
      { approvals: f.ctx },
      {
        publicUrl: PUBLIC,
        logger: false,
        login: {
          issuer: idp.issuer,
          clientId: 'docket-ui',
          resource: idp.audience,
          scope: 'openid profile groups docket',
        },
      },
    );
  });
  afterAll(async () => {
    await app?.close();
    await f?.cleanup();
    await idp?.stop();
  });

  /** Signs `account` in: docket's redirect, the provider's pages, docket's callback. Returns the cookies set. */
  async function signIn(account: string): Promise<Record<string, string>> {
    const start = await app.inject({ method: 'GET', url: '/auth/login?next=/inbox' });
    expect(start.statusCode).toBe(303);
    const authorize = new URL(start.headers.location as string);
    const ua = new TestUserAgent();
    const atCallback = (u: URL) => u.href.startsWith(CALLBACK);
    let page = await ua.navigate(authorize, {}, atCallback);
    for (let step = 0; step < 8 && page.interceptedRedirect === undefined; step++) {
      const [form] = parseForms(page.body, page.url);
      if (form === undefined) throw new Error(`no form at ${page.url.href}: ${page.body.slice(0, 200)}`);
      const values = 'login' in form.fields ? { login: account, password: 'x' } : {};
      page = await ua.submit(form, values, atCallback);
    }
    const callback = page.interceptedRedirect as URL;
    const done = await app.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
      cookies: cookiesOf(start.headers['set-cookie']),
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/inbox');
    return cookiesOf(done.headers['set-cookie']);
  }

  it('starts sign-in with PKCE S256, the resource, and a state bound to the browser by a __Host- cookie', async () => {
    const res = await app.inject({ method: 'GET', url: '/auth/login' });
    const location = new URL(res.headers.location as string);
    expect(location.origin).toBe(idp.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'docket-ui',
      redirect_uri: CALLBACK,
      code_challenge_method: 'S256',
      resource: idp.audience,
    });
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-docket-login=/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it('signs in: the session cookie is __Host-, HttpOnly, Secure, SameSite=Lax, and no page carries the token', async () => {
    const cookies = await signIn('alice');
    expect(Object.keys(cookies)).toContain('__Host-docket-session');
    const inbox = await app.inject({ method: 'GET', url: '/inbox', cookies });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(request.id);
    expect(inbox.body).toContain('Signed in as <strong>alice</strong>');
    const page = await app.inject({ method: 'GET', url: `/requests/${request.id}`, cookies });
    expect(page.body).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['strict-transport-security']).toBeDefined();
  });

  it('refuses a callback whose state was not started in this browser (login CSRF)', async () => {
    const start = await app.inject({ method: 'GET', url: '/auth/login' });
    const state = new URL(start.headers.location as string).searchParams.get('state');
    const res = await app.inject({ method: 'GET', url: `/auth/callback?code=abc&state=${state}` });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('ERR_SERVER_LOGIN_FAILED');
  });

  it('sends a visitor without a session to sign in, and back', async () => {
    const res = await app.inject({ method: 'GET', url: `/requests/${request.id}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/requests/${request.id}`)}`);
  });

  it('refuses a decision post without the CSRF token, or from another origin (403 ERR_SERVER_CSRF_REFUSED)', async () => {
    const cookies = await signIn('bob');
    const page = await app.inject({ method: 'GET', url: `/requests/${request.id}`, cookies });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const form = (extra: Record<string, string>) =>
      new URLSearchParams({
        decision: 'approve',
        ...Object.fromEntries(Object.entries(request.evidence).map(([k, v]) => [`evidence.${k}`, v])),
        ...extra,
      }).toString();
    const post = (payload: string, origin: string) =>
      app.inject({
        method: 'POST',
        url: `/requests/${request.id}/decision`,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        payload,
      });
    const size = await f.size();
    const noToken = await post(form({}), PUBLIC);
    expect([noToken.statusCode, noToken.body.includes('ERR_SERVER_CSRF_REFUSED')]).toEqual([403, true]);
    const crossSite = await post(form({ _csrf: csrf }), 'https://evil.example');
    expect([crossSite.statusCode, crossSite.body.includes('ERR_SERVER_CSRF_REFUSED')]).toEqual([403, true]);
    const viewsMissing = await post(form({ _csrf: csrf }), PUBLIC);
    expect([viewsMissing.statusCode, viewsMissing.body.includes('ERR_DECISION_VIEW_MISSING')]).toEqual([
      409,
      true,
    ]);
    expect(await f.size()).toBe(size);
  });

  it('frames evidence with a one-time ticket, under a sandboxing CSP, recording the view', async () => {
    const cookies = await signIn('dave');
    const viewer = await app.inject({
      method: 'GET',
      url: `/requests/${request.id}/evidence/comparison`,
      cookies,
    });
    expect(viewer.body).toContain('sandbox=""');
    const src = frameSrc(viewer.body);
    const before = (await getRequest(f.ctx, request.id)).views.length;
    const framed = await app.inject({
      method: 'GET',
      url: src,
      cookies,
      headers: { 'sec-fetch-dest': 'iframe', 'sec-fetch-site': 'same-origin' },
    });
    expect(framed.statusCode).toBe(200);
    expect(framed.body).toBe('<html>challenger comparison, class 2</html>');
    expect(framed.headers['content-security-policy']).toBe(EVIDENCE_CSP);
    expect(framed.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(framed.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(framed.headers['docket-served-digest']).toBe(request.evidence.comparison);
    const after = await getRequest(f.ctx, request.id);
    expect(after.views.length).toBe(before + 1);
    const replay = await app.inject({ method: 'GET', url: src, cookies });
    expect([replay.statusCode, replay.body.includes('ERR_SERVER_VIEW_TICKET_INVALID')]).toEqual([403, true]);
    const topLevel = await app.inject({
      method: 'GET',
      url: `/requests/${request.id}/evidence/comparison`,
      cookies,
    });
    const ticketed = frameSrc(topLevel.body);
    const navigated = await app.inject({
      method: 'GET',
      url: ticketed,
      cookies,
      headers: { 'sec-fetch-dest': 'document' },
    });
    expect(navigated.statusCode).toBe(403);
  });

  it('signs out with the CSRF token, ending the session on the server', async () => {
    const cookies = await signIn('erin');
    const inbox = await app.inject({ method: 'GET', url: '/inbox', cookies });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(inbox.body)?.[1] as string;
    const out = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(out.statusCode).toBe(303);
    const after = await app.inject({ method: 'GET', url: '/inbox', cookies });
    expect(after.statusCode).toBe(303);
  });
});
