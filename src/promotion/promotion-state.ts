import { parseRequestId } from '../approvals/requests/index.js';
import { DocketError } from '../errors/index.js';
import type { Ledger } from '../ledger/index.js';
import { PromotionErrorCode } from './errors.js';
import { readPromotionEntry, readTransitionEntry } from './read-records.js';
import { isApplied, PROMOTION_RECORD, type RecordedPromotion, type RecordedTransition } from './records.js';

/**
 * `none`: no promotion event yet; `transition-pending`: the event is written and no transition has applied (the
 * move failed, or the process stopped before it): `promote --resume` completes it; `promoted`: a transition applied.
 */
export type PromotionState = 'none' | 'transition-pending' | 'promoted';

/** A request's promotion as its `promotion` and `transition` entries say it is. */
export interface PromotionStatus {
  readonly requestId: string;
  readonly state: PromotionState;
  readonly event?: RecordedPromotion;
  /** Every transition that executes the event, in log order (failed attempts included). */
  readonly transitions: readonly RecordedTransition[];
}

/**
 * Folds a request's promotion records (lookup key `promotion=<requestId>`) into its promotion state. Each
 * transition must name the request's one promotion event by index and leaf hash.
 *
 * @throws DocketError ERR_REQUEST_INVALID, ERR_PROMOTION_RECORD_MALFORMED, ERR_LEDGER_ENTRY_CORRUPT
 * @example
 * (await readPromotion(ledger, 'req-7k2m9p4x1c')).state; // 'transition-pending'
 */
export async function readPromotion(ledger: Ledger, requestId: string): Promise<PromotionStatus> {
  const id = parseRequestId(requestId);
  let event: RecordedPromotion | undefined;
  const transitions: RecordedTransition[] = [];
  for (const index of await ledger.find('promotion', id)) {
    const entry = await ledger.readEntry(index);
    if (entry.recordType === PROMOTION_RECORD.promotion) {
      if (event !== undefined) malformed(index, `request ${id} has a second promotion event`);
      event = readPromotionEntry(entry);
      if (event.predicate.requestId !== id)
        malformed(index, `it belongs to request ${event.predicate.requestId}`);
    } else if (entry.recordType === PROMOTION_RECORD.transition) {
      const transition = readTransitionEntry(entry);
      const names = transition.predicate.promotion;
      if (event === undefined || names.index !== event.index || names.leafHash !== event.leafHash) {
        malformed(index, `the transition does not name request ${id}'s promotion event`);
      }
      transitions.push(transition);
    }
  }
  const state: PromotionState =
    event === undefined
      ? 'none'
      : transitions.some((t) => isApplied(t.predicate.outcome))
        ? 'promoted'
        : 'transition-pending';
  return { requestId: id, state, ...(event === undefined ? {} : { event }), transitions };
}

function malformed(index: number, why: string): never {
  throw new DocketError(PromotionErrorCode.RecordMalformed, `log entry ${index}: ${why}`, {
    details: { index },
  });
}
