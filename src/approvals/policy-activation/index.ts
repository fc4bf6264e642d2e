export type {
  ActivateAs,
  ActivatedPolicy,
  ActivatePolicyInput,
  PolicyActivationContext,
} from './activate-policy.js';
export { activatePolicy } from './activate-policy.js';
export type { ActivePolicy } from './active-policy.js';
export { latestPolicyIndex, MAX_POLICY_BYTES, readActivePolicy, readPolicy } from './active-policy.js';
export { ApprovalPolicyErrorCode } from './errors.js';
export type { PolicyActivator, PolicyPredicate } from './policy-record.js';
export { POLICY_RECORD_TYPE, readPolicyPredicate } from './policy-record.js';
