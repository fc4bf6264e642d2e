import type { ChangeManifest } from '../approvals/change-manifest/index.js';
import type { Classification, ClassificationReason } from '../approvals/classifier/index.js';
import type { MetricEnvelope, Policy } from '../approvals/policy/index.js';
import { compareText } from './compare-text.js';
import type { PsiEntry, PsiTable } from './psi-table.js';

/**
 * How a measured value stands against the policy, as the classifier judged it (the report never re-judges):
 * `within` or `outside` the envelope, `not-measured` (a reason says the evidence is missing or unusable),
 * `information` (the policy sets no limit), `not-checked` (a champion-only feature, which the classifier skips).
 */
export type EnvelopeStatus = 'within' | 'outside' | 'not-measured' | 'information' | 'not-checked';

/** One row of the metrics table: the manifest's values (what was classified) and the policy's envelope. */
export interface MetricRow {
  readonly name: string;
  readonly envelope?: MetricEnvelope;
  readonly champion: number | null;
  readonly challenger: number | null;
  readonly status: EnvelopeStatus;
}

/** One row of the PSI table: a feature (or the score) with its limit and the classifier's judgement. */
export interface PsiRow {
  readonly name: string;
  readonly isScore: boolean;
  readonly inChampion: boolean;
  readonly inChallenger: boolean;
  readonly psi: number | null;
  readonly limit?: number;
  readonly status: EnvelopeStatus;
  readonly entry?: PsiEntry;
}

const OUTSIDE_METRIC = new Set(['metric-adverse-change', 'metric-absolute-change']);
const EVIDENCE = new Set(['evidence-missing', 'evidence-unparseable']);

// RFC 6901 §3 escaping, as the classifier writes evidence subjects.
function pointer(path: readonly string[]): string {
  return path.map((token) => `/${token.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function aboutEvidence(reasons: readonly ClassificationReason[], path: readonly string[]): boolean {
  const at = pointer(path);
  return reasons.some(
    (r) =>
      EVIDENCE.has(r.rule) && r.subject !== undefined && (r.subject === at || r.subject.startsWith(`${at}/`)),
  );
}

/** Envelope metrics first (by name), then the manifest's other metrics (information only, by name). */
export function metricRows(manifest: ChangeManifest, policy: Policy, verdict: Classification): MetricRow[] {
  const measured = new Map(Object.entries(manifest.comparison.metrics));
  const envelopes = new Map(Object.entries(policy.drift.metrics));
  const rowFor = (name: string): MetricRow => {
    const values = measured.get(name);
    const envelope = envelopes.get(name);
    let status: EnvelopeStatus = 'information';
    if (envelope !== undefined) {
      if (aboutEvidence(verdict.reasons, ['comparison', 'metrics', name])) status = 'not-measured';
      else if (verdict.reasons.some((r) => OUTSIDE_METRIC.has(r.rule) && r.subject === name))
        status = 'outside';
      else status = 'within';
    }
    return {
      name,
      ...(envelope === undefined ? {} : { envelope }),
      champion: values?.champion ?? null,
      challenger: values?.challenger ?? null,
      status,
    };
  };
  const governed = [...envelopes.keys()].sort(compareText);
  const others = [...measured.keys()].filter((name) => !envelopes.has(name)).sort(compareText);
  return [...governed, ...others].map(rowFor);
}

/** The score first, then every feature of either model by PSI (highest first, not computed last), then name. */
export function psiRows(
  manifest: ChangeManifest,
  psi: PsiTable,
  policy: Policy,
  verdict: Classification,
): PsiRow[] {
  const limits = policy.drift.psi;
  const champion = new Set(manifest.champion.features);
  const challenger = new Set(manifest.challenger.features);
  const entries = new Map(psi.features.map((f) => [f.name, f.entry]));
  const values = new Map(Object.entries(manifest.comparison.psi.features));
  const names = [...new Set([...champion, ...challenger, ...values.keys()])];
  const features = names.map((name): PsiRow => {
    const inChallenger = challenger.has(name);
    const limit = Object.hasOwn(limits.features, name) ? limits.features[name] : limits.featureMax;
    let status: EnvelopeStatus = 'not-checked';
    if (inChallenger) {
      if (aboutEvidence(verdict.reasons, ['comparison', 'psi', 'features', name])) status = 'not-measured';
      else if (verdict.reasons.some((r) => r.rule === 'feature-psi-exceeded' && r.subject === name))
        status = 'outside';
      else status = 'within';
    }
    const entry = entries.get(name);
    return {
      name,
      isScore: false,
      inChampion: champion.has(name),
      inChallenger,
      psi: values.get(name) ?? null,
      ...(inChallenger && limit !== undefined ? { limit } : {}),
      status,
      ...(entry === undefined ? {} : { entry }),
    };
  });
  features.sort((a, b) => {
    if (a.psi !== b.psi) {
      if (a.psi === null) return 1;
      if (b.psi === null) return -1;
      return b.psi - a.psi;
    }
    return compareText(a.name, b.name);
  });
  let scoreStatus: EnvelopeStatus = 'within';
  if (aboutEvidence(verdict.reasons, ['comparison', 'psi', 'score'])) scoreStatus = 'not-measured';
  else if (verdict.reasons.some((r) => r.rule === 'score-psi-exceeded')) scoreStatus = 'outside';
  const score: PsiRow = {
    name: 'score',
    isScore: true,
    inChampion: true,
    inChallenger: true,
    psi: manifest.comparison.psi.score,
    limit: limits.scoreMax,
    status: scoreStatus,
    entry: psi.score,
  };
  return [score, ...features];
}
