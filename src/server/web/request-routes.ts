import type { FastifyInstance } from 'fastify';
import { DecisionErrorCode } from '../../approvals/decisions/index.js';
import { rolesForGroups } from '../../approvals/policy/index.js';
import { readPolicy } from '../../approvals/policy-activation/index.js';
import {
  type ApprovalRequest,
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type EvidenceDigestsInput,
  getRequest,
  listRequests,
  missingViews,
  type ViewSummary,
} from '../../approvals/requests/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { identityKey } from '../../identity/index.js';
import { PromotionErrorCode, readPromotion } from '../../promotion/index.js';
import { promotedSentence, recordDecision } from '../decision.js';

const DECISION_CODES: ReadonlySet<string> = new Set(Object.values(DecisionErrorCode));

import { ServerErrorCode } from '../errors.js';
import { HTTP_STATUS, statusFor } from '../http-status.js';
import type { Session } from './session-store.js';
import { inboxPage } from './views/inbox-view.js';
import { requestPage } from './views/request-view.js';
import { checkCsrf, formOf, requireSession, sendPage, type WebContext } from './web-context.js';

/** The inbox, the request page, and the decision form's post. */
export function registerRequestPages(app: FastifyInstance, web: WebContext): void {
  const ctx = web.services.approvals;

  app.get('/inbox', async (request, reply) => {
    const session = requireSession(web, request);
    const me = session.identity;
    const awaiting = await listRequests(ctx, { awaiting: me });
    const awaited = new Set(awaiting.map((r) => r.id));
    const otherOpen = (await listRequests(ctx, { state: 'open' })).filter((r) => !awaited.has(r.id));
    return sendPage(reply, inboxPage({ session, awaiting, otherOpen }));
  });

  app.get('/requests/:id', async (request, reply) => {
    const session = requireSession(web, request);
    const found = await getRequest(ctx, (request.params as { id: string }).id);
    const query = request.query as Record<string, unknown>;
    const recorded = query.recorded;
    if (typeof recorded !== 'string' || !/^[0-9]{1,16}$/.test(recorded)) {
      return sendPage(reply, await renderRequest(web, session, found, {}));
    }
    let notice = `Your decision was recorded at log index ${recorded}.${found.approvalsComplete ? ' The approvals this class requires are now complete.' : ''}`;
    let error: DocketError | undefined;
    if (found.state === 'approved' && web.services.promotion !== undefined) {
      // What the log says now; a refusal wrote nothing, so its code comes with the redirect (a known code only).
      const status = await readPromotion(ctx.ledger, found.id);
      const refused = query.refused;
      if (status.state === 'promoted' && status.event !== undefined) {
        notice += ` ${promotedSentence(status.event)} (promotion event at log index ${status.event.index}).`;
      } else if (status.state === 'transition-pending') {
        const failed = status.transitions.at(-1)?.predicate.error ?? undefined;
        error = new DocketError(
          failed?.code ?? PromotionErrorCode.Pending,
          `the promotion event is written, and the registry did not move${failed === undefined ? '' : `: ${failed.message}`}. Run docket promote --resume ${found.id}.`,
        );
      } else if (typeof refused === 'string' && HTTP_STATUS[refused] !== undefined) {
        error = new DocketError(
          refused,
          `the approvals are complete, and the promotion gate refused: nothing was promoted. Once the cause is fixed, run docket promote ${found.id}.`,
        );
      }
    }
    return sendPage(
      reply,
      await renderRequest(web, session, found, { notice, ...(error === undefined ? {} : { error }) }),
    );
  });

  app.post('/requests/:id/decision', async (request, reply) => {
    const session = requireSession(web, request);
    const form = formOf(request.body);
    checkCsrf(web, request, session, form);
    const requestId = (request.params as { id: string }).id;
    const decision = form.decision;
    if (decision !== 'approve' && decision !== 'reject') {
      throw new DocketError(ServerErrorCode.Invalid, 'decision: choose Approve or Reject');
    }
    const evidence = Object.fromEntries(
      EVIDENCE_KINDS.map((kind) => [EVIDENCE_FIELDS[kind], form[`evidence.${EVIDENCE_FIELDS[kind]}`]]),
    ) as unknown as EvidenceDigestsInput;
    const comment = typeof form.comment === 'string' && form.comment.trim() !== '' ? form.comment : undefined;
    try {
      const { decision: outcome, promotion } = await recordDecision(web.services, {
        requestId,
        token: session.accessToken,
        decision,
        evidence,
        ...(comment === undefined ? {} : { comment }),
      });
      request.log.info(
        { requestId, decision, index: outcome.index, state: outcome.state },
        'decision recorded',
      );
      let refused = '';
      if (promotion !== undefined && promotion.status !== 'not-run') {
        const code = promotion.status === 'refused' ? promotion.error.code : undefined;
        request.log.info({ requestId, promotion: promotion.status, code }, 'promotion step ran');
        if (code !== undefined) refused = `&refused=${encodeURIComponent(code)}`;
      }
      return reply.redirect(`/requests/${outcome.requestId}?recorded=${outcome.index}${refused}`, 303);
    } catch (err) {
      // A refusal is shown on the request page as it is now, so the approver sees what changed.
      if (!isDocketError(err) || !DECISION_CODES.has(err.code)) throw err;
      request.log.info({ requestId, code: err.code }, 'decision refused');
      const current = await getRequest(ctx, requestId);
      return sendPage(reply, await renderRequest(web, session, current, { error: err }), statusFor(err));
    }
  });
}

async function renderRequest(
  web: WebContext,
  session: Session,
  request: ApprovalRequest,
  extra: { notice?: string | undefined; error?: DocketError },
) {
  const me = session.identity;
  const key = identityKey(me);
  const policy = await readPolicy(web.services.approvals.artefacts, request.classification.policyDigest);
  const roles = rolesForGroups(policy.policy, me.groups);
  const myViews = new Map<string, ViewSummary>();
  for (const v of request.views) {
    if (identityKey(v.viewer) === key && v.servedDigest === v.artefactDigest)
      myViews.set(v.artefactDigest, v);
  }
  const missing = missingViews(request.evidence, request.classification.approvalsRequired, request.views, me);
  const blockers: string[] = [];
  if (request.state !== 'open') blockers.push(`the request is ${request.state}`);
  if (identityKey(request.requester) === key)
    blockers.push('you opened this request: a requester never decides on it');
  if (request.decisions.some((d) => identityKey(d.identity) === key))
    blockers.push('you have already decided');
  if (roles.length === 0) blockers.push("your groups map to no docket role under this request's policy");
  if (missing.length > 0) blockers.push(`open the required evidence first: ${missing.join(', ')}`);
  return requestPage({
    session,
    request,
    roles,
    myViews,
    blockers,
    ...(extra.notice === undefined ? {} : { notice: extra.notice }),
    ...(extra.error === undefined ? {} : { error: extra.error }),
  });
}
