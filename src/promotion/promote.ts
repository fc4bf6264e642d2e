import { getRequest, parseRequestId } from '../approvals/requests/index.js';
import { DocketError } from '../errors/index.js';
import { currentTargetVersion } from '../registries/index.js';
import type { PromotionContext } from './context.js';
import { PromotionErrorCode } from './errors.js';
import { checkApprovals, checkCandidate, checkChampion, checkEvidence } from './gate-checks.js';
import { alreadyHasEvent, type GatePassed, recordPromotionEvent } from './promotion-event.js';
import { type PromotionStatus, readPromotion } from './promotion-state.js';
import {
  isApplied,
  type PromotionTrigger,
  type RecordedPromotion,
  type RecordedTransition,
  targetLabel,
} from './records.js';
import { executeTransition, recordTransition, transitionPredicate } from './transition.js';

/** Options of {@link promote}. */
export interface PromoteOptions {
  /** Complete an interrupted promotion (event written, transition pending) instead of starting one. */
  readonly resume?: boolean;
  /** What ran the gate, recorded in the event (default `promote`, the explicit step). */
  readonly trigger?: PromotionTrigger;
}

/** What a promotion did. */
export interface PromotionOutcome {
  readonly requestId: string;
  /** `promoted` once a transition applied; `transition-pending` when the move failed: resume it. */
  readonly state: 'promoted' | 'transition-pending';
  readonly event: RecordedPromotion;
  /**
   * The transition this call recorded (or, when a concurrent resume recorded the applied one first, that one);
   * absent when it recorded none (resuming a promotion already applied).
   */
  readonly transition?: RecordedTransition;
  /** Every transition of the promotion so far, this call's included. */
  readonly transitions: readonly RecordedTransition[];
}

/**
 * The gate (DESIGN.md principle 3, "Failure semantics"). Re-checks everything at the moment of promotion, in this
 * order: the request is approved and its approvals satisfy its class under the policy it was classified with; the
 * candidate is in the configured registry; every evidence artefact still resolves in the store (bytes re-hashed);
 * the target still points at the compared champion; the candidate's bytes, fetched from the registry and digested,
 * equal the approved artefact digest. Then it appends the promotion event durably (chained into the request's
 * history: two racing promotions write one event), then moves the registry, then appends a `transition` with the
 * outcome. A refusal, or a registry failure before the event write, appends nothing and moves nothing.
 *
 * With `resume`, completes a promotion whose event is written and whose transition is pending, idempotently: if the
 * registry already shows the target at the candidate (the move happened, its transition was never recorded), it
 * records an `applied-observed` transition without moving again; otherwise it re-checks the champion and the
 * candidate's bytes and moves. A promotion already applied is returned as it is, with nothing written or moved.
 *
 * @throws DocketError ERR_PROMOTION_* (refusals), ERR_REQUEST_*, ERR_APPROVAL_POLICY_UNREADABLE, ERR_REGISTRY_*
 *   (a registry failure before the event write), ERR_LEDGER_*
 * @example
 * const outcome = await promote(docket.promotion, 'req-7k2m9p4x1c');
 * if (outcome.state === 'transition-pending') await promote(docket.promotion, outcome.requestId, { resume: true });
 */
export async function promote(
  ctx: PromotionContext,
  requestId: string,
  options: PromoteOptions = {},
): Promise<PromotionOutcome> {
  const id = parseRequestId(requestId);
  const status = await readPromotion(ctx.approvals.ledger, id);
  if (options.resume === true) {
    if (status.event === undefined) {
      throw new DocketError(
        PromotionErrorCode.NotPending,
        `request ${id} has no promotion event: there is nothing to resume (run docket promote ${id})`,
        { details: { requestId: id } },
      );
    }
    return resume(ctx, status, status.event);
  }
  if (status.state !== 'none') throw await alreadyHasEvent(ctx, id);
  let gate: Awaited<ReturnType<typeof runGate>>;
  try {
    gate = await runGate(ctx, id, options.trigger ?? 'promote');
  } catch (err) {
    // A racing promotion of the same request may have moved the champion meanwhile: say that, not "moved".
    const promotedMeanwhile = (await readPromotion(ctx.approvals.ledger, id)).state !== 'none';
    throw promotedMeanwhile ? await alreadyHasEvent(ctx, id) : err;
  }
  const event = await recordPromotionEvent(ctx, id, gate.passed);
  const transition = await executeTransition(ctx, event, 'promotion', gate.championVersion);
  return outcomeOf(id, event, [transition], transition);
}

