/**
 * Stable codes of the errors `decide` throws: each a rule of the approval policy, refused before anything is
 * appended. Token problems keep their `ERR_IDENTITY_*` codes; an unknown request is `ERR_REQUEST_NOT_FOUND`.
 *
 * @example
 * if (isDocketError(err, DecisionErrorCode.ViewMissing)) openEvidence(err.details.missing);
 */
export const DecisionErrorCode = {
  /** The decision input is malformed: not approve or reject, a malformed digest, an unknown field, a bad comment. */
  Invalid: 'ERR_DECISION_INVALID',
  /** The request is approved, rejected, withdrawn or expired: it takes no more decisions (`details.state`). */
  RequestClosed: 'ERR_DECISION_REQUEST_CLOSED',
  /** The identity deciding opened the request: a requester never approves (or rejects) their own request. */
  OwnRequest: 'ERR_DECISION_OWN_REQUEST',
  /** The identity has already decided on this request: one identity counts once. */
  AlreadyDecided: 'ERR_DECISION_ALREADY_DECIDED',
  /** The identity's groups map to no docket role under the request's policy, so it cannot approve. */
  NoRole: 'ERR_DECISION_NO_ROLE',
  /** The evidence digests displayed to the reviewer differ from the request's (`details.differing`). */
  StaleEvidence: 'ERR_DECISION_STALE_EVIDENCE',
  /** The reviewer was not served every evidence artefact the class requires before deciding (`details.missing`). */
  ViewMissing: 'ERR_DECISION_VIEW_MISSING',
} as const;

/** One of the {@link DecisionErrorCode} codes. */
export type DecisionErrorCode = (typeof DecisionErrorCode)[keyof typeof DecisionErrorCode];
