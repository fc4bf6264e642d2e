export type { AttestedTarget, LedgerTargets, PendingPromotion } from './attested-targets.js';
export { readLedgerTargets, targetKey } from './attested-targets.js';
export type { PromotionContext } from './context.js';
export { DEFAULT_PROMOTION_TARGET } from './context.js';
export type { DecideAndPromoteOutcome, DecisionPromotion } from './decide-and-promote.js';
export { decideAndPromote } from './decide-and-promote.js';
export type { DeploymentQuery, DeploymentVerdict } from './deployment-gate.js';
export { checkDeployment } from './deployment-gate.js';
export { PromotionErrorCode } from './errors.js';
export { PROMOTION_EVENT_SCHEMA_FILE, promotionEventProblems, promotionEventSchema } from './event-schema.js';
export type {
  MlflowWebhookDelivery,
  MlflowWebhookEvent,
  VerifyMlflowWebhookOptions,
} from './mlflow-webhook.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  MLFLOW_WEBHOOK_HEADERS,
  parseMlflowWebhookEvent,
  verifyMlflowWebhook,
} from './mlflow-webhook.js';
export type { PromoteOptions, PromotionOutcome } from './promote.js';
export { promote, runGate } from './promote.js';
export type { PromotionState, PromotionStatus } from './promotion-state.js';
export { readPromotion } from './promotion-state.js';
export { readPromotionEntry, readTransitionEntry } from './read-records.js';
export type { ReconcileFinding, ReconcileOptions, ReconcileReport } from './reconcile.js';
export { reconcile } from './reconcile.js';
export type {
  DecisionRef,
  FrozenModelVersion,
  PromotionPredicate,
  PromotionTrigger,
  Recorded,
  RecordedPromotion,
  RecordedTransition,
  TransitionOutcome,
  TransitionPredicate,
  TransitionReason,
} from './records.js';
export { isApplied, PROMOTION_RECORD, targetLabel } from './records.js';
