/** Codes for registering evidence. */
export const EvidenceErrorCode = {
  /** The artefact kind, media type or name is not acceptable. */
  Invalid: 'ERR_EVIDENCE_INVALID',
} as const;

export type EvidenceErrorCode = (typeof EvidenceErrorCode)[keyof typeof EvidenceErrorCode];
