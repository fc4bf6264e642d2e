import type { LoadedPolicy } from '../approvals/policy/index.js';
import {
  type ApprovalRequest,
  appendToRequest,
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  modelVersionKey,
} from '../approvals/requests/index.js';
import { DocketError } from '../errors/index.js';
import type { RecordSubject } from '../ledger/index.js';
import type { FrozenArtefact } from '../registries/index.js';
import { DOCKET_VERSION } from '../version.js';
import type { PromotionContext } from './context.js';
import { PromotionErrorCode } from './errors.js';
import { readPromotion } from './promotion-state.js';
import {
  type DecisionRef,
  PROMOTION_RECORD,
  type PromotionPredicate,
  type PromotionTrigger,
  promotionKeys,
  type RecordedPromotion,
} from './records.js';

/** What the gate established before the event is written. */
export interface GatePassed {
  readonly policy: LoadedPolicy;
  readonly decisions: readonly DecisionRef[];
  readonly frozen: FrozenArtefact;
  readonly trigger: PromotionTrigger;
}

/**
 * The promotion event of an approved request: the six references of DESIGN.md, class, the decisions it rests on,
 * the policy digest, the target and the champion expected on it, and docket's version. Pure.
 */
export function promotionPredicate(
  ctx: Pick<PromotionContext, 'registry' | 'target'>,
  request: ApprovalRequest,
  gate: GatePassed,
): PromotionPredicate {
  const { candidate, champion, evidence, classification } = request;
  return {
    requestId: request.id,
    class: classification.class,
    model: {
      registry: candidate.registry,
      registryId: ctx.registry.id,
      model: candidate.model,
      version: candidate.version,
      artefactDigest: gate.frozen.digest,
      artefact: { kind: gate.frozen.kind, files: gate.frozen.files, bytes: gate.frozen.bytes },
    },
    comparison: { reportDigest: evidence.comparison, champion: { ...champion } },
    requestHead: { index: request.head.index, leafHash: request.head.leafHash },
    approvers: gate.decisions.map((d) => ({ ...d.identity })),
    explanationDigest: evidence.explanation,
    datasets: { trainingDigest: evidence.trainingDataset, evaluationDigest: evidence.evaluationDataset },
    changeManifestDigest: evidence.changeManifest,
    decisions: gate.decisions.map((d) => ({ ...d, identity: { ...d.identity }, roles: [...d.roles] })),
    policyDigest: classification.policyDigest,
    classifierVersion: classification.classifierVersion,
    target: { ...ctx.target },
    expectedChampion: champion.version,
    trigger: gate.trigger,
    dev: request.dev || gate.decisions.some((d) => d.dev),
    docketVersion: DOCKET_VERSION,
  };
}

/**
 * Appends the promotion event, chained into the request's history with a conditional append on its head: of two
 * promotions racing on one request exactly one event is written; the other re-reads the history, finds the event
 * and is refused. The request must still be approved and have no event when the append happens.
 *
 * @throws DocketError ERR_PROMOTION_ALREADY_PROMOTED, ERR_PROMOTION_PENDING, ERR_PROMOTION_NOT_APPROVED, ERR_LEDGER_*
 */
export async function recordPromotionEvent(
  ctx: PromotionContext,
  requestId: string,
  gate: GatePassed,
): Promise<RecordedPromotion> {
  let predicate: PromotionPredicate | undefined;
  const entry = await appendToRequest(ctx.approvals, requestId, async (request) => {
    if (request.entries.some((e) => e.type === PROMOTION_RECORD.promotion)) {
      throw await alreadyHasEvent(ctx, requestId);
    }
    if (request.state !== 'approved') {
      throw new DocketError(PromotionErrorCode.NotApproved, `request ${requestId} is ${request.state}`, {
        details: { requestId, state: request.state, missing: request.requirements.missing },
      });
    }
    predicate = promotionPredicate(ctx, request, gate);
    return {
      type: PROMOTION_RECORD.promotion,
      subject: eventSubjects(request, gate),
      predicate: { ...predicate },
      keys: promotionKeys(requestId, request.candidate),
    };
  });
  return {
    index: entry.index,
    leafHash: entry.leafHash,
    recordedAt: entry.recordedAt,
    predicate: predicate as PromotionPredicate,
  };
}

/** The refusal for a request that already has its event: promoted, or pending (resume it). */
export async function alreadyHasEvent(ctx: PromotionContext, requestId: string): Promise<DocketError> {
  const status = await readPromotion(ctx.approvals.ledger, requestId);
  const index = status.event?.index;
  if (status.state === 'promoted') {
    return new DocketError(
      PromotionErrorCode.AlreadyPromoted,
      `request ${requestId} is already promoted (promotion event at log index ${index})`,
      { details: { requestId, index } },
    );
  }
  // No transition at all: a promotion still moving the registry, or one that stopped; a failed one: resumable.
  const why =
    status.transitions.length === 0
      ? 'no transition is recorded yet (a promotion in progress, or one interrupted)'
      : 'its last registry move failed';
  return new DocketError(
    PromotionErrorCode.Pending,
    `request ${requestId} has its promotion event (log index ${index}) and ${why}: run docket promote --resume ${requestId}`,
    { details: { requestId, index, transitions: status.transitions.length } },
  );
}

// The in-toto subjects: every artefact the event speaks of, by digest (each becomes a lookup key).
function eventSubjects(request: ApprovalRequest, gate: GatePassed): RecordSubject[] {
  return [
    { name: `model:${modelVersionKey(request.candidate)}`, digest: gate.frozen.digest },
    { name: `champion:${modelVersionKey(request.champion)}`, digest: request.champion.artefactDigest },
    ...EVIDENCE_KINDS.map((kind) => ({ name: kind, digest: request.evidence[EVIDENCE_FIELDS[kind]] })),
    { name: 'policy', digest: gate.policy.digest },
  ];
}
