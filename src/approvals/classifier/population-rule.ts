import type { Policy } from '../policy/index.js';
import { evidenceReason, type Read, readNameSet, readText, sortedSet } from './evidence.js';
import { quoteAll } from './structure-rules.js';
import type { ClassificationReason } from './types.js';

// DESIGN.md principle 4: same features but a population shift = class 2.

/** The population changed: its definition (compared as the policy says) or, unless ignored, its set of segments. */
export function populationRule(manifest: unknown, policy: Policy): ClassificationReason[] {
  const reasons: ClassificationReason[] = [];
  const definitionPath = (side: string) => [side, 'population', 'definition'];
  const champion = readText(manifest, definitionPath('champion'));
  const challenger = readText(manifest, definitionPath('challenger'));
  if (!champion.ok)
    reasons.push(
      evidenceReason(champion, definitionPath('champion'), 2, "the champion's population definition"),
    );
  else if (!challenger.ok) {
    reasons.push(
      evidenceReason(challenger, definitionPath('challenger'), 2, "the challenger's population definition"),
    );
  } else {
    const normalize =
      policy.population.definition === 'collapse-whitespace'
        ? (text: string) => text.replace(/\s+/gu, ' ').trim()
        : (text: string) => text;
    if (normalize(champion.value) !== normalize(challenger.value)) {
      reasons.push({
        rule: 'population-changed',
        class: 2,
        subject: 'definition',
        observed: { champion: champion.value, challenger: challenger.value },
        message: `population definition changed (compared ${policy.population.definition})`,
      });
    }
  }

  if (policy.population.segments === 'compare') {
    const segmentsPath = (side: string) => [side, 'population', 'segments'];
    const before = optionalNameSet(manifest, segmentsPath('champion'));
    const after = optionalNameSet(manifest, segmentsPath('challenger'));
    if (!before.ok)
      reasons.push(evidenceReason(before, segmentsPath('champion'), 2, "the champion's population segments"));
    else if (!after.ok)
      reasons.push(
        evidenceReason(after, segmentsPath('challenger'), 2, "the challenger's population segments"),
      );
    else {
      const had = new Set(before.value);
      const has = new Set(after.value);
      const added = sortedSet(after.value.filter((segment) => !had.has(segment)));
      const removed = sortedSet(before.value.filter((segment) => !has.has(segment)));
      if (added.length > 0 || removed.length > 0) {
        const parts = [
          added.length > 0 ? `added ${quoteAll(added)}` : '',
          removed.length > 0 ? `removed ${quoteAll(removed)}` : '',
        ];
        reasons.push({
          rule: 'population-changed',
          class: 2,
          subject: 'segments',
          observed: { added, removed },
          message: `population segments changed: ${parts.filter((part) => part !== '').join('; ')}`,
        });
      }
    }
  }
  return reasons;
}

/** Segments are optional: absent means "not segmented", the empty set. */
function optionalNameSet(manifest: unknown, path: readonly string[]): Read<readonly string[]> {
  const read = readNameSet(manifest, path);
  return !read.ok && read.problem === 'missing' ? { ok: true, value: [] } : read;
}
