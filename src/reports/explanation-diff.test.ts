import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderExplanationDiff } from './explanation-diff.js';
import { loadExplanationDiffInputs } from './load-inputs.js';
import { parseModelExplanation } from './model-explanation.js';
import {
  COMPARISONS,
  explanationFiles,
  readJsonFile,
  reverseKeys,
  rowCells,
  scratchDir,
  setAt,
} from './test-support/report-fixtures.js';

interface Bundle {
  meanAbsAttribution: { feature: string; value: number }[];
}

describe('renderExplanationDiff', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await scratchDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(COMPARISONS)(
    'renders v%s → v%s to the same bytes twice, and whatever the key order',
    async (a, b) => {
      const files = explanationFiles(a, b);
      const first = renderExplanationDiff(await loadExplanationDiffInputs(files));
      expect(renderExplanationDiff(await loadExplanationDiffInputs(files))).toBe(first);
      const reordered = { champion: join(dir, 'e1.json'), challenger: join(dir, 'e2.json') };
      await writeFile(
        reordered.champion,
        JSON.stringify(reverseKeys(await readJsonFile(files.champion)), null, 3),
      );
      await writeFile(
        reordered.challenger,
        JSON.stringify(reverseKeys(await readJsonFile(files.challenger))),
      );
      expect(renderExplanationDiff(await loadExplanationDiffInputs(reordered))).toBe(first);
    },
  );

  it('shows each feature’s rank and mean |attribution| as the bundles state them', async () => {
    const files = explanationFiles('1', '2');
    const report = renderExplanationDiff(await loadExplanationDiffInputs(files));
    const champion = (await readJsonFile(files.champion)) as Bundle;
    const challenger = (await readJsonFile(files.challenger)) as Bundle;
    const after = new Map(
      challenger.meanAbsAttribution.map((a, i) => [a.feature, { value: a.value, rank: i + 1 }]),
    );
    champion.meanAbsAttribution.forEach((a, index) => {
      const cells = rowCells(report, 'ranking', a.feature);
      const now = after.get(a.feature);
      expect(Number(cells[1])).toBe(index + 1);
      expect(Number(cells[2])).toBe(a.value);
      expect(Number(cells[3])).toBe(now?.rank);
      expect(Number(cells[4])).toBe(now?.value);
    });
    expect(rowCells(report, 'ranking', 'duration_in_month').slice(1, 7)).toEqual([
      '6',
      '0.273917',
      '2',
      '0.249603',
      '-0.024314',
      '▲ up 4',
    ]);
    expect(rowCells(report, 'ranking', 'purpose')[6]).toBe('▼ down 3');
  });

  it('lists the features v3 added and removed', async () => {
    const report = renderExplanationDiff(await loadExplanationDiffInputs(explanationFiles('2', '3')));
    expect(report).toContain(
      '<strong>Added</strong> (1): <code>other_debtors_or_guarantors</code> (rank 13)',
    );
    expect(report).toContain(
      '<strong>Removed</strong> (2): <code>foreign_worker</code> (was rank 14), <code>personal_status_and_sex</code> (was rank 13)',
    );
    expect(rowCells(report, 'ranking', 'foreign_worker').slice(1, 7)).toEqual([
      '14',
      '0.037568',
      '—',
      'n/a',
      'n/a',
      'removed',
    ]);
    expect(rowCells(report, 'ranking', 'other_debtors_or_guarantors')[6]).toBe('added');
  });

  it('draws partial dependence for every feature either bundle has it for, on one y scale', async () => {
    const report = renderExplanationDiff(await loadExplanationDiffInputs(explanationFiles('2', '3')));
    const panels = [...report.matchAll(/<figure>\n<h3><code>([^<]+)<\/code><\/h3>/g)].map((m) => m[1]);
    expect(panels).toEqual([
      'status_of_existing_checking_account',
      'duration_in_month',
      'installment_rate_in_percentage_of_disposable_income',
      'credit_amount',
      'savings_account_and_bonds',
    ]);
    expect(report).toContain("The challenger's bundle has no curve for this feature.");
    expect(report).toContain('<li>no checking account</li>');
  });

  it('warns when the bundles explain different datasets', async () => {
    const files = explanationFiles('1', '2');
    const inputs = await loadExplanationDiffInputs(files);
    const moved = setAt(
      await readJsonFile(files.challenger),
      ['datasets', 'evaluation', 'digest'],
      `sha256:${'1'.repeat(64)}`,
    );
    const report = renderExplanationDiff({ ...inputs, challenger: parseModelExplanation(moved, 'x') });
    expect(report).toContain(
      '<p class="warning">The two models were explained on different evaluation datasets',
    );
    expect(renderExplanationDiff(inputs)).not.toContain('class="warning"');
  });
});
