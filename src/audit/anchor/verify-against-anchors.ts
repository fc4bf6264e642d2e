import { isDocketError } from '../../errors/index.js';
import { decodeCanonicalBase64, encodeBase64 } from '../../keys/index.js';
import { type Ledger, LedgerErrorCode } from '../../ledger/index.js';
import { verifyConsistency } from '../../ledger/merkle/index.js';
import { type Checkpoint, openCheckpoint } from '../../ledger/note/index.js';
import type { Anchor } from './list-anchors.js';

/** Why an anchored checkpoint no longer holds in the log. */
export type RewriteReason =
  /** The anchor is of a larger tree than the log now has: entries were removed. */
  | 'BEYOND_LOG'
  /** The log keeps no checkpoint at the anchored size (it was rebuilt with other checkpoints, or one deleted). */
  | 'CHECKPOINT_MISSING'
  /** The log's checkpoint at that size does not verify with the log's keys. */
  | 'CHECKPOINT_INVALID'
  /** The log's checkpoint at that size has another root hash: a different history of that size. */
  | 'ROOT_DIFFERS'
  /** The consistency proof from the anchored tree to the current one does not verify (RFC 9162 §2.1.4.2). */
  | 'INCONSISTENT'
  /** No consistency proof could be built (tree nodes missing or corrupt in the database). */
  | 'PROOF_UNAVAILABLE';

/** The anchored checkpoint a finding is about. */
export interface AnchorRef {
  readonly target: string;
  readonly location: string;
  readonly size: number;
  /** Standard base64, as in the checkpoint. */
  readonly rootHash: string;
}

/** One thing verification against anchors found wrong. */
export type AnchorFinding =
  | {
      readonly code: 'LOG_REWRITTEN';
      readonly reason: RewriteReason;
      readonly anchor: AnchorRef;
      readonly message: string;
    }
  | { readonly code: 'ANCHOR_INVALID'; readonly anchor: AnchorRef; readonly message: string }
  | { readonly code: 'LATEST_CHECKPOINT_INVALID'; readonly message: string };

/** What {@link verifyAgainstAnchors} found. */
export interface AnchorVerifyReport {
  readonly ok: boolean;
  readonly origin: string;
  /** The log's current signed tree head, when it verifies. */
  readonly latest?: { readonly size: number; readonly rootHash: string };
  readonly anchorsChecked: number;
  readonly findings: readonly AnchorFinding[];
}

/**
 * Proves that the log's current tree extends every anchored checkpoint: for each, the log must keep a
 * checkpoint of the anchored size with the anchored root, and the RFC 9162 §2.1.4 consistency proof from it to
 * the latest signed checkpoint must verify against the *anchored* root (so nodes the database serves are not
 * trusted). Otherwise the finding is `LOG_REWRITTEN`, naming the anchor and why. A log rebuilt wholesale in the
 * database, even re-signed with the log's own key, fails here for every anchor it does not extend.
 *
 * This ties the database's signed heads to copies held outside it; `verifyLog` ties the entries to those heads.
 * Run both.
 *
 * @example
 * const { anchors } = await listAnchors(targets, ledger);
 * const report = await verifyAgainstAnchors(ledger, anchors);
 * for (const finding of report.findings) console.error(finding.message);
 */
