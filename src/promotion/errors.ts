/**
 * Stable codes of the errors the promotion gate, resume, reconcile and the deployment gate throw. Every refusal is
 * thrown before anything is appended or moved. Registry failures keep their `ERR_REGISTRY_*` codes (an unreachable
 * registry before the event write is `ERR_REGISTRY_UNREACHABLE`, nothing written); request problems keep their
 * `ERR_REQUEST_*` codes, an unreadable policy `ERR_APPROVAL_POLICY_UNREADABLE`.
 *
 * @example
 * switch (err.code) {
 *   case PromotionErrorCode.ChampionMoved: return askForNewComparison(err.details);
 *   case PromotionErrorCode.Pending: return promote(ctx, requestId, { resume: true });
 * }
 */
export const PromotionErrorCode = {
  /** The input is malformed: a request id, model name, version or target that cannot be used. */
  Invalid: 'ERR_PROMOTION_INVALID',
  /** The request is not approved (open, rejected, withdrawn or expired); `details.state` says which. */
  NotApproved: 'ERR_PROMOTION_NOT_APPROVED',
  /**
   * Re-evaluated under the policy the request was classified with (re-read from the store), the approvals do not
   * satisfy the class: the recorded requirement differs from the policy's, or the roles re-derived from the
   * approvers' recorded groups fall short. `details.missing` lists what is missing.
   */
  ApprovalsInsufficient: 'ERR_PROMOTION_APPROVALS_INSUFFICIENT',
  /** The request's candidate is in another registry than the one configured (`details.request`, `details.configured`). */
  RegistryMismatch: 'ERR_PROMOTION_REGISTRY_MISMATCH',
  /** An evidence artefact of the request is no longer in the artefact store; `details.missing` lists `{ field, digest }`. */
  EvidenceMissing: 'ERR_PROMOTION_EVIDENCE_MISSING',
  /** An evidence artefact's stored bytes no longer hash to its digest; `details.changed` lists `{ field, digest }`. */
  EvidenceChanged: 'ERR_PROMOTION_EVIDENCE_CHANGED',
  /**
   * The candidate's bytes, fetched from the registry and digested by docket, differ from the artefact digest the
   * request was approved on (`details.expected`, `details.actual`).
   */
  ArtefactMismatch: 'ERR_PROMOTION_ARTEFACT_MISMATCH',
  /** The registry reports the candidate version as still registering or failed, so it has no complete artefact. */
  CandidateNotReady: 'ERR_PROMOTION_CANDIDATE_NOT_READY',
  /**
   * The promotion target no longer points at the champion the comparison was made against (`details.expected`,
   * `details.actual`): a new comparison, and a new request, are required.
   */
  ChampionMoved: 'ERR_PROMOTION_CHAMPION_MOVED',
  /** The request already has its promotion event and an applied transition: one request promotes once. */
  AlreadyPromoted: 'ERR_PROMOTION_ALREADY_PROMOTED',
  /** The request's promotion event is written and its transition pending: complete it with `promote --resume`. */
  Pending: 'ERR_PROMOTION_PENDING',
  /** `--resume` on a request that has no promotion event: there is nothing to resume (promote it instead). */
  NotPending: 'ERR_PROMOTION_NOT_PENDING',
  /** A `promotion` or `transition` entry is not a record docket can read (schema or field check failed). */
  RecordMalformed: 'ERR_PROMOTION_RECORD_MALFORMED',
  /**
   * Recorded in a failed `transition` when the registry move failed with an error that carries no `ERR_REGISTRY_*`
   * code (a bug or an environment problem); the transition's `error.message` says what.
   */
  MoveFailed: 'ERR_PROMOTION_MOVE_FAILED',
  /** An MLflow webhook's `X-MLflow-Signature` is missing, malformed, or not the HMAC of the delivery with the secret. */
  WebhookSignatureInvalid: 'ERR_PROMOTION_WEBHOOK_SIGNATURE_INVALID',
  /** An MLflow webhook's `X-MLflow-Timestamp` is missing, malformed, or outside the tolerance (a replay or a skewed clock). */
  WebhookTimestampInvalid: 'ERR_PROMOTION_WEBHOOK_TIMESTAMP_INVALID',
} as const;

/** One of the {@link PromotionErrorCode} codes. */
export type PromotionErrorCode = (typeof PromotionErrorCode)[keyof typeof PromotionErrorCode];
