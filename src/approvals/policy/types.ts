import type { Sha256Digest } from './sha256-digest.js';

/** Materiality class: 1 = within the envelope, 2 = population shift or drift outside it, 3 = structural change. */
export type MaterialityClass = 1 | 2 | 3;

/** The materiality classes, lowest first. */
export const MATERIALITY_CLASSES: readonly MaterialityClass[] = Object.freeze([1, 2, 3]);

/** An evidence view an approver must open before their decision counts. */
export type EvidenceKind =
  | 'comparison'
  | 'explanation'
  | 'training-dataset'
  | 'evaluation-dataset'
  | 'change-manifest';

/** A committee decision: at least `quorum` approvers must hold `role`; `size` when the membership is fixed. */
export interface CommitteeRule {
  readonly role: string;
  readonly quorum: number;
  readonly size?: number;
}

/** Who must approve a request of one class. */
export interface ClassApprovalRule {
  /** Distinct approving identities required (the requester never counts). */
  readonly approvers: number;
  /** Docket role -> minimum number of approvers holding it. */
  readonly requiredRoles: Readonly<Record<string, number>>;
  readonly committee?: CommitteeRule;
  /** Evidence each approver must have opened before their decision counts. */
  readonly evidence: readonly EvidenceKind[];
}

/** Which way a metric improves. */
export type MetricDirection = 'higher-is-better' | 'lower-is-better';

/** How far one metric may move from champion to challenger (in the metric's units). */
export interface MetricEnvelope {
  readonly direction: MetricDirection;
  readonly maxAdverseChange: number;
  readonly maxAbsoluteChange?: number;
}

/** PSI limits: `features` overrides `featureMax` per feature. Exactly at a limit is within. */
export interface PsiEnvelope {
  readonly featureMax: number;
  readonly features: Readonly<Record<string, number>>;
  readonly scoreMax: number;
}

/** The agreed drift envelope. */
export interface DriftEnvelope {
  readonly metrics: Readonly<Record<string, MetricEnvelope>>;
  readonly psi: PsiEnvelope;
}

/** Inputs of the population-shift rule. */
export interface PopulationRule {
  readonly definition: 'exact' | 'collapse-whitespace';
  readonly segments: 'compare' | 'ignore';
}

/** Identity-provider claim -> docket roles. */
export interface IdentityMapping {
  /** Claim naming the identity's groups or roles, e.g. `groups`. */
  readonly claim: string;
  /** Claim value -> docket roles it grants. */
  readonly mapping: Readonly<Record<string, readonly string[]>>;
}

/** Separation of duties. The first two are fixed; they are stated so that the policy record says so. */
export interface SeparationOfDuties {
  readonly requesterMayApprove: false;
  readonly identityCountsOnce: true;
  /** An approver fills at most one required slot (one role minimum or the committee quorum). */
  readonly oneSlotPerApprover: boolean;
}

/** `on-approval`: the completing decision promotes at once; `explicit`: a separate promote step. */
export type PromotionMode = 'on-approval' | 'explicit';

/**
 * A validated approval policy with every default filled in (see schemas/policy.schema.json), deeply frozen.
 * Obtain one from {@link loadPolicy} or {@link validatePolicy}; never build one by hand for production use.
 */
export interface Policy {
  readonly formatVersion: 1;
  readonly name: string;
  readonly description?: string;
  readonly identity: IdentityMapping;
  readonly classes: Readonly<Record<MaterialityClass, ClassApprovalRule>>;
  readonly drift: DriftEnvelope;
  readonly population: PopulationRule;
  readonly separationOfDuties: SeparationOfDuties;
  readonly promotion: { readonly mode: PromotionMode };
  readonly requests: { readonly expiresAfter: string };
}

/** A policy and the digest that every classification made with it cites. */
export interface LoadedPolicy {
  readonly policy: Policy;
  /** sha256 of the RFC 8785 canonical JSON of `policy`. */
  readonly digest: Sha256Digest;
}
