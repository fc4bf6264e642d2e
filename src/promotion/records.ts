import {
  type EntryRef,
  type ModelVersionRef,
  modelKey,
  modelVersionKey,
  type RecordedIdentity,
} from '../approvals/requests/index.js';
import type { Digest } from '../digest/index.js';
import type { EntryKey } from '../ledger/store/index.js';
import type { PromotionTarget } from '../registries/index.js';

/** The record types promotion writes. */
export const PROMOTION_RECORD = Object.freeze({
  promotion: 'promotion',
  transition: 'transition',
} as const);

/** The frozen model version: where it is registered, and the digest docket computed from its bytes. */
export interface FrozenModelVersion extends ModelVersionRef {
  /** The registry's own id (`local`, `mlflow:<tracking uri>`); `registry` is its name in requests. */
  readonly registryId: string;
  /** What was digested: a directory (its canonical manifest's digest) or a single file. */
  readonly artefact: { readonly kind: 'directory' | 'file'; readonly files: number; readonly bytes: number };
}

/** A decision the promotion rests on: a counted approval, by log entry. */
export interface DecisionRef extends EntryRef {
  readonly identity: RecordedIdentity;
  readonly roles: readonly string[];
  readonly dev: boolean;
}

/**
 * `promotion`: the promotion event (DESIGN.md "The promotion event: six references"), written durably before the
 * registry moves and chained into the request's history. See schemas/promotion-event.schema.json.
 */
export interface PromotionPredicate {
  readonly requestId: string;
  readonly class: 1 | 2 | 3;
  /** 1. The frozen model version. */
  readonly model: FrozenModelVersion;
  /** 2. The challenger comparison report and the champion version it compared against. */
  readonly comparison: { readonly reportDigest: Digest; readonly champion: ModelVersionRef };
  /** 3. The approval request's history head when the event was written (its id is `requestId`). */
  readonly requestHead: EntryRef;
  /** 4. Every approver, by issuer and subject. */
  readonly approvers: readonly RecordedIdentity[];
  /** 5. The explanation bundle. */
  readonly explanationDigest: Digest;
  /** 6. The training and evaluation datasets. */
  readonly datasets: { readonly trainingDigest: Digest; readonly evaluationDigest: Digest };
  readonly changeManifestDigest: Digest;
  readonly decisions: readonly DecisionRef[];
  readonly policyDigest: Digest;
  readonly classifierVersion: string;
  /** The alias or stage the promotion moves. */
  readonly target: PromotionTarget;
  /** The version the target pointed at when the event was written (the compared champion), the move's `from`. */
  readonly expectedChampion: string;
  /** `approval`: the completing decision ran the gate; `promote`: the explicit step did. */
  readonly trigger: PromotionTrigger;
  /** True when the request or any approval was made with a dev-identity token. */
  readonly dev: boolean;
  readonly docketVersion: string;
}

/** What ran the gate. */
export type PromotionTrigger = 'approval' | 'promote';

/** Why a transition was attempted. */
export type TransitionReason = 'promotion' | 'resume' | 'reconcile';

/**
 * `applied`: docket moved the target; `applied-observed`: resume found the target already at the version (the move
 * happened, its transition was never recorded) and did not move again; `failed`: the move failed (`error` says how).
 */
export type TransitionOutcome = 'applied' | 'applied-observed' | 'failed';

/** `transition`: the registry was moved, or the move failed. */
export interface TransitionPredicate {
  /** The request whose promotion event this executes. */
  readonly requestId: string;
  readonly reason: TransitionReason;
  readonly outcome: TransitionOutcome;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** The registry's name in requests, and its own id. */
  readonly registry: string;
  readonly registryId: string;
  readonly model: string;
  readonly target: PromotionTarget;
  /** The version the target pointed at before (null: unset). */
  readonly fromVersion: string | null;
  readonly toVersion: string;
  /** The promotion event it executes (for a reconcile: the event that attests `toVersion`). */
  readonly promotion: EntryRef;
  readonly docketVersion: string;
}

/** An entry read back: where it is, and its predicate. */
export interface Recorded<P> {
  readonly index: number;
  readonly leafHash: string;
  readonly recordedAt: string;
  readonly predicate: P;
}

export type RecordedPromotion = Recorded<PromotionPredicate>;
export type RecordedTransition = Recorded<TransitionPredicate>;

/** `alias:<name>` or `stage:<Stage>`, as printed and compared. */
export function targetLabel(target: PromotionTarget): string {
  return target.kind === 'alias' ? `alias:${target.alias}` : `stage:${target.stage}`;
}

/** Whether two targets are the same alias or stage. */
export function sameTarget(a: PromotionTarget, b: PromotionTarget): boolean {
  return targetLabel(a) === targetLabel(b);
}

/** True for the outcomes after which the target is known to point at `toVersion`. */
export function isApplied(outcome: TransitionOutcome): boolean {
  return outcome === 'applied' || outcome === 'applied-observed';
}

/** Lookup keys of promotion records: `promotion=<requestId>` (not for reconcile), `model`, `model-version`. */
export function promotionKeys(
  requestId: string | null,
  ref: { registry: string; model: string; version: string },
): EntryKey[] {
  return [
    ...(requestId === null ? [] : [{ key: 'promotion', value: requestId }]),
    { key: 'model', value: modelKey(ref) },
    { key: 'model-version', value: modelVersionKey(ref) },
  ];
}
