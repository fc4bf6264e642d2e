import { compareText } from './compare-text.js';
import type { FeatureAttribution } from './model-explanation.js';

/** A feature's place in one model's ranking by mean |attribution| (1 = most important). */
export interface RankedFeature {
  readonly feature: string;
  readonly value: number;
  readonly rank: number;
}

/** How a feature's rank moved from champion to challenger. */
export type RankMovement = 'gained' | 'lost' | 'unchanged' | 'added' | 'removed';

/** One feature in either ranking. `places` is champion rank − challenger rank (positive = gained). */
export interface RankChange {
  readonly feature: string;
  readonly champion?: RankedFeature;
  readonly challenger?: RankedFeature;
  readonly movement: RankMovement;
  readonly places: number;
}

/**
 * Ranks features by mean |attribution|, highest first; equal values are ranked by name (UTF-16 order), so the
 * ranking never depends on the order the bundle listed them in.
 */
export function rankFeatures(attributions: readonly FeatureAttribution[]): RankedFeature[] {
  return [...attributions]
    .sort((a, b) => b.value - a.value || compareText(a.feature, b.feature))
    .map((a, index) => ({ feature: a.feature, value: a.value, rank: index + 1 }));
}

/**
 * Every feature of either ranking with its movement: the challenger's features in its rank order, then the
 * features it dropped in the champion's rank order.
 *
 * @example
 * rankChanges(champion.meanAbsAttribution, challenger.meanAbsAttribution).filter((c) => c.movement === 'gained');
 */
export function rankChanges(
  champion: readonly FeatureAttribution[],
  challenger: readonly FeatureAttribution[],
): RankChange[] {
  const before = new Map(rankFeatures(champion).map((r) => [r.feature, r]));
  const after = rankFeatures(challenger);
  const kept = new Set(after.map((r) => r.feature));
  const changes: RankChange[] = after.map((now) => {
    const was = before.get(now.feature);
    if (was === undefined) return { feature: now.feature, challenger: now, movement: 'added', places: 0 };
    const places = was.rank - now.rank;
    const movement: RankMovement = places > 0 ? 'gained' : places < 0 ? 'lost' : 'unchanged';
    return { feature: now.feature, champion: was, challenger: now, movement, places };
  });
  for (const was of before.values()) {
    if (!kept.has(was.feature))
      changes.push({ feature: was.feature, champion: was, movement: 'removed', places: 0 });
  }
  return changes;
}
