import { appendToRequest, modelKey, modelVersionKey } from '../approvals/requests/index.js';
import type { Digest } from '../digest/index.js';
import { isDocketError } from '../errors/index.js';
import type { AppendedEntry, LedgerRecord } from '../ledger/index.js';
import { moveTarget } from '../registries/index.js';
import { DOCKET_VERSION } from '../version.js';
import type { PromotionContext } from './context.js';
import { PromotionErrorCode } from './errors.js';
import { readPromotion } from './promotion-state.js';
import {
  isApplied,
  PROMOTION_RECORD,
  promotionKeys,
  type RecordedPromotion,
  type RecordedTransition,
  type TransitionOutcome,
  type TransitionPredicate,
  type TransitionReason,
} from './records.js';

const MAX_ERROR_MESSAGE = 1000;

/**
 * Moves the registry to the event's candidate and records the outcome as a `transition` chained into the request's
 * history: `applied`, or `failed` with the error's code (`ERR_REGISTRY_*`) and message. A failed move is not thrown:
 * the event stands, the promotion is "transition pending", and `promote --resume` retries it.
 *
 * @throws DocketError ERR_LEDGER_* when the transition itself cannot be appended (the promotion stays pending)
 */
export async function executeTransition(
  ctx: PromotionContext,
  event: RecordedPromotion,
  reason: Exclude<TransitionReason, 'reconcile'>,
  fromVersion: string | null,
): Promise<RecordedTransition> {
  const { model } = event.predicate;
  let outcome: TransitionOutcome = 'applied';
  let error: TransitionPredicate['error'] = null;
  try {
    await moveTarget(ctx.registry, model.model, event.predicate.target, model.version);
  } catch (err) {
    outcome = 'failed';
    error = transitionError(err);
  }
  return recordTransition(
    ctx,
    event,
    transitionPredicate(ctx, event, { reason, outcome, error, fromVersion }),
  );
}

/** A transition executing `event`, in the context's registry. */
export function transitionPredicate(
  ctx: Pick<PromotionContext, 'registry' | 'registryName'>,
  event: RecordedPromotion,
  fields: Pick<TransitionPredicate, 'reason' | 'outcome' | 'error' | 'fromVersion'> & { toVersion?: string },
): TransitionPredicate {
  const p = event.predicate;
  return {
    requestId: p.requestId,
    reason: fields.reason,
    outcome: fields.outcome,
    error: fields.error,
    registry: ctx.registryName,
    registryId: ctx.registry.id,
    model: p.model.model,
    target: p.target,
    fromVersion: fields.fromVersion,
    toVersion: fields.toVersion ?? p.model.version,
    promotion: { index: event.index, leafHash: event.leafHash },
    docketVersion: DOCKET_VERSION,
  };
}

/** The error of a failed move as a transition records it: its code (ERR_PROMOTION_MOVE_FAILED when it has none). */
export function transitionError(err: unknown): { code: string; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: isDocketError(err) ? err.code : PromotionErrorCode.MoveFailed,
    message: (message === '' ? 'no message' : message).slice(0, MAX_ERROR_MESSAGE),
  };
}

/**
 * Appends a transition to the request's history. An applied transition is recorded once: if another writer
 * recorded one meanwhile (two resumes racing), the existing one is returned and nothing is appended.
 */
export async function recordTransition(
  ctx: PromotionContext,
  event: RecordedPromotion,
  predicate: TransitionPredicate,
): Promise<RecordedTransition> {
  const existing: { found?: RecordedTransition } = {};
  let entry: AppendedEntry;
  try {
    entry = await appendToRequest(ctx.approvals, predicate.requestId, async () => {
      if (isApplied(predicate.outcome)) {
        const status = await readPromotion(ctx.approvals.ledger, predicate.requestId);
        const applied = status.transitions.find((t) => isApplied(t.predicate.outcome));
        if (applied !== undefined) {
          existing.found = applied;
          throw ALREADY_APPLIED;
        }
      }
      return transitionRecord(predicate, predicate.requestId, event.predicate.model.artefactDigest);
    });
  } catch (err) {
    if (err === ALREADY_APPLIED && existing.found !== undefined) return existing.found;
    throw err;
  }
  return { index: entry.index, leafHash: entry.leafHash, recordedAt: entry.recordedAt, predicate };
}

// Thrown out of the append's build step to stop it; never leaves this module.
const ALREADY_APPLIED = Symbol('already applied');

/**
 * The ledger record of a transition. Its subject is the artefact of the version the target is moved to (the
 * promotion event's frozen digest); `requestId` is null for one not chained into a request's history (reconcile).
 */
export function transitionRecord(
  predicate: TransitionPredicate,
  requestId: string | null,
  artefactDigest: Digest,
): Omit<LedgerRecord, 'chainTo'> {
  const ref = { registry: predicate.registry, model: predicate.model, version: predicate.toVersion };
  return {
    type: PROMOTION_RECORD.transition,
    subject: [{ name: `model:${modelVersionKey(ref)}`, digest: artefactDigest }],
    predicate: { ...predicate },
    keys: [
      ...promotionKeys(requestId, ref),
      ...(requestId === null ? [{ key: 'reconcile', value: modelKey(ref) }] : []),
    ],
  };
}
