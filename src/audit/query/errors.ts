/**
 * Codes of the audit query (`src/audit/query/`, `docket audit`). A broken reference is not an error: it is a
 * verdict in the report (exit 1). Only a question that cannot be answered at all is refused with a code.
 *
 * @example
 * if (isDocketError(err, AuditQueryErrorCode.NoEvent)) console.log('never promoted');
 */
export const AuditQueryErrorCode = {
  /** The ledger holds no promotion event for this model version (lookup key `model-version`); `details.key` names it. */
  NoEvent: 'ERR_AUDIT_NO_EVENT',
} as const;

/** One of the {@link AuditQueryErrorCode} codes. */
export type AuditQueryErrorCode = (typeof AuditQueryErrorCode)[keyof typeof AuditQueryErrorCode];
