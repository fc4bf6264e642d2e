import type { FastifyInstance } from 'fastify';
import type { DecideInput } from '../../approvals/decisions/index.js';
import {
  getRequest,
  listRequests,
  type OpenRequestInput,
  openRequest,
  type RequestQuery,
  type RequestState,
  viewEvidence,
  withdrawRequest,
} from '../../approvals/requests/index.js';
import { decisionPromotionJson, recordDecision } from '../decision.js';
import type { BodyLimits, DocketServices } from '../server-options.js';
import { authenticate, bearerToken } from './bearer.js';
import { invalidParameter, objectBody, optionalText } from './params.js';

/**
 * Approval requests: open, list (`awaiting=me`), read, review evidence (the view receipt is recorded before the
 * bytes leave), decide (the completing approval also promotes, when the server has a promotion context), withdraw. Every write passes the caller's bearer token to the library, which verifies it
 * and records the token evidence (never the token).
 */
export function registerRequestRoutes(
  app: FastifyInstance,
  services: DocketServices,
  limits: BodyLimits,
): void {
  const ctx = services.approvals;

  app.post('/api/v1/requests', async (request, reply) => {
    const token = bearerToken(request);
    const body = objectBody(request.body);
    const opened = await openRequest(ctx, { ...body, token } as unknown as OpenRequestInput);
    return reply.code(201).header('location', `/api/v1/requests/${opened.id}`).send(opened);
  });

  app.get('/api/v1/requests', async (request) => {
    const { identity } = await authenticate(request, ctx.identity);
    const q = request.query as Record<string, unknown>;
    const state = optionalText(q.state, 'state', 32);
    const model = optionalText(q.model, 'model');
    const awaiting = optionalText(q.awaiting, 'awaiting', 8);
    if (awaiting !== undefined && awaiting !== 'me') invalidParameter('awaiting', 'the only value is "me"');
    const query: RequestQuery = {
      ...(state === undefined ? {} : { state: state as RequestState }),
      ...(model === undefined ? {} : { model }),
      ...(awaiting === undefined
        ? {}
        : { awaiting: { issuer: identity.issuer, subject: identity.subject, groups: identity.groups } }),
    };
    return { requests: await listRequests(ctx, query) };
  });

  app.get('/api/v1/requests/:id', async (request) => {
    await authenticate(request, ctx.identity);
    return getRequest(ctx, (request.params as { id: string }).id);
  });

  app.get('/api/v1/requests/:id/views', async (request) => {
    await authenticate(request, ctx.identity);
    const found = await getRequest(ctx, (request.params as { id: string }).id);
    return { requestId: found.id, views: found.views };
  });

  // The exact stored bytes, verified; the view receipt is appended before they are sent (headers carry it).
  app.post('/api/v1/requests/:id/views', async (request, reply) => {
    const token = bearerToken(request);
    const body = objectBody(request.body);
    const only = Object.keys(body).filter((k) => k !== 'evidence');
    if (only.length > 0) invalidParameter('body', `unknown field ${JSON.stringify(only[0]?.slice(0, 64))}`);
    const requestId = (request.params as { id: string }).id;
    const { receipt, bytes } = await viewEvidence(
      ctx,
      { requestId, token, evidence: body.evidence as string },
      { maxBytes: limits.viewBytes },
    );
    return reply
      .code(200)
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', 'attachment')
      .header('docket-view-index', String(receipt.index))
      .header('docket-artefact-digest', receipt.artefactDigest)
      .header('docket-served-digest', receipt.servedDigest)
      .header('docket-evidence-kinds', receipt.evidenceKinds.join(','))
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.post('/api/v1/requests/:id/decisions', async (request, reply) => {
    const token = bearerToken(request);
    const body = objectBody(request.body);
    const requestId = (request.params as { id: string }).id;
    const { decision, promotion } = await recordDecision(services, {
      ...body,
      requestId,
      token,
    } as unknown as DecideInput);
    // The decision stands whatever its promotion step did (a refusal is in `promotion`, not an error answer).
    return reply
      .code(201)
      .send(
        promotion === undefined ? decision : { ...decision, promotion: decisionPromotionJson(promotion) },
      );
  });

  app.post('/api/v1/requests/:id/withdrawal', async (request, reply) => {
    const token = bearerToken(request);
    const body = objectBody(request.body ?? {});
    const unknown = Object.keys(body).filter((k) => k !== 'reason');
    if (unknown.length > 0)
      invalidParameter('body', `unknown field ${JSON.stringify(unknown[0]?.slice(0, 64))}`);
    const requestId = (request.params as { id: string }).id;
    const withdrawn = await withdrawRequest(ctx, { requestId, token, reason: body.reason as string });
    return reply.code(201).send(withdrawn);
  });
}
