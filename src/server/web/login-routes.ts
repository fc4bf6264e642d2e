import type { FastifyInstance } from 'fastify';
import { DocketError, isDocketError } from '../../errors/index.js';
import { ServerErrorCode } from '../errors.js';
import { statusFor } from '../http-status.js';
import { isIdentityError } from './identity-error.js';
import { loginFailed } from './oidc-client.js';
import { digestOf, randomToken, sameSecret } from './session-store.js';
import { loginPage } from './views/simple-views.js';
import {
  checkCsrf,
  cookieOptions,
  currentSession,
  formOf,
  localPath,
  sendPage,
  type WebContext,
} from './web-context.js';

const LOGIN_SECONDS = 600;

/**
 * Sign-in with the authorization code grant and PKCE (RFC 7636 S256): the server is the OAuth client, keeps the
 * verifier and, after the exchange, the access token, on its side. The `state` is bound to the browser that started
 * the sign-in by a short-lived cookie, so a callback carrying someone else's code signs no one in (login CSRF).
 */
export function registerLoginRoutes(app: FastifyInstance, web: WebContext): void {
  const redirectUri = new URL('/auth/callback', web.publicUrl).href;

  app.get('/', async (request, reply) => {
    if (currentSession(web, request) !== undefined) return reply.redirect('/inbox', 303);
    return sendPage(reply, loginPage({ issuer: web.login?.issuer, next: '/inbox' }));
  });

  app.get('/login', async (request, reply) => {
    const next = localPath((request.query as Record<string, unknown>).next);
    return sendPage(reply, loginPage({ issuer: web.login?.issuer, next }));
  });

  app.get('/auth/login', async (request, reply) => {
    if (web.login === undefined) {
      throw new DocketError(
        ServerErrorCode.LoginNotConfigured,
        'no identity provider is configured for the UI',
      );
    }
    const state = randomToken();
    const codeVerifier = randomToken();
    const binding = randomToken();
    const url = await web.login.authorizationUrl({ state, codeVerifier, redirectUri });
    web.sessions.addPending(state, {
      codeVerifier,
      browserBinding: digestOf(binding),
      next: localPath((request.query as Record<string, unknown>).next),
      expiresAt: Date.now() + LOGIN_SECONDS * 1000,
    });
    return reply
      .setCookie(web.cookies.login, binding, cookieOptions(web, LOGIN_SECONDS))
      .redirect(url.href, 303);
  });

  app.get('/auth/callback', async (request, reply) => {
    const login = web.login;
    if (login === undefined) {
      throw new DocketError(
        ServerErrorCode.LoginNotConfigured,
        'no identity provider is configured for the UI',
      );
    }
    const q = request.query as Record<string, unknown>;
    reply.clearCookie(web.cookies.login, cookieOptions(web));
    try {
      if (typeof q.error === 'string') {
        throw loginFailed(`the identity provider answered ${q.error.slice(0, 64)}`);
      }
      if (typeof q.state !== 'string' || typeof q.code !== 'string' || q.code.length > 4096) {
        throw loginFailed('the callback lacks a state or code');
      }
      const pending = web.sessions.takePending(q.state);
      const binding = request.cookies[web.cookies.login];
      if (
        pending === undefined ||
        binding === undefined ||
        !sameSecret(digestOf(binding), pending.browserBinding)
      ) {
        throw loginFailed('this sign-in was not started in this browser, or took too long; start again');
      }
      const token = await login.exchangeCode({
        code: q.code,
        codeVerifier: pending.codeVerifier,
        redirectUri,
      });
      const identity = await web.services.approvals.identity.verify(token);
      if (identity.issuer !== login.issuer) {
        throw loginFailed(`the token was issued by ${identity.issuer}, not by ${login.issuer}`);
      }
      const { id } = web.sessions.create({
        identity: { issuer: identity.issuer, subject: identity.subject, groups: [...identity.groups] },
        accessToken: token,
        expiresAt: identity.expiresAt.getTime(),
      });
      request.log.info({ subject: identity.subject, issuer: identity.issuer }, 'signed in');
      return reply.setCookie(web.cookies.session, id, cookieOptions(web)).redirect(pending.next, 303);
    } catch (err) {
      if (!isDocketError(err)) throw err;
      const problem = isIdentityError(err) ? loginFailed(err.message, err) : err;
      request.log.info({ code: err.code }, 'sign-in failed');
      return sendPage(
        reply,
        loginPage({ issuer: login.issuer, next: '/inbox', problem }),
        statusFor(problem),
      );
    }
  });

  app.post('/auth/logout', async (request, reply) => {
    const session = currentSession(web, request);
    if (session !== undefined) {
      checkCsrf(web, request, session, formOf(request.body));
      web.sessions.delete(request.cookies[web.cookies.session]);
    }
    return reply.clearCookie(web.cookies.session, cookieOptions(web)).redirect('/', 303);
  });
}
