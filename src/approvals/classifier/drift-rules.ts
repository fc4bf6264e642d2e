import type { Policy } from '../policy/index.js';
import { decimalAbs, decimalDifference, decimalExceeds, decimalToNumber } from './decimal.js';
import { evidenceReason, readMapping, readMeasure, readNameSet, sortedSet } from './evidence.js';
import type { ClassificationReason } from './types.js';

// DESIGN.md principle 4: same features but drift outside the envelope = class 2. Every limit is inclusive:
// exactly at the limit is within the envelope, strictly beyond it is not.

/** Each metric the envelope names: measured on both sides, and moved no further than its limits. */
export function metricRules(manifest: unknown, policy: Policy): ClassificationReason[] {
  const metricsPath = ['comparison', 'metrics'];
  const metrics = readMapping(manifest, metricsPath);
  if (!metrics.ok && metrics.problem === 'unparseable') {
    return [evidenceReason(metrics, metricsPath, 2, 'the comparison metrics')];
  }
  const reasons: ClassificationReason[] = [];
  const envelopes = new Map(Object.entries(policy.drift.metrics));
  for (const name of sortedSet(envelopes.keys())) {
    const envelope = envelopes.get(name);
    if (envelope === undefined) continue;
    const entryPath = [...metricsPath, name];
    const entry = readMapping(manifest, entryPath);
    if (!entry.ok) {
      reasons.push(
        evidenceReason(entry, entryPath, 2, `the comparison's values of metric ${JSON.stringify(name)}`),
      );
      continue;
    }
    const champion = readMeasure(manifest, [...entryPath, 'champion'], { nonNegative: false });
    const challenger = readMeasure(manifest, [...entryPath, 'challenger'], { nonNegative: false });
    // Both sides are reported when both are unusable (a metric that failed to compute usually fails on both).
    if (!champion.ok) {
      reasons.push(
        evidenceReason(champion, [...entryPath, 'champion'], 2, `the champion's ${JSON.stringify(name)}`),
      );
    }
    if (!challenger.ok) {
      reasons.push(
        evidenceReason(
          challenger,
          [...entryPath, 'challenger'],
          2,
          `the challenger's ${JSON.stringify(name)}`,
        ),
      );
    }
    if (!champion.ok || !challenger.ok) continue;
    const change = decimalDifference(challenger.value, champion.value);
    const adverse =
      envelope.direction === 'higher-is-better'
        ? decimalDifference(champion.value, challenger.value)
        : change;
    const values = `${champion.value} -> ${challenger.value}`;
    if (decimalExceeds(adverse, envelope.maxAdverseChange)) {
      reasons.push({
        rule: 'metric-adverse-change',
        class: 2,
        subject: name,
        observed: decimalToNumber(adverse),
        threshold: envelope.maxAdverseChange,
        message: `${JSON.stringify(name)} (${envelope.direction}) moved ${values}, an adverse change of ${decimalToNumber(adverse)} beyond the limit ${envelope.maxAdverseChange}`,
      });
    }
    const maxAbsolute = envelope.maxAbsoluteChange;
    if (maxAbsolute !== undefined && decimalExceeds(decimalAbs(change), maxAbsolute)) {
      reasons.push({
        rule: 'metric-absolute-change',
        class: 2,
        subject: name,
        observed: decimalToNumber(decimalAbs(change)),
        threshold: maxAbsolute,
        message: `${JSON.stringify(name)} moved ${values}, a change of ${decimalToNumber(decimalAbs(change))} beyond the limit ${maxAbsolute} in either direction`,
      });
    }
  }
  return reasons;
}

/** The PSI of every challenger feature: present, and at most its limit (the override, or featureMax). */
export function featurePsiRule(manifest: unknown, policy: Policy): ClassificationReason[] {
  const features = readNameSet(manifest, ['challenger', 'features']);
  // An unreadable feature list is already class 3 (featureSetRule); there is nothing to look up here.
  if (!features.ok) return [];
  const psiPath = ['comparison', 'psi', 'features'];
  const psi = readMapping(manifest, psiPath);
  if (!psi.ok && psi.problem === 'unparseable')
    return [evidenceReason(psi, psiPath, 2, 'the feature PSI values')];
  const overrides = policy.drift.psi.features;
  const reasons: ClassificationReason[] = [];
  for (const feature of features.value) {
    const limit = Object.hasOwn(overrides, feature)
      ? (overrides[feature] ?? policy.drift.psi.featureMax)
      : policy.drift.psi.featureMax;
    const value = readMeasure(manifest, [...psiPath, feature], { nonNegative: true });
    if (!value.ok) {
      reasons.push(
        evidenceReason(value, [...psiPath, feature], 2, `the PSI of feature ${JSON.stringify(feature)}`),
      );
    } else if (value.value > limit) {
      reasons.push({
        rule: 'feature-psi-exceeded',
        class: 2,
        subject: feature,
        observed: value.value,
        threshold: limit,
        message: `PSI of feature ${JSON.stringify(feature)} is ${value.value}, above its limit ${limit}`,
      });
    }
  }
  return reasons;
}

/** The PSI of the score distribution: present, and at most scoreMax. */
export function scorePsiRule(manifest: unknown, policy: Policy): ClassificationReason[] {
  const path = ['comparison', 'psi', 'score'];
  const value = readMeasure(manifest, path, { nonNegative: true });
  if (!value.ok) return [evidenceReason(value, path, 2, 'the PSI of the score')];
  const limit = policy.drift.psi.scoreMax;
  if (value.value <= limit) return [];
  return [
    {
      rule: 'score-psi-exceeded',
      class: 2,
      subject: 'score',
      observed: value.value,
      threshold: limit,
      message: `PSI of the score is ${value.value}, above its limit ${limit}`,
    },
  ];
}
