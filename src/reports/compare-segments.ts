import { changeCell, valueCell } from './cells.js';
import { compareText } from './compare-text.js';
import { html, type SafeHtml } from './html.js';
import type { ModelMetrics, SegmentSlice } from './model-metrics.js';
import { formatCount } from './number-format.js';

/** Below this many applicants, or this many bads or goods, a slice's metrics are mostly noise. */
export const SMALL_SLICE = { applicants: 30, outcomes: 5 } as const;

function isSmall(slice: SegmentSlice): boolean {
  const goods = slice.n - slice.bads;
  return (
    slice.n < SMALL_SLICE.applicants || slice.bads < SMALL_SLICE.outcomes || goods < SMALL_SLICE.outcomes
  );
}

function countText(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || a === b) return formatCount(a ?? b ?? 0);
  return `${formatCount(a)} / ${formatCount(b)}`;
}

const MEASURES = ['auc', 'ks', 'brier'] as const;

function groupTable(name: string, ours: readonly SegmentSlice[], theirs: readonly SegmentSlice[]): SafeHtml {
  const others = new Map(theirs.map((s) => [s.segment, s]));
  const mine = new Map(ours.map((s) => [s.segment, s]));
  const order = [...ours.map((s) => s.segment), ...theirs.map((s) => s.segment).filter((s) => !mine.has(s))];
  const rows = order.map((segment) => {
    const a = mine.get(segment);
    const b = others.get(segment);
    const small = (a !== undefined && isSmall(a)) || (b !== undefined && isSmall(b));
    const cells = MEASURES.map(
      (m) => html`${valueCell(a?.[m], 'first')}${valueCell(b?.[m])}${changeCell(b?.[m], a?.[m])}`,
    );
    return html`<tr>
<td class="name">${segment}${small ? html` <strong title="few applicants, bads or goods: noise">†</strong>` : html``}</td><td class="num">${countText(a?.n, b?.n)}</td><td class="num">${countText(a?.bads, b?.bads)}</td>${cells}
</tr>`;
  });
  return html`<h3><code>${name}</code></h3>
<table>
<thead>
<tr><th rowspan="2">segment</th><th class="num" rowspan="2">n</th><th class="num" rowspan="2">bads</th><th class="span" colspan="3">AUC</th><th class="span" colspan="3">KS</th><th class="span" colspan="3">Brier</th></tr>
<tr>${MEASURES.map(() => html`<th class="num first">champion</th><th class="num">challenger</th><th class="num">change</th>`)}</tr>
</thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** Each segmentation's slices: AUC, KS and Brier of both models, side by side. */
export function segmentsSection(champion: ModelMetrics, challenger: ModelMetrics): SafeHtml {
  const theirs = new Map(challenger.segments.map((g) => [g.name, g.slices]));
  const ours = new Map(champion.segments.map((g) => [g.name, g.slices]));
  const names = [...new Set([...ours.keys(), ...theirs.keys()])].sort(compareText);
  const tables = names.map((name) => groupTable(name, ours.get(name) ?? [], theirs.get(name) ?? []));
  return html`<section id="segments">
<h2>Segment slices</h2>
<p class="note">On the evaluation dataset; change = challenger − champion (for Brier, lower is better). † marks a slice with fewer than ${formatCount(SMALL_SLICE.applicants)} applicants or fewer than ${formatCount(SMALL_SLICE.outcomes)} bads or goods: its metrics are mostly noise.</p>
${names.length === 0 ? html`<p class="note">Neither metrics snapshot holds segment slices.</p>` : tables}
</section>`;
}
