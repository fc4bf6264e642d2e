import { countCell, valueCell } from './cells.js';
import { html, type SafeHtml } from './html.js';
import type { CalibrationGroup, ModelMetrics } from './model-metrics.js';
import { coordinate, formatCount, formatDecimal } from './number-format.js';
import { legend, linearScale, type Side, series, svgFigure, xAxis, yAxis } from './svg.js';

const WIDTH = 380;
const HEIGHT = 360;
const LEFT = 50;
const RIGHT = 14;
const TOP = 12;
const BOTTOM = 46;

/** Reliability curve: each score group's mean predicted probability against its observed bad rate. */
export function reliabilityChart(
  groups: Readonly<Record<Side, readonly CalibrationGroup[]>>,
  label: string,
): SafeHtml {
  const x = linearScale(0, 1, LEFT, WIDTH - RIGHT);
  const y = linearScale(0, 1, HEIGHT - BOTTOM, TOP);
  const line = (side: Side): SafeHtml =>
    series(
      side,
      groups[side].map((g) => ({
        x: x(g.meanScore),
        y: y(g.observedBadRate),
        tooltip: `${side} group ${formatCount(g.group)}: mean score ${formatDecimal(g.meanScore)}, observed ${formatDecimal(g.observedBadRate)}`,
      })),
    );
  return svgFigure(WIDTH, HEIGHT, label, [
    yAxis(y, LEFT, WIDTH - RIGHT, 0, 1),
    xAxis(x, TOP, HEIGHT - BOTTOM, 0, 1),
    html`<line class="axis" x1="${String(LEFT)}" x2="${String(LEFT)}" y1="${String(TOP)}" y2="${String(HEIGHT - BOTTOM)}"/>`,
    html`<line class="axis" x1="${String(LEFT)}" x2="${String(WIDTH - RIGHT)}" y1="${String(HEIGHT - BOTTOM)}" y2="${String(HEIGHT - BOTTOM)}"/>`,
    html`<line class="ideal" x1="${coordinate(x(0))}" y1="${coordinate(y(0))}" x2="${coordinate(x(1))}" y2="${coordinate(y(1))}"/>`,
    // The challenger first: the champion's smaller circles stay visible on top of its squares.
    line('challenger'),
    line('champion'),
    html`<text x="${coordinate((LEFT + WIDTH - RIGHT) / 2)}" y="${String(HEIGHT - 8)}" text-anchor="middle">mean predicted probability of bad</text>`,
    html`<text transform="translate(13 ${coordinate((TOP + HEIGHT - BOTTOM) / 2)}) rotate(-90)" text-anchor="middle">observed bad rate</text>`,
  ]);
}

/** Calibration by score group, both models: the reliability curve and its table. */
export function calibrationSection(champion: ModelMetrics, challenger: ModelMetrics): SafeHtml {
  const ours = champion.calibration?.groups ?? [];
  const theirs = challenger.calibration?.groups ?? [];
  if (ours.length === 0 && theirs.length === 0) {
    return html`<section id="calibration">
<h2>Calibration</h2>
<p class="note">Neither metrics snapshot holds a calibration table.</p>
</section>`;
  }
  const numbers = [...new Set([...ours, ...theirs].map((g) => g.group))].sort((a, b) => a - b);
  const byGroup = (list: readonly CalibrationGroup[], n: number) => list.find((g) => g.group === n);
  const rows = numbers.map((n) => {
    const a = byGroup(ours, n);
    const b = byGroup(theirs, n);
    return html`<tr>
<td class="num">${formatCount(n)}</td>${countCell(a?.n ?? b?.n ?? 0)}${valueCell(a?.meanScore, 'first')}${valueCell(a?.observedBadRate)}${valueCell(b?.meanScore, 'first')}${valueCell(b?.observedBadRate)}
</tr>`;
  });
  const method = champion.calibration?.method ?? challenger.calibration?.method ?? '';
  const label = `Reliability curve: champion version ${champion.version} and challenger version ${challenger.version}`;
  return html`<section id="calibration">
<h2>Calibration</h2>
${legend(`champion v${champion.version}`, `challenger v${challenger.version}`)}
<div class="figure-row">
<figure>${reliabilityChart({ champion: ours, challenger: theirs }, label)}<figcaption>Score groups: ${method}. On the dotted diagonal, the predicted probability equals the observed bad rate.</figcaption></figure>
<table>
<thead>
<tr><th class="num" rowspan="2">group</th><th class="num" rowspan="2">n</th><th class="span" colspan="2">champion</th><th class="span" colspan="2">challenger</th></tr>
<tr><th class="num first">mean score</th><th class="num">observed</th><th class="num first">mean score</th><th class="num">observed</th></tr>
</thead>
<tbody>
${rows}
</tbody>
</table>
</div>
</section>`;
}
