import { html, type SafeHtml, trustedMarkup } from './html.js';

/**
 * The Content-Security-Policy every report carries: nothing may load or run (no scripts, fonts, frames or
 * network requests); only the inline style sheet and `data:` images are allowed.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

// Colours: champion slate, challenger orange; lines and markers also differ (dashed/circle vs solid/square) so the
// charts read in greyscale print. System fonts only: a web font would be a network request.
const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #59636e; --rule: #d6dbe1; --head: #f2f4f7;
  --champion: #4f6b8a; --challenger: #cc5a14; --ok: #1d7a3a; --bad: #b42318; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0 auto; max-width: 1160px; padding: 28px 36px 48px; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; color: var(--muted); margin: 0; }
h1 { font-size: 23px; margin: 2px 0 6px; }
h2 { font-size: 17px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 14px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.note { font-size: 12.5px; color: var(--muted); }
.warning { border-left: 4px solid var(--warn); background: #fff7e6; padding: 8px 12px; margin: 10px 0; }
code, .digest { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
.digest { word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; margin: 6px 0 4px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { background: var(--head); font-weight: 600; border-bottom: 1px solid #aeb6bf; }
th.num, td.num { text-align: right; white-space: nowrap; }
th.span { text-align: center; border-left: 1px solid #aeb6bf; }
th.first, td.first { border-left: 1px solid var(--rule); }
td.rule { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; white-space: nowrap; }
td.num { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
td.name { overflow-wrap: anywhere; }
tr.lead td { font-weight: 600; background: #fafbfc; }
.within { color: var(--ok); }
.outside { color: var(--bad); font-weight: 700; }
.missing { color: var(--warn); font-weight: 700; }
.info { color: var(--muted); }
.nowrap { white-space: nowrap; }
.verdict { display: flex; gap: 18px; align-items: center; border: 1px solid var(--rule); border-radius: 8px; padding: 14px 18px; }
.class-badge { flex: none; width: 84px; height: 84px; border-radius: 8px; color: #fff; display: flex; flex-direction: column;
  align-items: center; justify-content: center; font-weight: 700; }
.class-badge .n { font-size: 38px; line-height: 1; }
.class-badge .label { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; }
.class-1 { background: var(--ok); } .class-2 { background: var(--warn); } .class-3 { background: var(--bad); }
.verdict p { margin: 3px 0; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; }
.card h3 { margin-top: 2px; }
.card.champion { border-top: 5px solid var(--champion); }
.card.challenger { border-top: 5px solid var(--challenger); }
.card dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 3px 12px; margin: 6px 0; font-size: 13px; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 12.5px; margin: 4px 0 8px; align-items: center; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.figure-row { display: grid; grid-template-columns: 390px minmax(0, 1fr); gap: 24px; align-items: start; }
figure { margin: 0; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: var(--muted); }
svg .axis { stroke: #8b95a1; stroke-width: 1; }
svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg .champion { stroke: var(--champion); fill: var(--champion); }
svg .challenger { stroke: var(--challenger); fill: var(--challenger); }
svg .line { fill: none; stroke-width: 2; }
svg .champion.line { stroke-dasharray: 5 3; }
svg .ideal { stroke: #9aa3ad; stroke-dasharray: 2 3; fill: none; }
svg .limit { stroke: var(--ink); stroke-width: 1.5; }
svg .join { stroke: #8b95a1; stroke-width: 2; }
svg .over { fill: var(--bad); }
svg .under { fill: #7f8c99; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 14px 18px; }
.multiples figure { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 10px; }
.multiples h3 { margin: 0 0 4px; font-size: 13px; word-break: break-word; }
.multiples ol { margin: 4px 0 0; padding-left: 20px; font-size: 11.5px; color: var(--muted); }
ul.plain { margin: 4px 0; padding-left: 18px; }
footer { margin-top: 34px; font-size: 12px; color: var(--muted); }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h1 { font-size: 19px; }
  h2 { font-size: 14px; margin-top: 20px; }
  table, .card dl, .note, .legend { font-size: 9.5px; }
  th, td { padding: 2px 4px; }
  td.num, td.rule, code, .digest { font-size: 9px; }
  .figure-row { grid-template-columns: 330px minmax(0, 1fr); }
  .multiples { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  h2 { break-after: avoid; }
  table, figure, .card, .verdict { break-inside: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

/** What every report page needs: its title, the format id (`compare/1`), its body. */
export interface PageContent {
  readonly title: string;
  readonly format: string;
  readonly body: SafeHtml;
}

/**
 * The complete, self-contained document: a strict CSP, UTF-8, an inline style sheet, no script and no
 * reference to anything outside the file, ending with one newline.
 */
export function renderPage(content: PageContent): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trustedMarkup(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="docket report ${content.format}">
<meta name="referrer" content="no-referrer">
<title>${content.title}</title>
<style>${trustedMarkup(STYLE)}</style>
</head>
<body>
${content.body}
</body>
</html>
`;
  return page.markup;
}
