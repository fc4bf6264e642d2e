import type { ChangeManifest, ModelManifest } from '../approvals/change-manifest/index.js';
import { compareText } from './compare-text.js';
import { html, type SafeHtml } from './html.js';
import type { ModelMetrics } from './model-metrics.js';
import { formatCount, formatDecimal } from './number-format.js';
import type { Side } from './svg.js';

function featureChanges(manifest: ChangeManifest): { added: string[]; removed: string[] } {
  const before = new Set(manifest.champion.features);
  const after = new Set(manifest.challenger.features);
  return {
    added: manifest.challenger.features.filter((f) => !before.has(f)).sort(compareText),
    removed: manifest.champion.features.filter((f) => !after.has(f)).sort(compareText),
  };
}

function metricValue(metrics: readonly { name: string; value: number | null }[], name: string): string {
  const found = metrics.find((m) => m.name === name);
  return found === undefined || found.value === null ? 'n/a' : formatDecimal(found.value);
}

function card(side: Side, model: ModelManifest, metrics: ModelMetrics, manifest: ChangeManifest): SafeHtml {
  const changes = featureChanges(manifest);
  const featureNote =
    side === 'challenger' && (changes.added.length > 0 || changes.removed.length > 0)
      ? html` <strong>(added: ${changes.added.join(', ') || 'none'}; removed: ${changes.removed.join(', ') || 'none'})</strong>`
      : html``;
  const other = side === 'champion' ? manifest.challenger : manifest.champion;
  const differs = (a: string, b: string): SafeHtml => (a === b ? html`` : html` <strong>(changed)</strong>`);
  const inSample = metrics.training === undefined ? 'n/a' : metricValue(metrics.training.metrics, 'auc');
  return html`<div class="card ${side}">
<h3>${side === 'champion' ? 'Champion' : 'Challenger'}: ${model.model} version ${model.version}</h3>
<dl>
<dt>features</dt><dd>${formatCount(model.features.length)}${featureNote}<br><span class="note">${[...model.features].sort(compareText).join(', ')}</span></dd>
<dt>objective</dt><dd>${model.objective.loss}${differs(model.objective.target, other.objective.target)}</dd>
<dt>data sources</dt><dd>${[...model.dataSources].sort(compareText).join(', ')}</dd>
<dt>search space</dt><dd>${model.hyperparameterSearchSpace}</dd>
<dt>training data</dt><dd class="digest">${model.datasets.training}</dd>
<dt>evaluation data</dt><dd><span class="digest">${model.datasets.evaluation}</span><br>${formatCount(metrics.evaluation.rows)} rows, ${formatCount(metrics.evaluation.bads)} bads</dd>
<dt>AUC</dt><dd>${metricValue(metrics.metrics, 'auc')} evaluation, ${inSample} training (in-sample)</dd>
</dl>
</div>`;
}

/** Champion and challenger side by side, as the manifest and the metrics snapshots describe them. */
export function modelsSection(
  manifest: ChangeManifest,
  champion: ModelMetrics,
  challenger: ModelMetrics,
): SafeHtml {
  const sameEvaluation = manifest.champion.datasets.evaluation === manifest.challenger.datasets.evaluation;
  const warning = sameEvaluation
    ? html``
    : html`<p class="warning">The two models were evaluated on different datasets: their metrics are not measured on the same applicants.</p>`;
  return html`<section id="models">
<h2>Champion and challenger</h2>
${warning}<div class="pair">
${card('champion', manifest.champion, champion, manifest)}
${card('challenger', manifest.challenger, challenger, manifest)}
</div>
</section>`;
}
