import type { Digest } from '../../digest/index.js';
import type { TokenEvidence, VerifiedIdentity } from '../../identity/index.js';
import type { ApprovalsRequired, ClassificationReason } from '../classifier/index.js';
import type { EvidenceKind, MaterialityClass } from '../policy/index.js';

/** A model version in a registry, with the content digest docket computed from its bytes. */
export interface ModelVersionRef {
  /** Registry id, e.g. `local` or `mlflow-prod`. */
  readonly registry: string;
  readonly model: string;
  readonly version: string;
  readonly artefactDigest: Digest;
}

/** The evidence a request is decided on, by digest. */
export interface EvidenceDigests {
  readonly comparison: Digest;
  readonly explanation: Digest;
  readonly trainingDataset: Digest;
  readonly evaluationDataset: Digest;
  readonly changeManifest: Digest;
}

/** A model version reference as callers give it: the digest is a plain string, checked on the way in. */
export type ModelVersionInput = Omit<ModelVersionRef, 'artefactDigest'> & { readonly artefactDigest: string };

/** Evidence digests as callers give them (plain strings, checked on the way in). */
export type EvidenceDigestsInput = { readonly [K in keyof EvidenceDigests]: string };

/** Field of {@link EvidenceDigests} for each evidence kind a policy can require a view of. */
export const EVIDENCE_FIELDS: Readonly<Record<EvidenceKind, keyof EvidenceDigests>> = Object.freeze({
  comparison: 'comparison',
  explanation: 'explanation',
  'training-dataset': 'trainingDataset',
  'evaluation-dataset': 'evaluationDataset',
  'change-manifest': 'changeManifest',
});

/** The evidence kinds, in the order records and output list them. */
export const EVIDENCE_KINDS: readonly EvidenceKind[] = Object.freeze(
  Object.keys(EVIDENCE_FIELDS) as EvidenceKind[],
);

/** An identity as records hold it: issuer and subject, never a display name. */
export interface RecordedIdentity {
  readonly issuer: string;
  readonly subject: string;
}

/** A log entry named by index and leaf hash (base64), as `prev` and request heads are. */
export interface EntryRef {
  readonly index: number;
  readonly leafHash: string;
}

/** The record types of a request's history. */
export const REQUEST_RECORD = Object.freeze({
  request: 'request',
  classification: 'classification',
  view: 'view',
  decision: 'decision',
  withdrawal: 'withdrawal',
} as const);

/** `request`: a promotion request was opened. */
export interface RequestPredicate {
  readonly requestId: string;
  readonly candidate: ModelVersionRef;
  readonly champion: ModelVersionRef;
  readonly evidence: EvidenceDigests;
  readonly requester: RecordedIdentity;
  readonly requesterToken: TokenEvidence;
  /** True when the requester authenticated with a dev-identity token. */
  readonly dev: boolean;
  /** An external ticket reference (Jira, ServiceNow), as information only. */
  readonly ticket: string | null;
  /** When the request lapses unless closed before (the policy's `requests.expiresAfter` from opening). */
  readonly expiresAt: string;
}

/** `classification`: the classifier ran on the request's change manifest with the active policy. */
export interface ClassificationPredicate {
  readonly requestId: string;
  readonly class: MaterialityClass;
  readonly reasons: readonly ClassificationReason[];
  readonly policyDigest: Digest;
  readonly classifierVersion: string;
  readonly approvalsRequired: ApprovalsRequired;
}

/** `view`: a reviewer was served an evidence artefact of the request. */
export interface ViewPredicate {
  readonly requestId: string;
  readonly viewer: RecordedIdentity;
  /** The request's evidence kinds this artefact is (one digest may serve as two kinds). */
  readonly evidenceKinds: readonly EvidenceKind[];
  readonly artefactDigest: Digest;
  /** Digest of the bytes actually served, hashed as they were delivered. */
  readonly servedDigest: Digest;
  readonly servedSize: number;
  readonly token: TokenEvidence;
  readonly dev: boolean;
}

/** `decision`: a reviewer approved or rejected. */
export interface DecisionPredicate {
  readonly requestId: string;
  readonly decision: 'approve' | 'reject';
  readonly identity: RecordedIdentity;
  /** The docket roles the identity held at that moment, under the policy the request was classified with. */
  readonly roles: readonly string[];
  /** The identity's groups that the policy maps to roles (the ones that made `roles`). */
  readonly groups: readonly string[];
  readonly policyDigest: Digest;
  /** The evidence digests as displayed to the reviewer when they decided. */
  readonly evidence: EvidenceDigests;
  readonly comment: string | null;
  readonly token: TokenEvidence;
  /** True when made with a dev-identity token. */
  readonly dev: boolean;
}

/** `withdrawal`: the requester withdrew the request. */
export interface WithdrawalPredicate {
  readonly requestId: string;
  readonly withdrawnBy: RecordedIdentity;
  readonly reason: string | null;
  readonly token: TokenEvidence;
  readonly dev: boolean;
}

/** The identity part of a verified token, as records hold it. */
export function recordedIdentity(who: RecordedIdentity): RecordedIdentity {
  return { issuer: who.issuer, subject: who.subject };
}

/** Token evidence as JSON data (an absent `jti` is left out, never `undefined`). Never the token itself. */
export function tokenRecord(who: VerifiedIdentity): TokenEvidence {
  const e = who.tokenEvidence;
  return {
    alg: e.alg,
    kid: e.kid,
    iss: e.iss,
    sub: e.sub,
    aud: typeof e.aud === 'string' ? e.aud : [...e.aud],
    iat: e.iat,
    exp: e.exp,
    ...(e.jti === undefined ? {} : { jti: e.jti }),
    tokenDigest: e.tokenDigest,
    dev: e.dev,
  };
}

/** Lookup key values: `model` is `registry/model`, `model-version` is `registry/model@version`. */
export function modelKey(ref: Pick<ModelVersionRef, 'registry' | 'model'>): string {
  return `${ref.registry}/${ref.model}`;
}

export function modelVersionKey(ref: Pick<ModelVersionRef, 'registry' | 'model' | 'version'>): string {
  return `${ref.registry}/${ref.model}@${ref.version}`;
}
