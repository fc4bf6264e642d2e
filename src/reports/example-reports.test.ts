import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderComparisonReport } from './comparison-report.js';
import { renderExplanationDiff } from './explanation-diff.js';
import { loadComparisonInputs, loadExplanationDiffInputs } from './load-inputs.js';
import { comparisonFiles, EXAMPLE_REPORTS, explanationFiles } from './test-support/report-fixtures.js';
import { reportBytes } from './write-report.js';

// Golden digests of the reports rendered from the committed example (examples/credit-decisioning/artefacts and
// examples/policies/credit-risk.yaml). A promotion event cites a report by exactly this digest, so it must not move
// by accident: a new Node or V8, another machine, locale or time zone, or another key order in the inputs must
// give the same bytes. A deliberate change of what a report shows or how (a new section, other CSS, other number
// spelling) must update these digests, bump COMPARISON_REPORT_FORMAT / EXPLANATION_DIFF_FORMAT when the change is
// more than cosmetic, and re-render the committed copies in examples/credit-decisioning/reports/:
//   npm run build && A=examples/credit-decisioning/artefacts R=examples/credit-decisioning/reports
//   node bin/docket.js report compare --champion-metrics $A/models/v1/metrics.json \
//     --challenger-metrics $A/models/v2/metrics.json --comparison-dir $A/comparisons/v1-v2 \
//     --policy examples/policies/credit-risk.yaml -o $R/v1-v2-compare.html
//   node bin/docket.js report explain-diff --champion $A/models/v1/explanation.json \
//     --challenger $A/models/v2/explanation.json -o $R/v1-v2-explain-diff.html
//   (and the same for v2 → v3)
const GOLDEN = {
  'v1-v2-compare.html': 'sha256:7ba51724b3c81eaf6a0c934c539a5b151141084a65b96d1ad09960c29009d9cb',
  'v1-v2-explain-diff.html': 'sha256:aadc05a0a9f1bae8e12d7c927c4998c089ed55a8bf75437b874e788e303b5fa1',
  'v2-v3-compare.html': 'sha256:15fa3d3ec6ca79b4d6073cb1fe955900ff0092b101301fbd3d74ea8deff57ad2',
  'v2-v3-explain-diff.html': 'sha256:db75f82f540bb4c394899d6070aac560582bc5d7e5cfb71143e213faea011b47',
} as const;

async function renderExample(name: keyof typeof GOLDEN): Promise<string> {
  const [, champion = '', challenger = '', kind] =
    /^v(\d)-v(\d)-(compare|explain-diff)\.html$/.exec(name) ?? [];
  return kind === 'compare'
    ? renderComparisonReport(await loadComparisonInputs(comparisonFiles(champion, challenger)))
    : renderExplanationDiff(await loadExplanationDiffInputs(explanationFiles(champion, challenger)));
}

describe('the example reports', () => {
  it.each(Object.keys(GOLDEN) as (keyof typeof GOLDEN)[])('%s renders to its golden digest', async (name) => {
    expect(reportBytes(await renderExample(name)).digest).toBe(GOLDEN[name]);
  });

  it.each(Object.keys(GOLDEN) as (keyof typeof GOLDEN)[])(
    'the committed examples/credit-decisioning/reports/%s is what the renderer writes',
    async (name) => {
      const committed = new Uint8Array(await readFile(join(EXAMPLE_REPORTS, name)));
      expect(Buffer.from(committed).toString('utf8')).toBe(await renderExample(name));
      expect(reportBytes(Buffer.from(committed).toString('utf8')).digest).toBe(GOLDEN[name]);
    },
  );

  it('are small', async () => {
    for (const name of Object.keys(GOLDEN) as (keyof typeof GOLDEN)[]) {
      expect((await renderExample(name)).length).toBeLessThan(64 * 1024);
    }
  });
});