export async function verifyAgainstAnchors(
  ledger: Ledger,
  anchors: readonly Anchor[],
): Promise<AnchorVerifyReport> {
  const { origin, verifiers } = ledger;
  let latest: Checkpoint;
  try {
    latest = openCheckpoint((await ledger.latestCheckpoint()).note, verifiers, { origin });
  } catch (err) {
    if (!isDocketError(err)) throw err;
    const message = `the log's latest checkpoint cannot be used: ${err.message}`;
    return {
      ok: false,
      origin,
      anchorsChecked: 0,
      findings: [{ code: 'LATEST_CHECKPOINT_INVALID', message }],
    };
  }
  const findings: AnchorFinding[] = [];
  // Anchors of one checkpoint (a directory and a bucket, or several S3 versions) share one proof.
  const causes = new Map<string, Promise<RewriteCause | undefined>>();
  for (const anchor of anchors) {
    let anchored: Checkpoint;
    try {
      anchored = openCheckpoint(anchor.note, verifiers, { origin });
    } catch (err) {
      if (!isDocketError(err)) throw err;
      const ref = refOf(anchor, anchor.checkpoint);
      findings.push({ code: 'ANCHOR_INVALID', anchor: ref, message: `${anchor.location}: ${err.message}` });
      continue;
    }
    const ref = refOf(anchor, anchored);
    const key = `${ref.size} ${ref.rootHash}`;
    let pending = causes.get(key);
    if (pending === undefined) {
      pending = rewriteCause(ledger, anchored, latest);
      causes.set(key, pending);
    }
    const cause = await pending;
    if (cause !== undefined) {
      findings.push({
        code: 'LOG_REWRITTEN',
        reason: cause.reason,
        anchor: ref,
        message: `log rewritten: the checkpoint anchored at ${anchor.location} (size ${ref.size}, root ${ref.rootHash}) no longer holds: ${cause.detail}`,
      });
    }
  }
  return {
    ok: findings.length === 0,
    origin,
    latest: { size: latest.size, rootHash: encodeBase64(latest.rootHash) },
    anchorsChecked: anchors.length,
    findings,
  };
}

/** Why an anchored checkpoint does not hold, in words for the finding's message. */
interface RewriteCause {
  readonly reason: RewriteReason;
  readonly detail: string;
}

// Undefined when the log's latest checkpoint provably extends the anchored one.
async function rewriteCause(
  ledger: Ledger,
  anchored: Checkpoint,
  latest: Checkpoint,
): Promise<RewriteCause | undefined> {
  const rewritten = (reason: RewriteReason, detail: string): RewriteCause => ({ reason, detail });
  if (anchored.size > latest.size) {
    return rewritten(
      'BEYOND_LOG',
      `the log's latest checkpoint has ${latest.size} entries, fewer than anchored`,
    );
  }
  let proof: Awaited<ReturnType<Ledger['proveConsistency']>>;
  try {
    proof = await ledger.proveConsistency(anchored.size, latest.size);
  } catch (err) {
    if (!isDocketError(err)) throw err;
    if (err.code === LedgerErrorCode.CheckpointNotFound) {
      return rewritten('CHECKPOINT_MISSING', `the log keeps no checkpoint at tree size ${anchored.size}`);
    }
    return rewritten('PROOF_UNAVAILABLE', `no consistency proof can be built: ${err.message}`);
  }
  let kept: Checkpoint;
  try {
    kept = openCheckpoint(proof.checkpoint1, ledger.verifiers, { origin: ledger.origin });
  } catch (err) {
    if (!isDocketError(err)) throw err;
    return rewritten(
      'CHECKPOINT_INVALID',
      `the log's checkpoint at size ${anchored.size} does not verify: ${err.message}`,
    );
  }
  if (kept.size !== anchored.size || Buffer.compare(kept.rootHash, anchored.rootHash) !== 0) {
    return rewritten(
      'ROOT_DIFFERS',
      `the log's checkpoint at size ${anchored.size} has root ${encodeBase64(kept.rootHash)}`,
    );
  }
  const hashes = proof.proof.map((hash) => decodeCanonicalBase64(hash));
  try {
    if (hashes.some((hash) => hash === undefined)) throw new Error('a proof hash is not canonical base64');
    verifyConsistency(anchored.size, latest.size, hashes as Uint8Array[], anchored.rootHash, latest.rootHash);
  } catch (err) {
    return rewritten(
      'INCONSISTENT',
      `the consistency proof to the latest checkpoint (size ${latest.size}) fails: ${(err as Error).message}`,
    );
  }
  return undefined;
}

function refOf(anchor: Anchor, checkpoint: Checkpoint): AnchorRef {
  return {
    target: anchor.target,
    location: anchor.location,
    size: checkpoint.size,
    rootHash: encodeBase64(checkpoint.rootHash),
  };
}
