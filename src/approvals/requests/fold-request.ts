import { identityKey } from '../../identity/index.js';
import type { EvidenceKind } from '../policy/index.js';
import {
  type DecisionProblem,
  decisionProblem,
  type RequestState,
  rejectionCloses,
  type ServedView,
} from './decision-rules.js';
import type { RequestHistory } from './history.js';
import type {
  ClassificationPredicate,
  EntryRef,
  EvidenceDigests,
  ModelVersionRef,
  RecordedIdentity,
} from './records.js';
import { type CountedApprover, evaluateRequirements, type RequirementSummary } from './requirements.js';

/** A decision of the request's history and whether it counted. */
export interface DecisionSummary {
  readonly index: number;
  readonly recordedAt: string;
  readonly decision: 'approve' | 'reject';
  readonly identity: RecordedIdentity;
  readonly roles: readonly string[];
  readonly comment: string | null;
  readonly dev: boolean;
  /** False when the rules did not let it count (then `problem` says why). */
  readonly counted: boolean;
  readonly problem?: DecisionProblem['kind'];
  /** True for the rejection that closed the request. */
  readonly closedRequest: boolean;
}

/** A view receipt of the request's history. */
export interface ViewSummary extends ServedView {
  readonly index: number;
  readonly recordedAt: string;
  readonly evidenceKinds: readonly EvidenceKind[];
  readonly dev: boolean;
}

/** An approval request as its own entries say it is now: the one place request state comes from. */
export interface ApprovalRequest {
  readonly id: string;
  readonly state: RequestState;
  readonly openedAt: string;
  readonly expiresAt: string;
  /** When it left `open` (the closing entry's time, or `expiresAt`); null while open. */
  readonly closedAt: string | null;
  readonly candidate: ModelVersionRef;
  readonly champion: ModelVersionRef;
  readonly evidence: EvidenceDigests;
  readonly requester: RecordedIdentity;
  /** True when the request was opened with a dev-identity token. */
  readonly dev: boolean;
  readonly ticket: string | null;
  readonly classification: ClassificationPredicate;
  readonly requirements: RequirementSummary;
  /** True once the approvals the class requires are all present (state `approved`). */
  readonly approvalsComplete: boolean;
  readonly decisions: readonly DecisionSummary[];
  readonly views: readonly ViewSummary[];
  readonly withdrawal: {
    readonly index: number;
    readonly recordedAt: string;
    readonly by: RecordedIdentity;
    readonly reason: string | null;
  } | null;
  /** The last entry of the request: the next entry's `prev`, and the request's head for the promotion event. */
  readonly head: EntryRef;
  readonly entries: readonly { readonly index: number; readonly type: string; readonly recordedAt: string }[];
}

/**
 * Derives a request's state by folding its own entries in order: never stored beside them. A decision counts only
 * if {@link decisionProblem} finds nothing wrong with it at that point of the history; the completing approval
 * makes it `approved`, a counted rejection by a required role `rejected`, the requester's withdrawal `withdrawn`.
 * Entries recorded at or after `expiresAt` find it `expired`, as does `now` past `expiresAt` while still open.
 *
 * @example
 * const request = foldRequest(await readRequestHistory(ledger, id), new Date());
 * request.state; // 'open' | 'approved' | 'rejected' | 'withdrawn' | 'expired'
 */
export function foldRequest(history: RequestHistory, now: Date): ApprovalRequest {
  const { request, classification } = history;
  const required = classification.approvalsRequired;
  const expiresAtMs = Date.parse(request.expiresAt);
  // One mutable cell, so the compiler follows the changes `close` makes inside the loop.
  const status: { state: RequestState; closedAt: string | null } = { state: 'open', closedAt: null };
  const decisions: DecisionSummary[] = [];
  const views: ViewSummary[] = [];
  const approvers: CountedApprover[] = [];
  let withdrawal: ApprovalRequest['withdrawal'] = null;

  const close = (to: RequestState, at: string): void => {
    status.state = to;
    status.closedAt = at;
  };
  for (const entry of history.entries.slice(2)) {
    if (status.state === 'open' && Date.parse(entry.recordedAt) >= expiresAtMs)
      close('expired', request.expiresAt);
    const at = { index: entry.ref.index, recordedAt: entry.recordedAt };
    switch (entry.type) {
      case 'view': {
        const v = entry.record;
        views.push({
          ...at,
          viewer: v.viewer,
          evidenceKinds: v.evidenceKinds,
          artefactDigest: v.artefactDigest,
          servedDigest: v.servedDigest,
          dev: v.dev,
        });
        break;
      }
      case 'decision': {
        const d = entry.record;
        const problem = decisionProblem(
          {
            request,
            required,
            state: status.state,
            priorDeciders: decisions.map((p) => p.identity),
            priorViews: views,
          },
          d,
        );
        const counted = problem === undefined;
        let closedRequest = false;
        if (counted && d.decision === 'approve') {
          approvers.push({ identity: d.identity, roles: d.roles });
          if (evaluateRequirements(required, approvers).complete) close('approved', entry.recordedAt);
        } else if (counted && rejectionCloses(required, d.roles)) {
          close('rejected', entry.recordedAt);
          closedRequest = true;
        }
        decisions.push({
          ...at,
          decision: d.decision,
          identity: d.identity,
          roles: d.roles,
          comment: d.comment,
          dev: d.dev,
          counted,
          ...(problem === undefined ? {} : { problem: problem.kind }),
          closedRequest,
        });
        break;
      }
      case 'withdrawal': {
        const w = entry.record;
        if (status.state === 'open' && identityKey(w.withdrawnBy) === identityKey(request.requester)) {
          close('withdrawn', entry.recordedAt);
          withdrawal = { ...at, by: w.withdrawnBy, reason: w.reason };
        }
        break;
      }
      default:
        break;
    }
  }
  if (status.state === 'open' && now.getTime() >= expiresAtMs) close('expired', request.expiresAt);
  const requirements = evaluateRequirements(required, approvers);
  const [first] = history.entries;
  return {
    id: history.requestId,
    state: status.state,
    openedAt: first?.recordedAt ?? '',
    expiresAt: request.expiresAt,
    closedAt: status.closedAt,
    candidate: request.candidate,
    champion: request.champion,
    evidence: request.evidence,
    requester: request.requester,
    dev: request.dev,
    ticket: request.ticket,
    classification,
    requirements,
    approvalsComplete: status.state === 'approved',
    decisions,
    views,
    withdrawal,
    head: history.head,
    entries: history.entries.map((e) => ({
      index: e.ref.index,
      type: e.type === 'other' ? e.recordType : e.type,
      recordedAt: e.recordedAt,
    })),
  };
}
