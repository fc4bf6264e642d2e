import type {
  CommitteeRule,
  EvidenceKind,
  MaterialityClass,
  SeparationOfDuties,
  Sha256Digest,
} from '../policy/index.js';

/** The rules a reason can cite, in the order the classifier evaluates them. Part of the record: never rename one. */
export const CLASSIFICATION_RULES = Object.freeze([
  'feature-set-changed',
  'objective-changed',
  'data-source-added',
  'population-changed',
  'metric-adverse-change',
  'metric-absolute-change',
  'feature-psi-exceeded',
  'score-psi-exceeded',
  'evidence-missing',
  'evidence-unparseable',
  'within-envelope',
] as const);

/** A rule a classification reason cites. */
export type ClassificationRule = (typeof CLASSIFICATION_RULES)[number];

/** What a rule observed: JSON data, so a classification record canonicalizes (never NaN or undefined). */
export type Observed = null | number | string | readonly string[] | { readonly [key: string]: Observed };

/**
 * Why the classifier chose (at least) `class`. `subject` names the metric, feature or field the rule looked at
 * (for evidence reasons, a JSON pointer into the manifest); `threshold` is the policy limit it was held to.
 */
export interface ClassificationReason {
  readonly rule: ClassificationRule;
  readonly class: MaterialityClass;
  readonly subject?: string;
  readonly observed: Observed;
  readonly threshold?: number;
  readonly message: string;
}

/** Who must approve, copied from the policy rule of the assigned class. */
export interface ApprovalsRequired {
  readonly approvers: number;
  readonly requiredRoles: Readonly<Record<string, number>>;
  readonly committee?: CommitteeRule;
  readonly evidence: readonly EvidenceKind[];
  readonly separationOfDuties: SeparationOfDuties;
}

/** The classifier's verdict, as the classification record holds it. Deeply frozen. */
export interface Classification {
  /** The highest class any reason calls for. */
  readonly class: MaterialityClass;
  /** Every reason, in rule order ({@link CLASSIFICATION_RULES}) then by subject; never empty. */
  readonly reasons: readonly ClassificationReason[];
  readonly approvalsRequired: ApprovalsRequired;
  /** Digest of the policy the classifier actually used (computed from it, not taken on trust). */
  readonly policyDigest: Sha256Digest;
  readonly classifierVersion: string;
}
