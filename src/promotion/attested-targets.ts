import { type EntryRef, modelKey } from '../approvals/requests/index.js';
import type { Digest } from '../digest/index.js';
import type { Ledger } from '../ledger/index.js';
import type { PromotionTarget } from '../registries/index.js';
import { readPromotionEntry, readTransitionEntry } from './read-records.js';
import {
  isApplied,
  PROMOTION_RECORD,
  type RecordedPromotion,
  type RecordedTransition,
  targetLabel,
} from './records.js';

/** The version the ledger says a target should show: the last applied transition's, with the event behind it. */
export interface AttestedTarget {
  readonly model: string;
  readonly target: PromotionTarget;
  readonly version: string;
  readonly requestId: string;
  /** The promotion event that attests `version`. */
  readonly promotion: EntryRef;
  readonly artefactDigest: Digest;
  /** The last applied transition (a promotion, a resume or a reconcile). */
  readonly transition: EntryRef;
}

/** A promotion event whose transition has not applied (the registry may or may not have moved). */
export interface PendingPromotion {
  readonly model: string;
  readonly target: PromotionTarget;
  readonly version: string;
  readonly requestId: string;
  readonly promotion: EntryRef;
}

/** What the ledger says about one registry's targets. */
export interface LedgerTargets {
  /** By {@link targetKey}. */
  readonly attested: ReadonlyMap<string, AttestedTarget>;
  readonly pending: readonly PendingPromotion[];
}

/** The map key of a model's target. */
export function targetKey(model: string, target: PromotionTarget): string {
  return JSON.stringify([model, targetLabel(target)]);
}

/**
 * Reads the promotion events and transitions of one registry (by its name and id) from the ledger, in log order:
 * each target's attested version is that of its last applied transition; an event with no applied transition is
 * pending. `models` limits the reading to those models' entries (lookup key `model`).
 *
 * @throws DocketError ERR_PROMOTION_RECORD_MALFORMED, ERR_LEDGER_ENTRY_CORRUPT
 */
export async function readLedgerTargets(
  ledger: Ledger,
  registry: { name: string; id: string },
  models?: readonly string[],
): Promise<LedgerTargets> {
  const indices =
    models === undefined
      ? [
          ...(await ledger.find('type', PROMOTION_RECORD.promotion)),
          ...(await ledger.find('type', PROMOTION_RECORD.transition)),
        ]
      : (
          await Promise.all(
            models.map((m) => ledger.find('model', modelKey({ registry: registry.name, model: m }))),
          )
        ).flat();
  const events = new Map<number, RecordedPromotion>();
  const transitions: RecordedTransition[] = [];
  for (const index of [...new Set(indices)].sort((a, b) => a - b)) {
    const entry = await ledger.readEntry(index);
    if (entry.recordType === PROMOTION_RECORD.promotion) {
      const event = readPromotionEntry(entry);
      const m = event.predicate.model;
      if (m.registry === registry.name && m.registryId === registry.id) events.set(index, event);
    } else if (entry.recordType === PROMOTION_RECORD.transition) {
      const t = readTransitionEntry(entry);
      if (t.predicate.registry === registry.name && t.predicate.registryId === registry.id)
        transitions.push(t);
    }
  }
  const attested = new Map<string, AttestedTarget>();
  const applied = new Set<number>();
  for (const t of transitions) {
    const p = t.predicate;
    const event = events.get(p.promotion.index);
    // A transition counts only when it names an event of this registry, by leaf hash, for the version it moved to.
    if (!isApplied(p.outcome) || event === undefined || event.leafHash !== p.promotion.leafHash) continue;
    if (event.predicate.model.version !== p.toVersion || event.predicate.model.model !== p.model) continue;
    applied.add(event.index);
    attested.set(targetKey(p.model, p.target), {
      model: p.model,
      target: p.target,
      version: p.toVersion,
      requestId: event.predicate.requestId,
      promotion: { index: event.index, leafHash: event.leafHash },
      artefactDigest: event.predicate.model.artefactDigest,
      transition: { index: t.index, leafHash: t.leafHash },
    });
  }
  const pending: PendingPromotion[] = [...events.values()]
    .filter((e) => !applied.has(e.index))
    .map((e) => ({
      model: e.predicate.model.model,
      target: e.predicate.target,
      version: e.predicate.model.version,
      requestId: e.predicate.requestId,
      promotion: { index: e.index, leafHash: e.leafHash },
    }));
  return { attested, pending };
}
