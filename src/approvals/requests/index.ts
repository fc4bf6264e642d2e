export type { RequestRecordDraft } from './append-to-request.js';
export { appendToRequest } from './append-to-request.js';
export { MAX_CHANGE_MANIFEST_BYTES } from './change-manifest-evidence.js';
export type { ApprovalsContext } from './context.js';
export { nowOf } from './context.js';
export type {
  DecisionCandidate,
  DecisionProblem,
  DecisionSituation,
  RequestState,
  ServedView,
} from './decision-rules.js';
export { decisionProblem, missingViews, REQUEST_STATES, rejectionCloses } from './decision-rules.js';
export { RequestErrorCode } from './errors.js';
export type { ApprovalRequest, DecisionSummary, ViewSummary } from './fold-request.js';
export { foldRequest } from './fold-request.js';
export type { RequestEntry, RequestHistory } from './history.js';
export { readRequestHistory } from './history.js';
export type { OpenRequestInput } from './open-request.js';
export { openRequest } from './open-request.js';
export type { AwaitingApprover, ListedRequest, RequestQuery } from './query-requests.js';
export { getRequest, listRequests } from './query-requests.js';
export type {
  ClassificationPredicate,
  DecisionPredicate,
  EntryRef,
  EvidenceDigests,
  EvidenceDigestsInput,
  ModelVersionInput,
  ModelVersionRef,
  RecordedIdentity,
  RequestPredicate,
  ViewPredicate,
  WithdrawalPredicate,
} from './records.js';
export {
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  modelKey,
  modelVersionKey,
  REQUEST_RECORD,
  recordedIdentity,
  tokenRecord,
} from './records.js';
export { parseEvidenceDigests, parseRequestId, parseText } from './request-input.js';
export type { CountedApprover, RequirementSummary } from './requirements.js';
export { evaluateRequirements } from './requirements.js';
export type { ViewEvidenceInput, ViewReceipt } from './view-evidence.js';
export {
  assertOpen,
  MAX_VIEW_BYTES,
  resolveEvidence,
  viewEvidence,
  viewEvidenceToFile,
} from './view-evidence.js';
export type { WithdrawRequestInput } from './withdraw-request.js';
export { withdrawRequest } from './withdraw-request.js';
