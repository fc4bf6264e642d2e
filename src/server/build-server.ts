import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { type FastifyInstance, type FastifyRequest, fastify } from 'fastify';
import { DocketError } from '../errors/index.js';
import { registerArtefactRoutes } from './api/artefact-routes.js';
import { registerLogRoutes } from './api/log-routes.js';
import { openApiDocument } from './api/openapi.js';
import { registerPromotionRoutes } from './api/promotion-routes.js';
import { registerRequestRoutes } from './api/request-routes.js';
import { codedError, errorReply } from './error-reply.js';
import { ServerErrorCode } from './errors.js';
import { type DocketServices, parsePublicUrl, resolveLimits, type ServerOptions } from './server-options.js';
import { registerEvidenceRoutes } from './web/evidence-routes.js';
import { registerLoginRoutes } from './web/login-routes.js';
import { createOidcClient } from './web/oidc-client.js';
import { registerRecordPages } from './web/record-routes.js';
import { registerRequestPages } from './web/request-routes.js';
import { STYLESHEET } from './web/stylesheet.js';
import { errorPage } from './web/views/simple-views.js';
import { currentSession, localPath, makeWebContext, sendPage } from './web/web-context.js';

/** Only the path: query strings can carry OAuth codes, state and view tickets, which must not reach the logs. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * Builds docket's HTTP server (not yet listening): the JSON API under /api/v1, the approver UI, one error handler
 * mapping coded errors to statuses (http-status.ts), and structured logs that carry no token, cookie, code or body.
 *
 * @example
 * const app = await buildServer({ approvals: docket.approvals }, { publicUrl: 'http://localhost:8080', logger: false });
 * const res = await app.inject({ method: 'GET', url: '/api/v1/log' });
 */
export async function buildServer(
  services: DocketServices,
  options: ServerOptions,
): Promise<FastifyInstance> {
  const publicUrl = parsePublicUrl(options.publicUrl);
  const limits = resolveLimits(options.limits);
  const log = options.logger ?? true;
  const app = fastify({
    bodyLimit: limits.jsonBytes,
    logger:
      log === false
        ? false
        : {
            level: (log === true ? undefined : log.level) ?? 'info',
            ...(log === true || log.stream === undefined ? {} : { stream: log.stream }),
            serializers: {
              // Method, path and peer only: never headers (Authorization, Cookie) nor the query string.
              req: (req: FastifyRequest) => ({
                method: req.method,
                path: pathOf(req.url),
                remoteAddress: req.ip,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
    // Request ids for correlating log lines; not derived from any client header.
    genReqId: () => crypto.randomUUID(),
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: limits.jsonBytes });

  const login = options.login === undefined ? undefined : createOidcClient(options.login);
  const web = makeWebContext(services, publicUrl, limits, login, options.sessionIdleSeconds ?? 30 * 60);

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with form posts, which the
    // CSRF origin check must refuse; no URL (with its request ids) leaves for another site either way.
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (publicUrl.protocol === 'https:') reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });

  app.setErrorHandler(async (err, request, reply) => {
    const coded = codedError(err);
    const { status, body } = errorReply(coded);
    if (status >= 500) request.log.error({ err, code: coded.code }, 'request failed');
    else request.log.info({ code: coded.code }, 'request refused');
    if (request.url.startsWith('/api/')) return reply.code(status).send(body);
    if (coded.code === ServerErrorCode.SessionRequired && request.method === 'GET') {
      return reply.redirect(`/login?next=${encodeURIComponent(localPath(request.url))}`, 303);
    }
    return sendPage(reply, errorPage(coded, currentSession(web, request)), status);
  });

  app.setNotFoundHandler(async (request) => {
    throw new DocketError(ServerErrorCode.RouteNotFound, `no route ${request.method} ${pathOf(request.url)}`);
  });

  app.get('/api/v1/health', async () => ({ status: 'ok' }));
  app.get('/api/v1/openapi.json', async () => openApiDocument(publicUrl.origin));
  app.get('/static/docket.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(STYLESHEET),
  );

  registerArtefactRoutes(app, services, limits);
  registerRequestRoutes(app, services, limits);
  registerPromotionRoutes(app, services);
  registerLogRoutes(app, services);
  registerLoginRoutes(app, web);
  registerRequestPages(app, web);
  registerEvidenceRoutes(app, web);
  registerRecordPages(app, web);
  return app;
}
