import type { MetricEnvelope } from '../approvals/policy/index.js';
import { changeCell, statusCell, valueCell } from './cells.js';
import type { MetricRow } from './comparison-rows.js';
import { html, type SafeHtml } from './html.js';
import type { ModelMetrics } from './model-metrics.js';
import { formatDecimal } from './number-format.js';

/** The envelope in the terms of the change column (challenger − champion). */
export function allowedText(envelope: MetricEnvelope | undefined): string {
  if (envelope === undefined) return '—';
  const limit = formatDecimal(envelope.maxAdverseChange);
  const adverse = envelope.direction === 'higher-is-better' ? `change ≥ -${limit}` : `change ≤ +${limit}`;
  return envelope.maxAbsoluteChange === undefined
    ? adverse
    : `${adverse}; |change| ≤ ${formatDecimal(envelope.maxAbsoluteChange)}`;
}

function direction(envelope: MetricEnvelope | undefined): string {
  if (envelope === undefined) return '—';
  return envelope.direction === 'higher-is-better' ? 'higher' : 'lower';
}

function definitions(champion: ModelMetrics, challenger: ModelMetrics): SafeHtml {
  const theirs = new Map(challenger.definitions.map((d) => [d.name, d.text]));
  const items = champion.definitions.map((d) => {
    const other = theirs.get(d.name);
    const differs =
      other !== undefined && other !== d.text ? html` <strong>(challenger: ${other})</strong>` : html``;
    return html`<li><code>${d.name}</code>: ${d.text}${differs}</li>`;
  });
  return items.length === 0 ? html`` : html`<ul class="plain note">${items}</ul>`;
}

/** Each metric: champion, challenger, change, what the policy allows and whether the change is within it. */
export function metricsSection(
  rows: readonly MetricRow[],
  champion: ModelMetrics,
  challenger: ModelMetrics,
): SafeHtml {
  const body = rows.map(
    (row) => html`<tr>
<td class="name"><code>${row.name}</code></td><td>${direction(row.envelope)}</td>${valueCell(row.champion)}${valueCell(row.challenger)}${changeCell(row.challenger, row.champion)}<td class="rule">${allowedText(row.envelope)}</td>${statusCell(row.status)}
</tr>`,
  );
  return html`<section id="metrics">
<h2>Metrics against the drift envelope</h2>
<p class="note">Values from the change manifest (the ones classified), on the evaluation dataset; change = challenger − champion, computed exactly on the decimals written. A metric without a limit is shown for information.</p>
<table>
<thead><tr><th>metric</th><th>better</th><th class="num">champion</th><th class="num">challenger</th><th class="num">change</th><th>allowed</th><th>status</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
${definitions(champion, challenger)}
</section>`;
}
