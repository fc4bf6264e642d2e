import { type DecideInput, type DecisionOutcome, decide } from '../approvals/decisions/index.js';
import type { DocketServices } from './server-options.js';

/**
 * Records an approval or rejection for the API and the approver UI alike (one path, one set of rules).
 *
 * PROMOTION HOOK: DESIGN.md "The approval click is the promotion" wants the decision that completes the approvals
 * to run the promotion gate at once. `src/promotion` (its `decideAndPromote`) had not landed when this was
 * written: replace `decide` below with it, and return its promotion outcome beside the decision.
 */
export async function recordDecision(services: DocketServices, input: DecideInput): Promise<DecisionOutcome> {
  return decide(services.approvals, input);
}
