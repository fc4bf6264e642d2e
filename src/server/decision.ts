import { type DecideInput, type DecisionOutcome, decide } from '../approvals/decisions/index.js';
import {
  type DecisionPromotion,
  decideAndPromote,
  type PromotionOutcome,
  type PromotionStatus,
  targetLabel,
} from '../promotion/index.js';
import type { DocketServices } from './server-options.js';

/** A recorded decision and, when the server has a promotion context, what its promotion step did. */
export interface RecordedDecision {
  readonly decision: DecisionOutcome;
  /** Absent when the server has no promotion context (decisions only record). */
  readonly promotion?: DecisionPromotion;
}

/**
 * Records an approval or rejection for the API and the approver UI alike (one path, one set of rules). With a
 * promotion context, the decision that completes the approvals runs the promotion gate at once (DESIGN.md "The
 * approval click is the promotion", `decideAndPromote`); a gate refusal is returned, never thrown: the decision stands.
 *
 * @throws DocketError as `decide` (the decision was refused; nothing recorded)
 */
export async function recordDecision(
  services: DocketServices,
  input: DecideInput,
): Promise<RecordedDecision> {
  const promotion = services.promotion;
  if (promotion === undefined) return { decision: await decide(services.approvals, input) };
  return decideAndPromote(promotion, input);
}

/**
 * A decision's promotion step as the API answers it, always with a `state`: `not-run` (with `reason`), `refused`
 * (with the coded `error`; nothing was written or moved), or the promotion's outcome (`promoted`,
 * `transition-pending`) with its event and transitions.
 */
export function decisionPromotionJson(p: DecisionPromotion): Record<string, unknown> {
  switch (p.status) {
    case 'not-run':
      return { state: 'not-run', reason: p.reason };
    case 'refused':
      return {
        state: 'refused',
        error: { code: p.error.code, message: p.error.message, details: { ...p.error.details } },
      };
    default:
      return promotionOutcomeJson(p.outcome);
  }
}

/** A promotion's outcome as the API answers it (the records as they are in the log). */
export function promotionOutcomeJson(o: PromotionOutcome): Record<string, unknown> {
  return { ...o };
}

/** A request's promotion state as the API answers it (`event` null before the promotion event). */
export function promotionStatusJson(s: PromotionStatus): Record<string, unknown> {
  return { requestId: s.requestId, state: s.state, event: s.event ?? null, transitions: s.transitions };
}

/** "promoted: credit@2 is now champion", for people. */
export function promotedSentence(event: PromotionOutcome['event']): string {
  const { model, target } = event.predicate;
  const label = target.kind === 'alias' ? target.alias : targetLabel(target);
  return `promoted: ${model.model}@${model.version} is now ${label}`;
}
