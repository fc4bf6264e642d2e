import { identityKey } from '../../identity/index.js';
import type { Ledger } from '../../ledger/index.js';
import { type LoadedPolicy, rolesForGroups } from '../policy/index.js';
import { readPolicy } from '../policy-activation/index.js';
import { type ApprovalsContext, nowOf } from './context.js';
import { missingViews, REQUEST_STATES, type RequestState } from './decision-rules.js';
import { type ApprovalRequest, foldRequest } from './fold-request.js';
import { readRequestHistory } from './history.js';
import { REQUEST_RECORD, type RecordedIdentity } from './records.js';
import { invalid, parseRequestId } from './request-input.js';
import { evaluateRequirements } from './requirements.js';

/**
 * One request, its state folded from its own entries.
 *
 * @throws DocketError ERR_REQUEST_INVALID, ERR_REQUEST_NOT_FOUND, ERR_REQUEST_HISTORY_BROKEN, ERR_REQUEST_RECORD_MALFORMED
 * @example
 * const request = await getRequest(ctx, 'req-7k2m9p4x1c');
 */
export async function getRequest(
  ctx: Pick<ApprovalsContext, 'ledger' | 'now'>,
  requestId: string,
): Promise<ApprovalRequest> {
  const id = parseRequestId(requestId);
  return foldRequest(await readRequestHistory(ctx.ledger, id), ctx.now?.() ?? new Date());
}

/** An approver to look for: a verified identity with the groups its token carries. */
export interface AwaitingApprover extends RecordedIdentity {
  readonly groups: readonly string[];
}

/** Filters of {@link listRequests}; all that are given must hold. */
export interface RequestQuery {
  readonly state?: RequestState;
  /** `registry/model`. */
  readonly model?: string;
  /**
   * Only open requests this identity can move forward: not its own, not decided by it yet, and its approval (with
   * the roles its groups map to under the request's policy) would bring the request closer to complete.
   */
  readonly awaiting?: AwaitingApprover;
}

/** A request as listed, with what the awaited approver still has to review (when `awaiting` was given). */
export interface ListedRequest extends ApprovalRequest {
  readonly toReview?: readonly string[];
}

/**
 * Requests matching a query, oldest first. Each one's state is folded from its own entries.
 *
 * @throws DocketError ERR_REQUEST_INVALID for an unknown state or malformed model, ERR_REQUEST_HISTORY_BROKEN, ...
 * @example
 * await listRequests(ctx, { awaiting: { issuer, subject, groups } });
 */
export async function listRequests(
  ctx: ApprovalsContext,
  query: RequestQuery = {},
): Promise<ListedRequest[]> {
  if (query.state !== undefined && !REQUEST_STATES.includes(query.state)) {
    invalid('state', `must be one of ${REQUEST_STATES.join(', ')}`);
  }
  if (query.model !== undefined && (typeof query.model !== 'string' || !query.model.includes('/'))) {
    invalid('model', 'must be registry/model, e.g. local/credit-decisioning');
  }
  const ids = await requestIds(ctx.ledger, query.model);
  const now = nowOf(ctx);
  const policies = new Map<string, LoadedPolicy>();
  const listed: ListedRequest[] = [];
  for (const id of ids) {
    const request = foldRequest(await readRequestHistory(ctx.ledger, id), now);
    if (query.state !== undefined && request.state !== query.state) continue;
    if (query.awaiting === undefined) {
      listed.push(request);
      continue;
    }
    const digest = request.classification.policyDigest;
    let policy = policies.get(digest);
    if (policy === undefined) {
      policy = await readPolicy(ctx.artefacts, digest);
      policies.set(digest, policy);
    }
    const toReview = awaitedReviews(
      request,
      query.awaiting,
      rolesForGroups(policy.policy, query.awaiting.groups),
    );
    if (toReview !== undefined) listed.push({ ...request, toReview });
  }
  return listed;
}

async function requestIds(ledger: Ledger, model: string | undefined): Promise<string[]> {
  const indices =
    model === undefined
      ? await ledger.find('type', REQUEST_RECORD.request)
      : await ledger.find('model', model);
  const ids: string[] = [];
  for (const index of indices) {
    const entry = await ledger.readEntry(index);
    const id = entry.statement.predicate.requestId;
    if (entry.recordType === REQUEST_RECORD.request && typeof id === 'string') ids.push(id);
  }
  return ids;
}

// The evidence kinds the approver still has to review when the request awaits them; undefined when it does not.
function awaitedReviews(
  request: ApprovalRequest,
  who: AwaitingApprover,
  roles: readonly string[],
): string[] | undefined {
  const key = identityKey(who);
  if (request.state !== 'open' || roles.length === 0) return undefined;
  if (identityKey(request.requester) === key) return undefined;
  if (request.decisions.some((d) => identityKey(d.identity) === key)) return undefined;
  const required = request.classification.approvalsRequired;
  const approvers = request.decisions.filter((d) => d.counted && d.decision === 'approve');
  const now = evaluateRequirements(required, approvers);
  const withThem = evaluateRequirements(required, [...approvers, { identity: who, roles }]);
  if (withThem.shortfall >= now.shortfall) return undefined;
  return missingViews(request.evidence, required, request.views, who);
}
