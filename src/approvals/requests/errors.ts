/**
 * Stable codes of the errors approval requests throw (open, review, withdraw, read). Every refusal appends nothing.
 * Token problems keep their `ERR_IDENTITY_*` codes, policy problems `ERR_APPROVAL_*` / `ERR_POLICY_*`, a change
 * manifest that fails its schema `ERR_CHANGE_MANIFEST_*`, missing or corrupt bytes `ERR_ARTEFACT_*`.
 *
 * @example
 * switch (err.code) { case RequestErrorCode.EvidenceMissing: return askToUpload(err.details.missing); ... }
 */
export const RequestErrorCode = {
  /** The input is malformed: a model reference, digest, ticket, reason or request id is missing or unusable. */
  Invalid: 'ERR_REQUEST_INVALID',
  /** No request with that id is recorded. */
  NotFound: 'ERR_REQUEST_NOT_FOUND',
  /** An artefact the request references is not in the artefact store; `details.missing` lists `{ field, digest }`. */
  EvidenceMissing: 'ERR_REQUEST_EVIDENCE_MISSING',
  /** The change manifest's bytes are not a single JSON document (bad UTF-8, syntax, duplicate keys, too large). */
  ManifestUnreadable: 'ERR_REQUEST_MANIFEST_UNREADABLE',
  /** The change manifest describes other models or datasets than the request; `details.mismatches` lists them. */
  ManifestMismatch: 'ERR_REQUEST_MANIFEST_MISMATCH',
  /** The request is approved, rejected, withdrawn or expired, so it takes no more views or withdrawals. */
  Closed: 'ERR_REQUEST_CLOSED',
  /** Only the identity that opened a request may withdraw it. */
  NotRequester: 'ERR_REQUEST_NOT_REQUESTER',
  /** The evidence asked for (by kind or digest) is not one of this request's evidence artefacts. */
  EvidenceUnknown: 'ERR_REQUEST_EVIDENCE_UNKNOWN',
  /**
   * The request's entries do not form one hash chain (a `prev` that does not name the previous entry of the same
   * request, a fork, a first entry that is not the request): the ledger or its index was altered.
   */
  HistoryBroken: 'ERR_REQUEST_HISTORY_BROKEN',
  /** An entry of the request's history is not a record docket can read (a field missing or of the wrong type). */
  RecordMalformed: 'ERR_REQUEST_RECORD_MALFORMED',
} as const;

/** One of the {@link RequestErrorCode} codes. */
export type RequestErrorCode = (typeof RequestErrorCode)[keyof typeof RequestErrorCode];
