export { MAX_REQUEST_EXPIRY_MS, MIN_REQUEST_EXPIRY_MS, requestExpiryMs } from './duration.js';
export type { PolicyErrorCode, PolicyIssue } from './errors.js';
export { POLICY_ERRORS } from './errors.js';
export type { LoadPolicyOptions } from './load-policy.js';
export { loadPolicy, MAX_POLICY_TEXT_LENGTH } from './load-policy.js';
export { digestPolicy } from './policy-digest.js';
export { rolesForGroups } from './roles-for-groups.js';
export type { Sha256Digest } from './sha256-digest.js';
export { isSha256Digest } from './sha256-digest.js';
export type {
  ClassApprovalRule,
  CommitteeRule,
  DriftEnvelope,
  EvidenceKind,
  IdentityMapping,
  LoadedPolicy,
  MaterialityClass,
  MetricDirection,
  MetricEnvelope,
  Policy,
  PopulationRule,
  PromotionMode,
  PsiEnvelope,
  SeparationOfDuties,
} from './types.js';
export { MATERIALITY_CLASSES } from './types.js';
export type { ValidatePolicyOptions } from './validate-policy.js';
export { validatePolicy } from './validate-policy.js';
