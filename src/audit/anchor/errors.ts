/**
 * Codes of checkpoint anchoring (`src/audit/anchor/`). Callers `switch (err.code)`; every error carries a
 * `cause` when one exists and `details.target` naming the anchor target.
 *
 * @example
 * for (const result of await anchorCheckpoint(note, targets)) {
 *   if (!result.ok && result.error.code === AnchorErrorCode.Conflict) alertOperator(result.error);
 * }
 */
export const AnchorErrorCode = {
  /** The note handed to `anchorCheckpoint` is not a C2SP checkpoint. */
  CheckpointInvalid: 'ERR_ANCHOR_CHECKPOINT_INVALID',
  /** A target is unusable: unknown kind, relative path, bad bucket, prefix or retention, or no Object Lock. */
  TargetInvalid: 'ERR_ANCHOR_TARGET_INVALID',
  /** The target directory or bucket does not exist (anchors are never written to a mistyped place). */
  TargetMissing: 'ERR_ANCHOR_TARGET_MISSING',
  /**
   * Different bytes are already anchored for this origin and tree size. They are never overwritten: two signed
   * checkpoints of one size that differ are a fork or a rewrite, for a person to look at.
   */
  Conflict: 'ERR_ANCHOR_CONFLICT',
  /** An anchor read back is not a checkpoint signed by the log's key for its origin, or its name lies. */
  Invalid: 'ERR_ANCHOR_INVALID',
  /** The S3 target could not be reached or did not answer in time. */
  Unreachable: 'ERR_ANCHOR_UNREACHABLE',
  /** The S3 target refused the credentials or the operation. */
  AccessDenied: 'ERR_ANCHOR_ACCESS_DENIED',
  /** Reading or writing the target failed otherwise (filesystem error, S3 error); `cause` says how. */
  Io: 'ERR_ANCHOR_IO',
} as const;

/** One of the codes in {@link AnchorErrorCode}. */
export type AnchorErrorCode = (typeof AnchorErrorCode)[keyof typeof AnchorErrorCode];
