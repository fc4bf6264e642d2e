import { classifyChange } from '../approvals/classifier/index.js';
import { digestOfJson } from '../digest/index.js';
import { calibrationSection } from './compare-calibration.js';
import { classificationSection } from './compare-classification.js';
import { metricsSection } from './compare-metrics.js';
import { modelsSection } from './compare-models.js';
import { psiSection } from './compare-psi.js';
import { segmentsSection } from './compare-segments.js';
import { checkComparisonInputs } from './comparison-consistency.js';
import { type ComparisonReportInputs, DEFAULT_COMPARISON_SOURCE_NAMES } from './comparison-inputs.js';
import { metricRows, psiRows } from './comparison-rows.js';
import { html } from './html.js';
import { renderPage } from './page.js';
import { sourcesFooter } from './sources-footer.js';

/** Format id of the comparison report; a change to what it renders (or how) bumps it. */
export const COMPARISON_REPORT_FORMAT = 'compare/1';

/**
 * Renders the challenger comparison the approver reviews: a self-contained HTML page (no script, no network,
 * strict CSP) with the classification computed by `classifyChange` under the given policy, champion and
 * challenger side by side, metrics against the drift envelope, PSI against its limits, calibration and segment
 * slices. Pure and deterministic: the same inputs give the same string, whatever the key order of the inputs.
 *
 * @throws DocketError ERR_REPORT_INPUTS_INCONSISTENT when the inputs describe different comparisons
 * @example
 * const inputs = await loadComparisonInputs({ championMetrics, challengerMetrics, psi, manifest, policy });
 * await writeFile('v1-v2-compare.html', renderComparisonReport(inputs));
 */
export function renderComparisonReport(inputs: ComparisonReportInputs): string {
  const names = { ...DEFAULT_COMPARISON_SOURCE_NAMES, ...inputs.sourceNames };
  checkComparisonInputs(inputs, names);
  const { manifest, policy, psi, championMetrics: champion, challengerMetrics: challenger } = inputs;
  const verdict = classifyChange(manifest, policy.policy);
  const { model } = manifest.challenger;
  const title = `Challenger comparison: ${model} version ${manifest.challenger.version} against version ${manifest.champion.version}`;
  const body = html`<header>
<p class="kicker">docket · challenger comparison</p>
<h1>${model}: version ${manifest.challenger.version} (challenger) against version ${manifest.champion.version} (champion)</h1>
<p class="muted">Champion ${manifest.champion.model} v${manifest.champion.version} → challenger ${model} v${manifest.challenger.version}, classified under policy ${policy.policy.name}.</p>
</header>
${classificationSection(verdict, policy.policy.name)}
${modelsSection(manifest, champion, challenger)}
${metricsSection(metricRows(manifest, policy.policy, verdict), champion, challenger)}
${psiSection(psiRows(manifest, psi, policy.policy, verdict), psi)}
${calibrationSection(champion, challenger)}
${segmentsSection(champion, challenger)}
${sourcesFooter(
  COMPARISON_REPORT_FORMAT,
  [
    {
      input: 'change manifest',
      describes: `${model} v${manifest.champion.version} → v${manifest.challenger.version}`,
      digest: digestOfJson(manifest),
    },
    { input: 'policy', describes: policy.policy.name, digest: verdict.policyDigest },
    {
      input: 'champion metrics',
      describes: `${champion.model} v${champion.version}`,
      digest: champion.contentDigest,
    },
    {
      input: 'challenger metrics',
      describes: `${challenger.model} v${challenger.version}`,
      digest: challenger.contentDigest,
    },
    { input: 'PSI table', describes: `v${psi.champion} → v${psi.challenger}`, digest: psi.contentDigest },
  ],
  html` The policy's is the digest its classification cites (classifier ${verdict.classifierVersion}).`,
)}`;
  return renderPage({ title, format: COMPARISON_REPORT_FORMAT, body });
}
