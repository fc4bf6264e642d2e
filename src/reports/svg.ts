import { html, type SafeHtml } from './html.js';
import { coordinate } from './number-format.js';

/** Which model a mark stands for; also its CSS class (colour, dash, marker shape). */
export type Side = 'champion' | 'challenger';

/** Maps a value of the domain to a coordinate. */
export type Scale = (value: number) => number;

/** The linear map of `[d0, d1]` onto `[r0, r1]` (a degenerate domain maps to the middle of the range). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

// Candidate tick steps 1, 2 and 5 × 10^k, parsed from decimal text: Math.log10 and ** are only approximated by
// ECMA-262 (§21.3.2), and a tick that moved by one ulp on another engine would change the report's bytes.
const STEPS: readonly { readonly step: number; readonly decimals: number }[] = Array.from(
  { length: 28 },
  (_, i) => i - 12,
).flatMap((k) => ['1', '2', '5'].map((m) => ({ step: Number(`${m}e${k}`), decimals: Math.max(0, -k) })));

/** Tick values from `min` to `max` on a step of 1, 2 or 5 × 10^k, and the decimals their labels need. */
export function ticks(min: number, max: number, target = 5): { values: number[]; decimals: number } {
  const span = max - min;
  if (!(span > 0)) return { values: [min], decimals: 2 };
  const chosen = STEPS.find((s) => s.step >= span / target);
  // Beyond the table (a hostile 1e300): label the ends only, rather than draw a million ticks.
  if (chosen === undefined) return { values: [min, max], decimals: 0 };
  const { step, decimals } = chosen;
  const values: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i += 1) {
    values.push(Number((i * step).toFixed(decimals + 2)));
  }
  return { values, decimals };
}

/** An `<svg>` with a fixed coordinate system, an accessible name and a title. */
export function svgFigure(width: number, height: number, label: string, body: readonly SafeHtml[]): SafeHtml {
  return html`<svg viewBox="0 0 ${String(width)} ${String(height)}" width="${String(width)}" height="${String(height)}" role="img" aria-label="${label}"><title>${label}</title>${body}</svg>`;
}

/** The `points` attribute of a polyline. */
export function points(list: readonly (readonly [number, number])[]): string {
  return list.map(([x, y]) => `${coordinate(x)},${coordinate(y)}`).join(' ');
}

/** A data marker: a circle for the champion, a square for the challenger (they stay apart in greyscale). */
export function marker(side: Side, x: number, y: number, tooltip: string): SafeHtml {
  if (side === 'champion') {
    return html`<circle class="champion" cx="${coordinate(x)}" cy="${coordinate(y)}" r="3.5"><title>${tooltip}</title></circle>`;
  }
  return html`<rect class="challenger" x="${coordinate(x - 3.5)}" y="${coordinate(y - 3.5)}" width="7" height="7"><title>${tooltip}</title></rect>`;
}

/** A line through `list` in the side's style (dashed for the champion), with markers. */
export function series(
  side: Side,
  list: readonly { readonly x: number; readonly y: number; readonly tooltip: string }[],
): SafeHtml {
  const line =
    list.length > 1
      ? html`<polyline class="${side} line" points="${points(list.map((p) => [p.x, p.y] as const))}"/>`
      : html``;
  return html`${line}${list.map((p) => marker(side, p.x, p.y, p.tooltip))}`;
}

/** Horizontal grid lines and labels of a y axis. */
export function yAxis(scale: Scale, x0: number, x1: number, min: number, max: number): SafeHtml {
  const { values, decimals } = ticks(min, max);
  return html`${values.map(
    (v) =>
      html`<line class="grid" x1="${coordinate(x0)}" x2="${coordinate(x1)}" y1="${coordinate(scale(v))}" y2="${coordinate(scale(v))}"/><text x="${coordinate(x0 - 5)}" y="${coordinate(scale(v) + 3.5)}" text-anchor="end">${v.toFixed(decimals)}</text>`,
  )}`;
}

/** Vertical grid lines and labels of an x axis. */
export function xAxis(scale: Scale, y0: number, y1: number, min: number, max: number): SafeHtml {
  const { values, decimals } = ticks(min, max);
  return html`${values.map(
    (v) =>
      html`<line class="grid" x1="${coordinate(scale(v))}" x2="${coordinate(scale(v))}" y1="${coordinate(y0)}" y2="${coordinate(y1)}"/><text x="${coordinate(scale(v))}" y="${coordinate(y1 + 14)}" text-anchor="middle">${v.toFixed(decimals)}</text>`,
  )}`;
}

/** The legend naming the two models, with the same line and marker styles as the charts. */
export function legend(champion: string, challenger: string): SafeHtml {
  const swatch = (side: Side): SafeHtml =>
    html`<svg viewBox="0 0 30 10" width="30" height="10" aria-hidden="true"><line class="${side} line" x1="0" x2="30" y1="5" y2="5"/>${marker(side, 15, 5, side)}</svg>`;
  return html`<div class="legend"><span>${swatch('champion')}${champion}</span><span>${swatch('challenger')}${challenger}</span></div>`;
}
