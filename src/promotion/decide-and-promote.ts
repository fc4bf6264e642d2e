import { type DecideInput, type DecisionOutcome, decide } from '../approvals/decisions/index.js';
import { readPolicy } from '../approvals/policy-activation/index.js';
import { type DocketError, isDocketError } from '../errors/index.js';
import type { PromotionContext } from './context.js';
import { type PromotionOutcome, promote } from './promote.js';

/**
 * What the promotion step of a decision did: `not-run` (the approvals are not complete yet, or the policy asks
 * for an explicit `docket promote`), `refused` (the gate refused, or the registry failed before the event write:
 * nothing was written or moved, `error` says why), or the promotion's outcome (`promoted`, `transition-pending`).
 */
export type DecisionPromotion =
  | { readonly status: 'not-run'; readonly reason: 'approvals-incomplete' | 'explicit-mode' }
  | { readonly status: 'refused'; readonly error: DocketError }
  | { readonly status: 'promoted' | 'transition-pending'; readonly outcome: PromotionOutcome };

/** A recorded decision and what its promotion step did. */
export interface DecideAndPromoteOutcome {
  readonly decision: DecisionOutcome;
  readonly promotion: DecisionPromotion;
}

/**
 * "The approval click is the promotion" (DESIGN.md): records the decision, and when it completes the approvals the
 * request's class requires and the request's policy has `promotion.mode: on-approval` (the default), runs the gate
 * at once with the trigger `approval`. The decision stands whatever the gate says: a refusal is returned (nothing
 * was promoted, `docket promote` can run once the cause is fixed), never thrown.
 *
 * @throws DocketError as `decide` (the decision was refused; nothing recorded)
 * @example
 * const { decision, promotion } = await decideAndPromote(docket.promotion, { requestId, token, decision: 'approve', evidence });
 * if (promotion.status === 'transition-pending') await promote(docket.promotion, requestId, { resume: true });
 */
export async function decideAndPromote(
  ctx: PromotionContext,
  input: DecideInput,
): Promise<DecideAndPromoteOutcome> {
  const decision = await decide(ctx.approvals, input);
  if (!decision.approvalsComplete) {
    return { decision, promotion: { status: 'not-run', reason: 'approvals-incomplete' } };
  }
  try {
    const { policy } = await readPolicy(
      ctx.approvals.artefacts,
      decision.request.classification.policyDigest,
    );
    if (policy.promotion.mode === 'explicit') {
      return { decision, promotion: { status: 'not-run', reason: 'explicit-mode' } };
    }
    const outcome = await promote(ctx, decision.requestId, { trigger: 'approval' });
    return { decision, promotion: { status: outcome.state, outcome } };
  } catch (err) {
    if (isDocketError(err)) return { decision, promotion: { status: 'refused', error: err } };
    throw err;
  }
}
