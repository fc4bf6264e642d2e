import { changeCell, valueCell } from './cells.js';
import { html, type SafeHtml } from './html.js';
import { coordinate, formatCount } from './number-format.js';
import type { RankChange, RankMovement } from './rank-changes.js';
import { linearScale, marker, type Scale, ticks } from './svg.js';

const CHART_WIDTH = 230;
const ROW_HEIGHT = 16;

const MOVEMENT_CLASS: Readonly<Record<RankMovement, string>> = {
  gained: 'within',
  lost: 'outside',
  unchanged: 'info',
  added: 'missing',
  removed: 'missing',
};

function movementText(change: RankChange): string {
  switch (change.movement) {
    case 'gained':
      return `▲ up ${formatCount(change.places)}`;
    case 'lost':
      return `▼ down ${formatCount(-change.places)}`;
    case 'unchanged':
      return 'same';
    default:
      return change.movement;
  }
}

/** Champion (circle) and challenger (square) on one scale, joined by a line: the dumbbell of one feature. */
function dumbbell(change: RankChange, x: Scale): SafeHtml {
  const y = ROW_HEIGHT / 2;
  const a = change.champion;
  const b = change.challenger;
  const join =
    a !== undefined && b !== undefined
      ? html`<line class="join" x1="${coordinate(x(a.value))}" x2="${coordinate(x(b.value))}" y1="${String(y)}" y2="${String(y)}"/>`
      : html``;
  return html`<svg viewBox="0 0 ${String(CHART_WIDTH)} ${String(ROW_HEIGHT)}" width="${String(CHART_WIDTH)}" height="${String(ROW_HEIGHT)}" aria-hidden="true">${join}${a === undefined ? '' : marker('champion', x(a.value), y, 'champion')}${b === undefined ? '' : marker('challenger', x(b.value), y, 'challenger')}</svg>`;
}

function scaleHeader(max: number): { scale: Scale; header: SafeHtml } {
  const { values, decimals } = ticks(0, max, 4);
  const top = Math.max(max, values[values.length - 1] ?? max);
  const scale = linearScale(0, top, 12, CHART_WIDTH - 12);
  const labels = values.map(
    (v) =>
      html`<line class="axis" x1="${coordinate(scale(v))}" x2="${coordinate(scale(v))}" y1="12" y2="16"/><text x="${coordinate(scale(v))}" y="10" text-anchor="middle">${v.toFixed(decimals)}</text>`,
  );
  const header = html`<svg viewBox="0 0 ${String(CHART_WIDTH)} 16" width="${String(CHART_WIDTH)}" height="16" aria-hidden="true">${labels}</svg>`;
  return { scale, header };
}

/** The ranking table: ranks and mean |attribution| of both models, the movement, and the dumbbell chart. */
export function rankingTable(changes: readonly RankChange[], units: string): SafeHtml {
  const max = Math.max(1e-9, ...changes.flatMap((c) => [c.champion?.value ?? 0, c.challenger?.value ?? 0]));
  const { scale, header } = scaleHeader(max);
  const rank = (value: number | undefined): SafeHtml =>
    html`<td class="num">${value === undefined ? '—' : formatCount(value)}</td>`;
  const rows = changes.map(
    (c) => html`<tr>
<td class="name"><code>${c.feature}</code></td>${rank(c.champion?.rank)}${valueCell(c.champion?.value)}${rank(c.challenger?.rank)}${valueCell(c.challenger?.value)}${changeCell(c.challenger?.value, c.champion?.value)}<td class="${MOVEMENT_CLASS[c.movement]} nowrap">${movementText(c)}</td><td>${dumbbell(c, scale)}</td>
</tr>`,
  );
  return html`<table>
<thead>
<tr><th rowspan="2">feature</th><th class="span" colspan="2">champion</th><th class="span" colspan="2">challenger</th><th class="num" rowspan="2">change</th><th rowspan="2">rank</th><th>mean |attribution| (${units})</th></tr>
<tr><th class="num first">rank</th><th class="num">mean |attr.|</th><th class="num first">rank</th><th class="num">mean |attr.|</th><th>${header}</th></tr>
</thead>
<tbody>
${rows}
</tbody>
</table>`;
}
