import { DocketError } from '../../errors/index.js';
import type { Verifier } from '../../keys/index.js';
import { type Checkpoint, openCheckpoint } from '../../ledger/note/index.js';
import { readDirectoryAnchors } from './directory-anchors.js';
import { AnchorErrorCode } from './errors.js';
import type { RawAnchor } from './raw-anchor.js';
import { readS3Anchors } from './s3-anchors.js';
import { type AnchorTarget, assertAnchorTarget, describeAnchorTarget } from './targets.js';

/** A checkpoint read back from an anchor target and verified: signed by the log's key, for its origin. */
export interface Anchor {
  /** `dir:/path` or `s3://bucket/prefix/`. */
  readonly target: string;
  /** The file path, or `s3://bucket/key?versionId=…`. */
  readonly location: string;
  /** The signed note as anchored. */
  readonly note: string;
  readonly checkpoint: Checkpoint;
}

/** Something at an anchor's name that is not a valid anchor (unreadable, unsigned, wrong origin or size). */
export interface RejectedAnchor {
  readonly target: string;
  readonly location: string;
  readonly error: DocketError;
}

/** Everything found at the targets for one log. */
export interface AnchorListing {
  /** Sorted by tree size, then location. */
  readonly anchors: readonly Anchor[];
  readonly rejected: readonly RejectedAnchor[];
}

/** The log whose anchors are read: its origin and the keys its checkpoints verify with (a `Ledger` is one). */
export interface AnchoredLog {
  readonly origin: string;
  readonly verifiers: readonly Verifier[];
}

/**
 * Reads back every anchor of `log.origin` from every target, treating each as hostile input: at most
 * MAX_NOTE_BYTES, a C2SP signed note carrying a valid signature by a key named after the origin, a checkpoint of
 * that origin, of the size its name says. Anchors failing that are `rejected` (not evidence either way: report
 * them). In S3 every version is read, so an anchor stays visible under a later version or a delete marker.
 *
 * @throws DocketError `ERR_ANCHOR_TARGET_MISSING`, `ERR_ANCHOR_TARGET_INVALID`, `ERR_ANCHOR_UNREACHABLE`,
 *   `ERR_ANCHOR_ACCESS_DENIED`, `ERR_ANCHOR_IO` when a target cannot be read as a whole: verification against
 *   anchors that cannot be read must not pass quietly.
 * @example
 * const { anchors, rejected } = await listAnchors(targets, ledger);
 * const report = await verifyAgainstAnchors(ledger, anchors);
 */
export async function listAnchors(
  targets: readonly AnchorTarget[],
  log: AnchoredLog,
): Promise<AnchorListing> {
  for (const target of targets) assertAnchorTarget(target);
  const anchors: Anchor[] = [];
  const rejected: RejectedAnchor[] = [];
  for (const target of targets) {
    const name = describeAnchorTarget(target);
    const raw =
      target.kind === 'directory'
        ? await readDirectoryAnchors(target, log.origin)
        : await readS3Anchors(target, log.origin);
    for (const found of raw) {
      const outcome = validate(found, log);
      if ('error' in outcome) rejected.push({ target: name, location: found.location, error: outcome.error });
      else anchors.push({ target: name, location: found.location, ...outcome });
    }
  }
  anchors.sort((a, b) => a.checkpoint.size - b.checkpoint.size || a.location.localeCompare(b.location));
  return { anchors, rejected };
}

function validate(
  found: RawAnchor,
  log: AnchoredLog,
): { note: string; checkpoint: Checkpoint } | { error: DocketError } {
  if ('error' in found) return { error: found.error };
  const invalid = (message: string, cause?: unknown): { error: DocketError } => ({
    error: new DocketError(AnchorErrorCode.Invalid, `${found.location}: ${message}`, {
      ...(cause === undefined ? {} : { cause }),
      details: { location: found.location },
    }),
  });
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(found.bytes, log.verifiers, { origin: log.origin });
  } catch (err) {
    return invalid(`not a checkpoint signed by the log's key: ${(err as Error).message}`, err);
  }
  if (checkpoint.size !== found.nameSize) {
    return invalid(`named for tree size ${found.nameSize} but holds a checkpoint of size ${checkpoint.size}`);
  }
  // openCheckpoint decoded the bytes as strict UTF-8, so this gives back exactly what was signed.
  return { note: new TextDecoder().decode(found.bytes), checkpoint };
}
