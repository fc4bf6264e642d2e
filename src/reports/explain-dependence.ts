import { compareText } from './compare-text.js';
import { html, type SafeHtml } from './html.js';
import type { DependencePoint, ModelExplanation, PartialDependence } from './model-explanation.js';
import { coordinate, formatCount, formatDecimal } from './number-format.js';
import type { RankChange } from './rank-changes.js';
import { linearScale, type Scale, type Side, series, svgFigure, xAxis, yAxis } from './svg.js';

const WIDTH = 290;
const HEIGHT = 190;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 34;

interface Curves {
  readonly feature: string;
  readonly champion?: PartialDependence;
  readonly challenger?: PartialDependence;
}

function valueLabel(value: string | number): string {
  return typeof value === 'number' ? formatDecimal(value, 0) : value;
}

// Categorical levels in the champion's order, then the challenger's new ones; numeric values by value.
function categories(curves: Curves): string[] {
  const seen: string[] = [];
  for (const curve of [curves.champion, curves.challenger]) {
    for (const p of curve?.points ?? []) {
      const label = valueLabel(p.value);
      if (!seen.includes(label)) seen.push(label);
    }
  }
  return seen;
}

function isNumeric(curves: Curves): boolean {
  return [curves.champion, curves.challenger].every((c) => c === undefined || c.kind === 'numeric');
}

function smallMultiple(
  curves: Curves,
  yDomain: readonly [number, number],
  names: Record<Side, string>,
): SafeHtml {
  const y = linearScale(yDomain[0], yDomain[1], HEIGHT - BOTTOM, TOP);
  const numeric = isNumeric(curves);
  const levels = numeric ? [] : categories(curves);
  const all = [curves.champion, curves.challenger].flatMap((c) => c?.points ?? []);
  const values = all.map((p) => p.value).filter((v): v is number => typeof v === 'number');
  const lo = numeric ? Math.min(...values) : 0;
  const hi = numeric ? Math.max(...values) : Math.max(1, levels.length - 1);
  const x: Scale = numeric
    ? linearScale(lo, hi, LEFT + 6, WIDTH - RIGHT - 6)
    : linearScale(0, Math.max(1, levels.length - 1), LEFT + 12, WIDTH - RIGHT - 12);
  const position = (p: DependencePoint): number =>
    numeric ? x(p.value as number) : x(levels.indexOf(valueLabel(p.value)));
  const line = (side: Side): SafeHtml => {
    const curve = curves[side];
    if (curve === undefined) return html``;
    return series(
      side,
      curve.points.map((p) => ({
        x: position(p),
        y: y(p.meanScore),
        tooltip: `${names[side]}: ${valueLabel(p.value)} → ${formatDecimal(p.meanScore)}`,
      })),
    );
  };
  const xLabels = numeric
    ? xAxis(x, TOP, HEIGHT - BOTTOM, lo, hi)
    : html`${levels.map(
        (_, i) =>
          html`<text x="${coordinate(x(i))}" y="${String(HEIGHT - BOTTOM + 14)}" text-anchor="middle">${formatCount(i + 1)}</text>`,
      )}`;
  const missing = (['champion', 'challenger'] as const)
    .filter((side) => curves[side] === undefined)
    .map((side) => html`<p class="note">The ${side}'s bundle has no curve for this feature.</p>`);
  const legendList = numeric ? html`` : html`<ol>${levels.map((level) => html`<li>${level}</li>`)}</ol>`;
  const svg = svgFigure(WIDTH, HEIGHT, `Partial dependence of the score on ${curves.feature}`, [
    yAxis(y, LEFT, WIDTH - RIGHT, yDomain[0], yDomain[1]),
    html`<line class="axis" x1="${String(LEFT)}" x2="${String(WIDTH - RIGHT)}" y1="${String(HEIGHT - BOTTOM)}" y2="${String(HEIGHT - BOTTOM)}"/>`,
    xLabels,
    // The challenger first: the champion's smaller circles stay visible on top of its squares.
    line('challenger'),
    line('champion'),
    html`<text x="${coordinate((LEFT + WIDTH - RIGHT) / 2)}" y="${String(HEIGHT - 4)}" text-anchor="middle">${numeric ? 'feature value' : 'level (listed below)'}</text>`,
  ]);
  return html`<figure>
<h3><code>${curves.feature}</code></h3>
${svg}${missing}${legendList}
</figure>`;
}

/**
 * Partial dependence small multiples, one per feature either bundle computed it for, ordered by the best rank
 * the feature holds in either model; every panel shares one y scale so that slopes compare across panels.
 */
export function dependenceSection(
  champion: ModelExplanation,
  challenger: ModelExplanation,
  changes: readonly RankChange[],
  names: Record<Side, string>,
): SafeHtml {
  const ours = new Map(champion.partialDependence.map((d) => [d.feature, d]));
  const theirs = new Map(challenger.partialDependence.map((d) => [d.feature, d]));
  const bestRank = new Map(
    changes.map((c) => [c.feature, Math.min(c.champion?.rank ?? Infinity, c.challenger?.rank ?? Infinity)]),
  );
  const features = [...new Set([...ours.keys(), ...theirs.keys()])].sort(
    (a, b) => (bestRank.get(a) ?? Infinity) - (bestRank.get(b) ?? Infinity) || compareText(a, b),
  );
  if (features.length === 0) {
    return html`<section id="partial-dependence"><h2>Partial dependence</h2><p class="note">Neither bundle holds partial dependence curves.</p></section>`;
  }
  const scores = [...ours.values(), ...theirs.values()].flatMap((d) => d.points.map((p) => p.meanScore));
  const low = Math.floor(Math.min(...scores) * 10) / 10;
  const high = Math.max(low + 0.1, Math.ceil(Math.max(...scores) * 10) / 10);
  const panels = features.map((feature) => {
    const a = ours.get(feature);
    const b = theirs.get(feature);
    return smallMultiple(
      { feature, ...(a === undefined ? {} : { champion: a }), ...(b === undefined ? {} : { challenger: b }) },
      [low, high],
      names,
    );
  });
  const method = champion.partialDependenceMethod ?? challenger.partialDependenceMethod;
  return html`<section id="partial-dependence">
<h2>Partial dependence of the score on the top features</h2>
<p class="note">${method === undefined ? '' : `Method: ${method}. `}The y axis (mean predicted probability) is the same in every panel.</p>
<div class="multiples">
${panels}
</div>
</section>`;
}
