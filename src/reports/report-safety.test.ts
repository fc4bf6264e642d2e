import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseChangeManifest } from '../approvals/change-manifest/index.js';
import { loadPolicy } from '../approvals/policy/index.js';
import { renderComparisonReport } from './comparison-report.js';
import { renderExplanationDiff } from './explanation-diff.js';
import { escapeHtml } from './html.js';
import { loadComparisonInputs, loadExplanationDiffInputs } from './load-inputs.js';
import { parseModelExplanation } from './model-explanation.js';
import { parseModelMetrics } from './model-metrics.js';
import { REPORT_CSP } from './page.js';
import { parsePsiTable } from './psi-table.js';
import {
  COMPARISONS,
  comparisonFiles,
  explanationFiles,
  readJsonFile,
  renameEverywhere,
} from './test-support/report-fixtures.js';

// Names an attacker controls through the pipeline's inputs: each must reach the page as text, never as markup.
const HOSTILE: readonly [string, string][] = [
  ['purpose', '<script>alert("purpose")</script>'],
  ['credit-decisioning', '"><img src=x onerror=alert(1)>'],
  ['gini', "<b onmouseover='x'>gini&amp;"],
  ['no checking account', '</text><script>alert(2)</script>'],
  ['business', '<style>body{background:url(http://evil.example/)}</style>'],
  ['uci-statlog-german-credit/germancredit.csv', '<a href="javascript:alert(3)">source</a>'],
  ['age_band', '<iframe src="https://evil.example/"></iframe>'],
];

function hostile(value: unknown): unknown {
  return HOSTILE.reduce((v, [from, to]) => renameEverywhere(v, from, to), value);
}

const TAGS = new Set(
  (
    'html head meta title style body header section footer h1 h2 h3 p strong code span div ul ol li dl dt dd br ' +
    'table thead tbody tr th td figure figcaption svg line rect circle polyline text'
  ).split(' '),
);
const ATTRIBUTES = new Set(
  (
    'id lang charset http-equiv content name class viewBox width height role aria-label aria-hidden x y x1 x2 y1 y2 ' +
    'cx cy r points text-anchor transform rowspan colspan title'
  ).split(' '),
);

/** Every tag and attribute in the markup is one the renderers write; nothing loads, links or runs. */
function expectOnlyOwnMarkup(markup: string): void {
  const body = markup.replace(/^<!DOCTYPE html>\n/, '');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const [, , tag = '', rest = ''] = match;
    expect(TAGS.has(tag), `tag <${tag}>`).toBe(true);
    // Every attribute is name="value" with the value escaped (no quote can end it early).
    expect(rest, `attributes of <${tag}>`).toMatch(/^(\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*")*\s*\/?$/);
    for (const attribute of rest.matchAll(/\s([a-zA-Z-]+)="/g)) {
      expect(ATTRIBUTES.has(attribute[1] ?? ''), `attribute ${attribute[1]} on <${tag}>`).toBe(true);
    }
    expect(rest).not.toMatch(/url\(|javascript:|\/\//i);
  }
  expect(markup.match(/<script/gi)).toBeNull();
  expect(markup.match(/<style>/g)).toHaveLength(1);
  const style = markup.slice(markup.indexOf('<style>'), markup.indexOf('</style>'));
  expect(style).not.toMatch(/url\(|@import|http/i);
  const head = markup.slice(0, markup.indexOf('</head>'));
  expect(head).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  expect(head.indexOf('Content-Security-Policy')).toBeLessThan(head.indexOf('<style>'));
}

describe('report safety', () => {
  it.each(COMPARISONS)('the v%s → v%s reports reference nothing outside themselves', async (a, b) => {
    const compare = renderComparisonReport(await loadComparisonInputs(comparisonFiles(a, b)));
    const diff = renderExplanationDiff(await loadExplanationDiffInputs(explanationFiles(a, b)));
    for (const markup of [compare, diff]) {
      expectOnlyOwnMarkup(markup);
      expect(markup).not.toMatch(/https?:|src=|href=|@import|url\(/i);
      expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    }
  });

  it('shows hostile names in the comparison as text', async () => {
    const files = comparisonFiles('1', '2');
    const inputs = await loadComparisonInputs(files);
    const report = renderComparisonReport({
      ...inputs,
      championMetrics: parseModelMetrics(hostile(await readJsonFile(files.championMetrics)), 'a'),
      challengerMetrics: parseModelMetrics(hostile(await readJsonFile(files.challengerMetrics)), 'b'),
      psi: parsePsiTable(hostile(await readJsonFile(files.psi)), 'c'),
      manifest: parseChangeManifest(hostile(await readJsonFile(files.manifest))),
      policy: loadPolicy(await readFile(files.policy, 'utf8')),
    });
    expectOnlyOwnMarkup(report);
    for (const [from, to] of HOSTILE) {
      // A partial dependence level (explanation diff only) and a bin of a feature within its limit (bins not shown).
      if (from === 'no checking account' || from === 'business') continue;
      expect(report, to).toContain(escapeHtml(to));
    }
  });

  it('shows hostile names in the explanation diff as text, in tables and inside SVG', async () => {
    const files = explanationFiles('1', '2');
    const report = renderExplanationDiff({
      champion: parseModelExplanation(hostile(await readJsonFile(files.champion)), 'a'),
      challenger: parseModelExplanation(hostile(await readJsonFile(files.challenger)), 'b'),
    });
    expectOnlyOwnMarkup(report);
    expect(report).toContain(escapeHtml('<script>alert("purpose")</script>'));
    expect(report).toContain(escapeHtml('</text><script>alert(2)</script>'));
    expect(report).toContain(
      `<title>${escapeHtml('Partial dependence of the score on <script>alert("purpose")</script>')}</title>`,
    );
  });
});
