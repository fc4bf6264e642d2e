import { identityKey } from '../../identity/index.js';
import type { ApprovalsRequired } from '../classifier/index.js';
import type { EvidenceKind } from '../policy/index.js';
import {
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type EvidenceDigests,
  type RecordedIdentity,
  type RequestPredicate,
} from './records.js';

/** The states of a request. Every state but `open` is closed: it takes no more decisions, views or withdrawals. */
export type RequestState = 'open' | 'approved' | 'rejected' | 'withdrawn' | 'expired';

/** Every request state, `open` first. */
export const REQUEST_STATES: readonly RequestState[] = Object.freeze([
  'open',
  'approved',
  'rejected',
  'withdrawn',
  'expired',
]);

/** A view as the rules see it: who was served which bytes of which artefact. */
export interface ServedView {
  readonly viewer: RecordedIdentity;
  readonly artefactDigest: string;
  readonly servedDigest: string;
}

/** A decision someone wants to make (or made): who, with which roles, on which evidence as displayed. */
export interface DecisionCandidate {
  readonly identity: RecordedIdentity;
  readonly roles: readonly string[];
  readonly evidence: EvidenceDigests;
}

/** Why a decision does not count (and is refused when it is being made). */
export type DecisionProblem =
  | { readonly kind: 'closed'; readonly state: RequestState; readonly message: string }
  | { readonly kind: 'own-request'; readonly message: string }
  | { readonly kind: 'already-decided'; readonly message: string }
  | { readonly kind: 'no-role'; readonly message: string }
  | {
      readonly kind: 'stale-evidence';
      readonly message: string;
      readonly differing: readonly { field: keyof EvidenceDigests; displayed: string; requested: string }[];
    }
  | { readonly kind: 'views-missing'; readonly message: string; readonly missing: readonly EvidenceKind[] };

/** What the rules look at: the request, its requirements and state, and what happened before the decision. */
export interface DecisionSituation {
  readonly request: Pick<RequestPredicate, 'requestId' | 'requester' | 'evidence'>;
  readonly required: ApprovalsRequired;
  readonly state: RequestState;
  readonly priorDeciders: readonly RecordedIdentity[];
  readonly priorViews: readonly ServedView[];
}

/**
 * The rules a decision must satisfy to count, checked in this order: the request is open; the decider is not the
 * requester (separationOfDuties.requesterMayApprove is always false); the identity has not decided already (one
 * identity counts once); it holds at least one docket role under the request's policy; the evidence digests as
 * displayed equal the request's; and it was served every evidence artefact the class requires, before deciding.
 * The same function decides what the fold counts and what `decide` refuses, so the two cannot disagree.
 */
export function decisionProblem(
  situation: DecisionSituation,
  candidate: DecisionCandidate,
): DecisionProblem | undefined {
  const { request, required, state } = situation;
  const who = identityKey(candidate.identity);
  if (state !== 'open') {
    return {
      kind: 'closed',
      state,
      message: `request ${request.requestId} is ${state}: it takes no more decisions`,
    };
  }
  if (identityKey(request.requester) === who) {
    return {
      kind: 'own-request',
      message: `${candidate.identity.subject} opened request ${request.requestId} and cannot decide on it (withdraw it instead)`,
    };
  }
  if (situation.priorDeciders.some((d) => identityKey(d) === who)) {
    return {
      kind: 'already-decided',
      message: `${candidate.identity.subject} has already decided on request ${request.requestId}; an identity counts once`,
    };
  }
  if (candidate.roles.length === 0) {
    return {
      kind: 'no-role',
      message: `${candidate.identity.subject} holds no docket role under the request's policy (their groups map to none)`,
    };
  }
  const differing = EVIDENCE_KINDS.map((kind) => EVIDENCE_FIELDS[kind])
    .filter((field) => candidate.evidence[field] !== request.evidence[field])
    .map((field) => ({ field, displayed: candidate.evidence[field], requested: request.evidence[field] }));
  if (differing.length > 0) {
    return {
      kind: 'stale-evidence',
      differing,
      message: `the evidence displayed differs from request ${request.requestId}'s: ${differing
        .map((d) => `${d.field} ${d.displayed} is not ${d.requested}`)
        .join('; ')}`,
    };
  }
  const missing = missingViews(request.evidence, required, situation.priorViews, candidate.identity);
  if (missing.length > 0) {
    return {
      kind: 'views-missing',
      missing,
      message: `${candidate.identity.subject} must review ${missing.join(', ')} of request ${request.requestId} before deciding`,
    };
  }
  return undefined;
}

/** The evidence kinds the class requires that `viewer` has not been served (exact bytes) yet. */
export function missingViews(
  evidence: EvidenceDigests,
  required: ApprovalsRequired,
  priorViews: readonly ServedView[],
  viewer: RecordedIdentity,
): EvidenceKind[] {
  const who = identityKey(viewer);
  return required.evidence.filter((kind) => {
    const digest = evidence[EVIDENCE_FIELDS[kind]];
    return !priorViews.some(
      (v) => identityKey(v.viewer) === who && v.artefactDigest === digest && v.servedDigest === digest,
    );
  });
}

/**
 * "A rejection by a required role rejects": a counted rejection closes the request when the rejecter holds a role
 * the class requires (a role minimum or the committee role), or when the class names no role at all (then every
 * approver is required). Other rejections are recorded as dissent and the request stays open.
 */
export function rejectionCloses(required: ApprovalsRequired, roles: readonly string[]): boolean {
  const requiredRoles = new Set(Object.keys(required.requiredRoles));
  if (required.committee !== undefined) requiredRoles.add(required.committee.role);
  return requiredRoles.size === 0 || roles.some((role) => requiredRoles.has(role));
}
