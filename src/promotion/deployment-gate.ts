import { modelVersionKey, type RecordedIdentity } from '../approvals/requests/index.js';
import { isDocketError } from '../errors/index.js';
import type { Ledger } from '../ledger/index.js';
import { verifyInclusion } from '../ledger/merkle/index.js';
import { openCheckpoint } from '../ledger/note/index.js';
import type { PromotionTarget } from '../registries/index.js';
import { readPromotionEntry, readTransitionEntry } from './read-records.js';
import { isApplied, PROMOTION_RECORD, type RecordedPromotion, type RecordedTransition } from './records.js';

/** The version a deployment pipeline asks about. */
export interface DeploymentQuery {
  /** The registry's name in requests (`local`, `mlflow`...). */
  readonly registry: string;
  readonly model: string;
  readonly version: string;
}

/** The deployment gate's answer, as JSON for CI systems. */
export interface DeploymentVerdict {
  /** True only when a verified promotion event and a verified applied transition exist for the version. */
  readonly ok: boolean;
  readonly registry: string;
  readonly model: string;
  readonly version: string;
  readonly promotion: {
    readonly index: number;
    readonly leafHash: string;
    readonly recordedAt: string;
    readonly requestId: string;
    readonly class: 1 | 2 | 3;
    readonly artefactDigest: string;
    readonly approvers: readonly RecordedIdentity[];
    readonly target: PromotionTarget;
    readonly dev: boolean;
  } | null;
  readonly transition: {
    readonly index: number;
    readonly leafHash: string;
    readonly recordedAt: string;
    readonly reason: string;
    readonly outcome: string;
  } | null;
  /** The signed checkpoint both entries were proven included under. */
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly rootHash: string } | null;
  /** Why it is not ok (or what was skipped on the way), one line each. */
  readonly problems: readonly string[];
}

/**
 * `docket gate`: may this model version be deployed? Yes only when the ledger holds a promotion event for it and an
 * applied transition executing that event, each of whose envelope signatures verifies, and whose inclusion under the
 * latest signed checkpoint (its note signature verified) is proven with an RFC 9162 inclusion proof. The decisions
 * the event cites must verify too. Reads the ledger only: no registry, no private key.
 *
 * @throws DocketError ERR_LEDGER_CHECKPOINT_NOT_FOUND when the log has no checkpoint (never initialised)
 * @example
 * const verdict = await checkDeployment(docket.ledger, { registry: 'local', model: 'credit', version: '17' });
 * process.exitCode = verdict.ok ? 0 : 1;
 */
export async function checkDeployment(ledger: Ledger, query: DeploymentQuery): Promise<DeploymentVerdict> {
  const problems: string[] = [];
  const base = { registry: query.registry, model: query.model, version: query.version };
  const refuse = (why: string): DeploymentVerdict => ({
    ok: false,
    ...base,
    promotion: null,
    transition: null,
    checkpoint: null,
    problems: [...problems, why],
  });
  const stored = await ledger.latestCheckpoint();
  let checkpoint: { size: number; rootHash: Uint8Array };
  try {
    checkpoint = openCheckpoint(stored.note, ledger.verifiers, { origin: ledger.origin });
  } catch (err) {
    return refuse(`the latest checkpoint does not verify: ${describe(err)}`);
  }
  const events: RecordedPromotion[] = [];
  const transitions: RecordedTransition[] = [];
  for (const index of await ledger.find('model-version', modelVersionKey(query))) {
    if (index >= checkpoint.size) continue;
    try {
      const entry = await ledger.readEntry(index);
      if (entry.recordType === PROMOTION_RECORD.promotion) {
        const event = readPromotionEntry(entry);
        const m = event.predicate.model;
        if (m.registry === query.registry && m.model === query.model && m.version === query.version)
          events.push(event);
      } else if (entry.recordType === PROMOTION_RECORD.transition) {
        const t = readTransitionEntry(entry);
        const q = t.predicate;
        const same =
          q.registry === query.registry && q.model === query.model && q.toVersion === query.version;
        if (same && isApplied(q.outcome)) transitions.push(t);
      }
    } catch (err) {
      problems.push(`entry ${index} does not verify: ${describe(err)}`);
    }
  }
  if (events.length === 0) return refuse(`no promotion event for ${modelVersionKey(query)}`);
  const cp = {
    origin: ledger.origin,
    size: checkpoint.size,
    rootHash: Buffer.from(checkpoint.rootHash).toString('base64'),
  };
  for (const event of [...events].reverse()) {
    const transition = transitions
      .filter(
        (t) =>
          t.predicate.promotion.index === event.index && t.predicate.promotion.leafHash === event.leafHash,
      )
      .at(-1);
    if (transition === undefined) {
      problems.push(
        `the promotion event at ${event.index} has no applied transition (pending: promote --resume)`,
      );
      continue;
    }
    const unproven = [
      ...(await inclusionProblems(ledger, event, checkpoint)),
      ...(await inclusionProblems(ledger, transition, checkpoint)),
      ...(await decisionProblems(ledger, event)),
    ];
    if (unproven.length > 0) {
      problems.push(...unproven);
      continue;
    }
    const p = event.predicate;
    return {
      ok: true,
      ...base,
      promotion: {
        index: event.index,
        leafHash: event.leafHash,
        recordedAt: event.recordedAt,
        requestId: p.requestId,
        class: p.class,
        artefactDigest: p.model.artefactDigest,
        approvers: p.approvers,
        target: p.target,
        dev: p.dev,
      },
      transition: {
        index: transition.index,
        leafHash: transition.leafHash,
        recordedAt: transition.recordedAt,
        reason: transition.predicate.reason,
        outcome: transition.predicate.outcome,
      },
      checkpoint: cp,
      problems,
    };
  }
  return {
    ...refuse(`no verified promotion with an applied transition for ${modelVersionKey(query)}`),
    checkpoint: cp,
  };
}

// RFC 9162 §2.1.3.2: the entry's leaf hash, recomputed from its bytes by readEntry, leads to the signed root.
async function inclusionProblems(
  ledger: Ledger,
  entry: { index: number; leafHash: string },
  checkpoint: { size: number; rootHash: Uint8Array },
): Promise<string[]> {
  try {
    const proof = await ledger.proveInclusion(entry.index, checkpoint.size);
    verifyInclusion(
      Buffer.from(entry.leafHash, 'base64'),
      entry.index,
      checkpoint.size,
      proof.proof.map((h) => Buffer.from(h, 'base64')),
      checkpoint.rootHash,
    );
    return [];
  } catch (err) {
    return [
      `entry ${entry.index} is not proven included under the checkpoint of size ${checkpoint.size}: ${describe(err)}`,
    ];
  }
}

// The approvals the event rests on: each entry verifies and is the one the event names (index and leaf hash).
async function decisionProblems(ledger: Ledger, event: RecordedPromotion): Promise<string[]> {
  const problems: string[] = [];
  for (const d of event.predicate.decisions) {
    try {
      const entry = await ledger.readEntry(d.index);
      if (entry.leafHash !== d.leafHash || entry.recordType !== 'decision') {
        problems.push(
          `the promotion event at ${event.index} cites decision ${d.index}, which is another entry`,
        );
      }
    } catch (err) {
      problems.push(
        `decision ${d.index} cited by the promotion event at ${event.index} does not verify: ${describe(err)}`,
      );
    }
  }
  return problems;
}

function describe(err: unknown): string {
  if (isDocketError(err)) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}
