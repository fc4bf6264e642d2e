import { countCell, NOT_AVAILABLE, statusCell, valueCell } from './cells.js';
import type { PsiRow } from './comparison-rows.js';
import { html, type SafeHtml } from './html.js';
import { coordinate, formatDecimal } from './number-format.js';
import type { PsiEntry, PsiTable } from './psi-table.js';
import { linearScale, type Side } from './svg.js';

const BAR_WIDTH = 160;
const BAR_HEIGHT = 14;

/** A PSI as a bar against its limit (a black tick), on a scale shared by every row. */
function psiBar(row: PsiRow, max: number): SafeHtml {
  const x = linearScale(0, max, 1, BAR_WIDTH - 1);
  const over = row.status === 'outside';
  const bar =
    row.psi === null
      ? html``
      : html`<rect class="${over ? 'over' : 'under'}" x="1" y="3" width="${coordinate(Math.max(0, x(row.psi) - 1))}" height="8"/>`;
  const limit =
    row.limit === undefined
      ? html``
      : html`<line class="limit" x1="${coordinate(x(row.limit))}" x2="${coordinate(x(row.limit))}" y1="0" y2="${String(BAR_HEIGHT)}"/>`;
  const label = `PSI ${row.psi === null ? NOT_AVAILABLE : formatDecimal(row.psi)}${row.limit === undefined ? '' : `, limit ${formatDecimal(row.limit)}`}`;
  return html`<svg viewBox="0 0 ${String(BAR_WIDTH)} ${String(BAR_HEIGHT)}" width="${String(BAR_WIDTH)}" height="${String(BAR_HEIGHT)}" role="img" aria-label="${label}"><line class="grid" x1="1" x2="1" y1="0" y2="${String(BAR_HEIGHT)}"/>${bar}${limit}</svg>`;
}

function usedBy(row: PsiRow): string {
  if (row.isScore) return 'both models';
  if (row.inChampion && row.inChallenger) return 'both';
  if (row.inChallenger) return 'challenger only (added)';
  return row.inChampion ? 'champion only (removed)' : 'neither';
}

function shareBars(referenceShare: number, targetShare: number, max: number): SafeHtml {
  const x = linearScale(0, max, 0, BAR_WIDTH);
  const bar = (side: Side, share: number, y: number): SafeHtml =>
    html`<rect class="${side}" x="0" y="${String(y)}" width="${coordinate(x(share))}" height="6"/>`;
  return html`<svg viewBox="0 0 ${String(BAR_WIDTH)} 16" width="${String(BAR_WIDTH)}" height="16" aria-hidden="true">${bar('champion', referenceShare, 1)}${bar('challenger', targetShare, 9)}</svg>`;
}

/** Every bin of one PSI computation: counts, shares, contribution, and the two shares as bars. */
export function binsTable(title: string, entry: PsiEntry): SafeHtml {
  const max = Math.max(0.0001, ...entry.bins.flatMap((b) => [b.referenceShare, b.targetShare]));
  const rows = entry.bins.map(
    (b) => html`<tr>
<td class="name">${b.bin}</td>${countCell(b.reference)}${valueCell(b.referenceShare)}${countCell(b.target)}${valueCell(b.targetShare)}${valueCell(b.contribution)}<td>${shareBars(b.referenceShare, b.targetShare, max)}</td>
</tr>`,
  );
  return html`<h3>${title}</h3>
<p class="note">PSI ${entry.psi === null ? NOT_AVAILABLE : formatDecimal(entry.psi)}; bins: ${entry.binning}. Bars: reference share (upper, slate), target share (lower, orange).</p>
<table>
<thead><tr><th>bin</th><th class="num">reference n</th><th class="num">reference share</th><th class="num">target n</th><th class="num">target share</th><th class="num">contribution</th><th>shares</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** PSI of the score and of every feature against its limit, then the bins of the score and of any feature over it. */
export function psiSection(rows: readonly PsiRow[], psi: PsiTable): SafeHtml {
  const max = Math.max(0.0001, ...rows.flatMap((r) => [r.psi ?? 0, r.limit ?? 0])) * 1.08;
  const body = rows.map(
    (row) => html`<tr${row.isScore ? html` class="lead"` : html``}>
<td class="name">${row.isScore ? 'score' : html`<code>${row.name}</code>`}</td><td>${usedBy(row)}</td>${valueCell(row.psi)}${valueCell(row.limit)}<td>${psiBar(row, max)}</td>${statusCell(row.status)}
</tr>`,
  );
  const decomposition =
    psi.scoreDecomposition.length === 0
      ? html``
      : html`<p class="note">For information, the score PSI split in two: ${psi.scoreDecomposition.map(
          (part, index) =>
            html`${index === 0 ? '' : '; '}${part.what}: ${part.psi === null ? NOT_AVAILABLE : formatDecimal(part.psi)}`,
        )}.</p>`;
  const overLimit = rows.filter((r) => !r.isScore && r.status === 'outside' && r.entry !== undefined);
  return html`<section id="psi">
<h2>Population stability (PSI)</h2>
<p class="note">Reference: ${psi.reference}<br>Target: ${psi.target}<br>A limit applies to the score and to every challenger feature; exactly at the limit is within.</p>
<table>
<thead><tr><th>feature</th><th>used by</th><th class="num">PSI</th><th class="num">limit</th><th>PSI against limit</th><th>status</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
${decomposition}
${binsTable('Score distribution', psi.score)}
${overLimit.map((row) => (row.entry === undefined ? html`` : binsTable(`Feature over its limit: ${row.name}`, row.entry)))}
</section>`;
}
