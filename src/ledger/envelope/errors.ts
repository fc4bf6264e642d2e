/**
 * Codes for DSSE envelopes (`ERR_ENVELOPE_*`) and the in-toto Statements they carry (`ERR_STATEMENT_*`).
 * Callers `switch (err.code)`.
 */
export const EnvelopeErrorCode = {
  /** Not a docket DSSE envelope: bad JSON, a missing, extra or mistyped field, non-canonical base64. */
  Malformed: 'ERR_ENVELOPE_MALFORMED',
  /** The envelope is larger than MAX_ENVELOPE_BYTES. */
  TooLarge: 'ERR_ENVELOPE_TOO_LARGE',
  /** No signature verifies under a known key: the envelope was altered or signed by a key the caller does not trust. */
  Unverified: 'ERR_ENVELOPE_UNVERIFIED',
  /** The envelope verifies but carries another payload type than the one expected. */
  PayloadType: 'ERR_ENVELOPE_PAYLOAD_TYPE',
  /** A signer cannot sign: a bad key ID, or its signature is not bytes. */
  SignerInvalid: 'ERR_ENVELOPE_SIGNER_INVALID',
  /** Not an in-toto Statement v1 docket accepts: `_type`, subject, digest, predicateType or predicate is wrong. */
  StatementMalformed: 'ERR_STATEMENT_MALFORMED',
  /** The statement payload is larger than MAX_STATEMENT_BYTES. */
  StatementTooLarge: 'ERR_STATEMENT_TOO_LARGE',
} as const;

export type EnvelopeErrorCode = (typeof EnvelopeErrorCode)[keyof typeof EnvelopeErrorCode];
