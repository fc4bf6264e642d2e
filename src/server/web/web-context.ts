import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocketError } from '../../errors/index.js';
import { ServerErrorCode } from '../errors.js';
import type { BodyLimits, DocketServices } from '../server-options.js';
import type { SafeHtml } from './html.js';
import type { OidcClient } from './oidc-client.js';
import { type Session, SessionStore, sameSecret } from './session-store.js';

/** What the approver UI's routes share. */
export interface WebContext {
  readonly services: DocketServices;
  readonly sessions: SessionStore;
  readonly publicUrl: URL;
  readonly limits: BodyLimits;
  readonly login: OidcClient | undefined;
  readonly cookies: { readonly session: string; readonly login: string; readonly secure: boolean };
}

/** Content-Security-Policy of every UI page: no script at all, styles and frames from this origin only. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'";

export function makeWebContext(
  services: DocketServices,
  publicUrl: URL,
  limits: BodyLimits,
  login: OidcClient | undefined,
  idleSeconds: number,
): WebContext {
  const secure = publicUrl.protocol === 'https:';
  return {
    services,
    sessions: new SessionStore({ idleSeconds }),
    publicUrl,
    limits,
    login,
    // RFC 6265bis §4.1.3.2: a __Host- cookie is Secure, host-only and Path=/, so no subdomain can plant one.
    cookies: {
      session: secure ? '__Host-docket-session' : 'docket-session',
      login: secure ? '__Host-docket-login' : 'docket-login',
      secure,
    },
  };
}

/** Cookie attributes: HttpOnly (no script reads it), SameSite=Lax, Secure when the server is reached over https. */
export function cookieOptions(web: WebContext, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: web.cookies.secure,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** The signed-in session of the request, if any. */
export function currentSession(web: WebContext, request: FastifyRequest): Session | undefined {
  return web.sessions.get(request.cookies[web.cookies.session]);
}

/** The session, or ERR_SERVER_SESSION_REQUIRED (the error page offers to sign in and come back). */
export function requireSession(web: WebContext, request: FastifyRequest): Session {
  const session = currentSession(web, request);
  if (session === undefined) {
    throw new DocketError(ServerErrorCode.SessionRequired, 'sign in to continue', {
      details: { next: localPath(request.url) },
    });
  }
  return session;
}

/**
 * Refuses a form post without the session's synchronizer token, or whose Origin (or, lacking one, Referer) is not
 * this server (OWASP CSRF cheat sheet: synchronizer token plus origin verification; SameSite=Lax is the third layer).
 */
export function checkCsrf(
  web: WebContext,
  request: FastifyRequest,
  session: Session,
  form: Record<string, unknown>,
) {
  const refuse = (why: string): never => {
    throw new DocketError(ServerErrorCode.CsrfRefused, `form refused: ${why}; reload the page and try again`);
  };
  const origin = request.headers.origin;
  const referer = request.headers.referer;
  let from: string | undefined;
  if (typeof origin === 'string' && origin !== 'null') from = origin;
  else if (typeof referer === 'string') from = URL.canParse(referer) ? new URL(referer).origin : 'invalid';
  if (from !== undefined && from !== web.publicUrl.origin) refuse('it was posted from another site');
  if (origin === 'null') refuse('it was posted from an opaque origin');
  const token = form._csrf;
  if (typeof token !== 'string' || !sameSecret(token, session.csrfToken))
    refuse('the CSRF token is missing or wrong');
}

/** A path on this server to return to after signing in: never another origin (no open redirect). */
export function localPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/inbox';
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (value.length > 1024 || /[\u0000-\u001f]/.test(value)) return '/inbox';
  return value;
}

/** Sends a UI page with its security headers. */
export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store')
    .send(page.toString());
}

/** A form body parsed by @fastify/formbody, as a record (anything else is an empty form). */
export function formOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
