/**
 * Codes for C2SP signed notes (`ERR_NOTE_*`) and tlog checkpoints (`ERR_CHECKPOINT_*`). Callers `switch (err.code)`.
 */
export const NoteErrorCode = {
  /** Not a signed note: bad UTF-8, a control character, no blank line before the signatures, a bad signature line. */
  Malformed: 'ERR_NOTE_MALFORMED',
  /** The note is larger than MAX_NOTE_BYTES. */
  TooLarge: 'ERR_NOTE_TOO_LARGE',
  /** The note has more than MAX_NOTE_SIGNATURES signature lines. */
  TooManySignatures: 'ERR_NOTE_TOO_MANY_SIGNATURES',
  /** A signature by a known key (name and key ID match) does not verify: the note was altered. */
  SignatureInvalid: 'ERR_NOTE_SIGNATURE_INVALID',
  /** No signature by a known key: the note is unsigned, or signed only by keys the caller does not trust. */
  Unverified: 'ERR_NOTE_UNVERIFIED',
  /** Two different verifiers share a name and key ID, so a signature cannot be attributed. */
  VerifierAmbiguous: 'ERR_NOTE_VERIFIER_AMBIGUOUS',
  /** A signer cannot sign: none given, a bad name or key ID, or its signature is not bytes. */
  SignerInvalid: 'ERR_NOTE_SIGNER_INVALID',
  /** Not a C2SP checkpoint: origin, tree size, root hash or an extension line is malformed (`details.field`). */
  CheckpointMalformed: 'ERR_CHECKPOINT_MALFORMED',
  /** The checkpoint's origin is not the expected one, or not the name of the key that signs or verifies it. */
  CheckpointOriginMismatch: 'ERR_CHECKPOINT_ORIGIN_MISMATCH',
} as const;

export type NoteErrorCode = (typeof NoteErrorCode)[keyof typeof NoteErrorCode];
