import { evidenceReason, readNameSet, readText, sortedSet } from './evidence.js';
import type { ClassificationReason } from './types.js';

// DESIGN.md principle 4: feature-set change, objective change or new data source = class 3.

/** The feature set changed: compared as sets, so a reordered list is no change and a renamed feature is one. */
export function featureSetRule(manifest: unknown): ClassificationReason[] {
  const champion = readNameSet(manifest, ['champion', 'features']);
  const challenger = readNameSet(manifest, ['challenger', 'features']);
  if (!champion.ok)
    return [evidenceReason(champion, ['champion', 'features'], 3, "the champion's feature list")];
  if (!challenger.ok)
    return [evidenceReason(challenger, ['challenger', 'features'], 3, "the challenger's feature list")];
  const before = new Set(champion.value);
  const after = new Set(challenger.value);
  const added = sortedSet(challenger.value.filter((name) => !before.has(name)));
  const removed = sortedSet(champion.value.filter((name) => !after.has(name)));
  if (added.length === 0 && removed.length === 0) return [];
  const parts = [
    added.length > 0 ? `added ${quoteAll(added)}` : '',
    removed.length > 0 ? `removed ${quoteAll(removed)}` : '',
  ].filter((part) => part !== '');
  const renamed =
    added.length > 0 && removed.length > 0 ? ' (a renamed feature is a removal plus an addition)' : '';
  return [
    {
      rule: 'feature-set-changed',
      class: 3,
      observed: { added, removed },
      message: `feature set changed: ${parts.join('; ')}${renamed}`,
    },
  ];
}

/** The objective changed: its target (label definition) or its loss. */
export function objectiveRule(manifest: unknown): ClassificationReason[] {
  const reasons: ClassificationReason[] = [];
  for (const field of ['target', 'loss'] as const) {
    const championPath = ['champion', 'objective', field];
    const challengerPath = ['challenger', 'objective', field];
    const champion = readText(manifest, championPath);
    const challenger = readText(manifest, challengerPath);
    if (!champion.ok)
      reasons.push(evidenceReason(champion, championPath, 3, `the champion's objective ${field}`));
    else if (!challenger.ok)
      reasons.push(evidenceReason(challenger, challengerPath, 3, `the challenger's objective ${field}`));
    else if (champion.value !== challenger.value) {
      reasons.push({
        rule: 'objective-changed',
        class: 3,
        subject: field,
        observed: { champion: champion.value, challenger: challenger.value },
        message: `objective ${field} changed from ${JSON.stringify(champion.value)} to ${JSON.stringify(challenger.value)}`,
      });
    }
  }
  return reasons;
}

/** A challenger data source the champion did not use. (A source dropped is not, by itself, material.) */
export function dataSourceRule(manifest: unknown): ClassificationReason[] {
  const champion = readNameSet(manifest, ['champion', 'dataSources']);
  const challenger = readNameSet(manifest, ['challenger', 'dataSources']);
  if (!champion.ok)
    return [evidenceReason(champion, ['champion', 'dataSources'], 3, "the champion's data sources")];
  if (!challenger.ok)
    return [evidenceReason(challenger, ['challenger', 'dataSources'], 3, "the challenger's data sources")];
  const known = new Set(champion.value);
  const added = challenger.value.filter((source) => !known.has(source));
  if (added.length === 0) return [];
  return [
    {
      rule: 'data-source-added',
      class: 3,
      observed: added,
      message: `new data source${added.length === 1 ? '' : 's'}: ${quoteAll(added)}`,
    },
  ];
}

/** Names quoted as JSON strings, so hostile text cannot change how a message reads. */
export function quoteAll(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}
