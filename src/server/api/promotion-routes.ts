import type { FastifyInstance } from 'fastify';
import { DocketError } from '../../errors/index.js';
import { promote, readPromotion } from '../../promotion/index.js';
import { promotionOutcomeJson, promotionStatusJson } from '../decision.js';
import { ServerErrorCode } from '../errors.js';
import type { DocketServices } from '../server-options.js';
import { authenticate } from './bearer.js';
import { invalidParameter, objectBody } from './params.js';

/**
 * A request's promotion: its state as the log says it (`GET`), and the explicit promotion step or the resume of an
 * interrupted one (`POST`, body `{}` or `{ "resume": true }`). Both need a verified token; the gate itself re-checks
 * the approvals, evidence, champion and artefact, so the caller's identity grants nothing more.
 */
export function registerPromotionRoutes(app: FastifyInstance, services: DocketServices): void {
  const ctx = services.approvals;

  app.get('/api/v1/requests/:id/promotion', async (request) => {
    await authenticate(request, ctx.identity);
    const requestId = (request.params as { id: string }).id;
    return promotionStatusJson(await readPromotion(ctx.ledger, requestId));
  });

  app.post('/api/v1/requests/:id/promotion', async (request, reply) => {
    await authenticate(request, ctx.identity);
    const body = objectBody(request.body ?? {});
    const unknown = Object.keys(body).filter((k) => k !== 'resume');
    if (unknown.length > 0)
      invalidParameter('body', `unknown field ${JSON.stringify(unknown[0]?.slice(0, 64))}`);
    if (body.resume !== undefined && typeof body.resume !== 'boolean')
      invalidParameter('resume', 'must be true or false');
    const promotion = services.promotion;
    if (promotion === undefined) {
      throw new DocketError(
        ServerErrorCode.PromotionNotConfigured,
        'this server has no model registry configured for promotion',
      );
    }
    const requestId = (request.params as { id: string }).id;
    const outcome = await promote(promotion, requestId, { resume: body.resume === true });
    // 201 when this call recorded a transition; 200 when it recorded nothing (resuming an applied promotion).
    return reply.code(outcome.transition === undefined ? 200 : 201).send(promotionOutcomeJson(outcome));
  });
}
