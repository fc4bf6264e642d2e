/**
 * Stable codes of the errors policy activation and the active-policy lookup throw. The policy's own validation
 * problems keep their `ERR_POLICY_*` codes (see `../policy/errors.ts`).
 *
 * @example
 * if (isDocketError(err, ApprovalPolicyErrorCode.NoPolicy)) tell('run docket policy activate <file> first');
 */
export const ApprovalPolicyErrorCode = {
  /** No policy has been activated in this ledger yet, so nothing can be classified. */
  NoPolicy: 'ERR_APPROVAL_NO_POLICY',
  /**
   * A `policy` record cites bytes that are missing from the artefact store, are not the policy's canonical JSON,
   * no longer validate, or whose digest differs from the one recorded. `details.policyDigest` names it.
   */
  PolicyUnreadable: 'ERR_APPROVAL_POLICY_UNREADABLE',
  /** The activation request is malformed (no activator, an unusable local user name). */
  ActivationInvalid: 'ERR_APPROVAL_ACTIVATION_INVALID',
} as const;

/** One of the {@link ApprovalPolicyErrorCode} codes. */
export type ApprovalPolicyErrorCode = (typeof ApprovalPolicyErrorCode)[keyof typeof ApprovalPolicyErrorCode];
