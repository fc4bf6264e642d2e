import { DocketError } from '../../errors/index.js';
import { type Checkpoint, parseCheckpoint } from '../../ledger/note/index.js';
import { noteText } from './anchor-layout.js';
import { writeDirectoryAnchor } from './directory-anchors.js';
import { AnchorErrorCode } from './errors.js';
import { writeS3Anchor } from './s3-anchors.js';
import { type AnchorTarget, assertAnchorTarget, describeAnchorTarget } from './targets.js';

/** The outcome of anchoring at one target: where, and whether this call wrote it; or why it failed. */
export type AnchorWriteResult =
  | { readonly ok: true; readonly target: string; readonly location: string; readonly created: boolean }
  | { readonly ok: false; readonly target: string; readonly error: DocketError };

/**
 * Writes a signed checkpoint (C2SP signed note, as `Ledger.latestCheckpoint().note`) outside the database, to
 * every target, as `<origin-segment>/<size>.checkpoint`: atomically in a directory, under COMPLIANCE Object Lock
 * retention in S3. An anchor is never overwritten; anchoring the same note again is a no-op (`created: false`).
 * Every target is attempted; each result says how it went, so one unreachable target does not hide the others.
 *
 * @throws DocketError `ERR_ANCHOR_CHECKPOINT_INVALID` when `note` is not a checkpoint note,
 *   `ERR_ANCHOR_TARGET_INVALID` when a target is malformed (before anything is written).
 * @example
 * const results = await anchorCheckpoint((await ledger.latestCheckpoint()).note, [
 *   { kind: 'directory', path: '/mnt/worm/docket' },
 *   { kind: 's3', bucket: 'docket-anchors', retentionDays: 2555 },
 * ]);
 * const failed = results.filter((result) => !result.ok);
 */
export async function anchorCheckpoint(
  note: string,
  targets: readonly AnchorTarget[],
): Promise<AnchorWriteResult[]> {
  const checkpoint = checkpointOfNote(note);
  for (const target of targets) assertAnchorTarget(target);
  const bytes = new TextEncoder().encode(note);
  return Promise.all(
    targets.map(async (target): Promise<AnchorWriteResult> => {
      const name = describeAnchorTarget(target);
      try {
        const { origin, size } = checkpoint;
        const { location, created } =
          target.kind === 'directory'
            ? await writeDirectoryAnchor(target, origin, size, bytes)
            : await writeS3Anchor(target, origin, size, bytes);
        return { ok: true, target: name, location, created };
      } catch (err) {
        if (!(err instanceof DocketError)) throw err;
        return { ok: false, target: name, error: err };
      }
    }),
  );
}

// The note's signature is not checked here (the ledger just signed it; readers check every anchor they read):
// only its shape, for the origin and size that name the anchor.
function checkpointOfNote(note: string): Checkpoint {
  const text = typeof note === 'string' ? noteText(note) : undefined;
  try {
    if (text === undefined) throw new Error('a signed note has a blank line between its text and signatures');
    return parseCheckpoint(text);
  } catch (err) {
    throw new DocketError(
      AnchorErrorCode.CheckpointInvalid,
      `not a signed checkpoint: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