/**
 * Every check of the gate, in order, writing nothing. Exported for callers that want to know whether a request
 * would pass (a dry run); {@link promote} runs it itself.
 */
export async function runGate(
  ctx: PromotionContext,
  requestId: string,
  trigger: PromotionTrigger,
): Promise<{ passed: GatePassed; championVersion: string }> {
  const request = await getRequest(ctx.approvals, requestId);
  const { policy, decisions } = await checkApprovals(ctx.approvals, request);
  const { candidate, champion } = request;
  if (candidate.registry !== ctx.registryName) {
    throw new DocketError(
      PromotionErrorCode.RegistryMismatch,
      `request ${request.id} promotes in registry ${candidate.registry}; the registry configured here is ${ctx.registryName} (${ctx.registry.id})`,
      { details: { requestId: request.id, request: candidate.registry, configured: ctx.registryName } },
    );
  }
  await checkEvidence(ctx.approvals.artefacts, request);
  await checkChampion(ctx.registry, candidate.model, ctx.target, champion.version);
  const frozen = await checkCandidate(ctx, candidate);
  return { passed: { policy, decisions, frozen, trigger }, championVersion: champion.version };
}

async function resume(
  ctx: PromotionContext,
  status: PromotionStatus,
  event: RecordedPromotion,
): Promise<PromotionOutcome> {
  const id = status.requestId;
  if (status.state === 'promoted') return outcomeOf(id, event, status.transitions);
  const { model, target, expectedChampion } = event.predicate;
  if (model.registry !== ctx.registryName || model.registryId !== ctx.registry.id) {
    throw new DocketError(
      PromotionErrorCode.RegistryMismatch,
      `the promotion event of request ${id} moves ${model.registryId}; the registry configured here is ${ctx.registry.id}`,
      { details: { requestId: id, request: model.registryId, configured: ctx.registry.id } },
    );
  }
  const current = await currentTargetVersion(ctx.registry, model.model, target);
  let transition: RecordedTransition;
  if (current === model.version) {
    // The move happened and its transition was never recorded (a crash, or a lost answer): record, never re-move.
    const predicate = transitionPredicate(ctx, event, {
      reason: 'resume',
      outcome: 'applied-observed',
      error: null,
      fromVersion: expectedChampion,
    });
    transition = await recordTransition(ctx, event, predicate);
  } else {
    if (current !== expectedChampion) {
      throw new DocketError(
        PromotionErrorCode.ChampionMoved,
        `${model.model} ${targetLabel(target)} points at ${current === undefined ? 'no version' : `version ${current}`}, neither the expected champion ${expectedChampion} nor the candidate ${model.version}: run docket reconcile`,
        { details: { requestId: id, expected: expectedChampion, actual: current ?? null } },
      );
    }
    await checkCandidate(ctx, model);
    transition = await executeTransition(ctx, event, 'resume', current);
  }
  const after = await readPromotion(ctx.approvals.ledger, id);
  return outcomeOf(id, event, after.transitions, transition);
}

function outcomeOf(
  requestId: string,
  event: RecordedPromotion,
  transitions: readonly RecordedTransition[],
  transition?: RecordedTransition,
): PromotionOutcome {
  const applied = transitions.some((t) => isApplied(t.predicate.outcome));
  return {
    requestId,
    state: applied ? 'promoted' : 'transition-pending',
    event,
    ...(transition === undefined ? {} : { transition }),
    transitions,
  };
}
