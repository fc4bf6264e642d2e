import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyChange } from '../approvals/classifier/index.js';
import { isDocketError } from '../errors/index.js';
import { renderComparisonReport } from './comparison-report.js';
import { REPORT_ERRORS } from './errors.js';
import { loadComparisonInputs } from './load-inputs.js';
import { parseModelMetrics } from './model-metrics.js';
import { parsePsiTable } from './psi-table.js';
import {
  COMPARISONS,
  comparisonFiles,
  readJsonFile,
  reorderedComparisonFiles,
  rowCells,
  scratchDir,
  setAt,
} from './test-support/report-fixtures.js';

describe('renderComparisonReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await scratchDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(COMPARISONS)(
    'renders v%s → v%s to the same bytes twice, and whatever the inputs’ key order',
    async (a, b) => {
      const inputs = await loadComparisonInputs(comparisonFiles(a, b));
      const first = renderComparisonReport(inputs);
      expect(renderComparisonReport(await loadComparisonInputs(comparisonFiles(a, b)))).toBe(first);
      const reordered = await reorderedComparisonFiles(comparisonFiles(a, b), dir);
      const again = await loadComparisonInputs(reordered);
      expect(renderComparisonReport(again)).toBe(first);
      expect(renderComparisonReport(again)).toBe(first);
    },
  );

  it('shows the classification classifyChange computes, with the policy digest', async () => {
    for (const [a, b] of COMPARISONS) {
      const inputs = await loadComparisonInputs(comparisonFiles(a, b));
      const verdict = classifyChange(inputs.manifest, inputs.policy.policy);
      const report = renderComparisonReport(inputs);
      expect(verdict.policyDigest).toBe(inputs.policy.digest);
      expect(report).toContain(`<span class="n">${verdict.class}</span>`);
      expect(report).toContain(`digest <span class="digest">${inputs.policy.digest}</span>`);
      for (const reason of verdict.reasons) expect(report).toContain(`<td class="rule">${reason.rule}</td>`);
    }
    const v12 = renderComparisonReport(await loadComparisonInputs(comparisonFiles('1', '2')));
    expect(v12).toContain('Class 2: same features, but population shift or drift outside the envelope');
    expect(rowCells(v12, 'classification', '1').slice(1, 6)).toEqual([
      'score-psi-exceeded',
      'score',
      '0.274685',
      '0.100000',
      '2',
    ]);
    const v23 = renderComparisonReport(await loadComparisonInputs(comparisonFiles('2', '3')));
    expect(v23).toContain('Class 3: feature-set change, objective change or new data source');
  });

  it('shows each metric as the inputs state it: champion, challenger, exact change, allowed, status', async () => {
    const files = comparisonFiles('1', '2');
    const report = renderComparisonReport(await loadComparisonInputs(files));
    const manifest = (await readJsonFile(files.manifest)) as {
      comparison: { metrics: Record<string, { champion: number; challenger: number }> };
    };
    for (const [name, values] of Object.entries(manifest.comparison.metrics)) {
      const [, , champion, challenger, change] = rowCells(report, 'metrics', name);
      expect(Number(champion)).toBe(values.champion);
      expect(Number(challenger)).toBe(values.challenger);
      expect(Number(change)).toBeCloseTo(values.challenger - values.champion, 12);
      expect(change).toMatch(/^[+-]?[0-9]+\.[0-9]{6}$/);
    }
    expect(rowCells(report, 'metrics', 'auc')).toEqual([
      'auc',
      'higher',
      '0.784339',
      '0.785132',
      '+0.000793',
      'change ≥ -0.010000; |change| ≤ 0.050000',
      'within',
    ]);
    expect(rowCells(report, 'metrics', 'brier').slice(4)).toEqual([
      '-0.002042',
      'change ≤ +0.005000',
      'within',
    ]);
    expect(rowCells(report, 'metrics', 'log_loss').slice(5)).toEqual(['—', 'no limit']);
  });

  it('shows each PSI against its limit, the score first', async () => {
    const files = comparisonFiles('2', '3');
    const report = renderComparisonReport(await loadComparisonInputs(files));
    const psi = (await readJsonFile(files.psi)) as {
      features: Record<string, { psi: number }>;
      score: { psi: number };
    };
    expect(rowCells(report, 'psi', 'score').slice(1, 4)).toEqual([
      'both models',
      String(psi.score.psi),
      '0.100000',
    ]);
    expect(rowCells(report, 'psi', 'score')[5]).toBe('within');
    for (const [name, entry] of Object.entries(psi.features)) {
      expect(Number(rowCells(report, 'psi', name)[2])).toBe(entry.psi);
    }
    expect(rowCells(report, 'psi', 'foreign_worker')).toEqual([
      'foreign_worker',
      'champion only (removed)',
      '0.000793',
      'n/a',
      '',
      'not checked',
    ]);
    expect(rowCells(report, 'psi', 'other_debtors_or_guarantors').slice(1, 2)).toEqual([
      'challenger only (added)',
    ]);
    expect(rowCells(report, 'psi', 'score')).toBeDefined();
    const v12 = renderComparisonReport(await loadComparisonInputs(comparisonFiles('1', '2')));
    expect(rowCells(v12, 'psi', 'score')[5]).toBe('OUTSIDE');
    expect(v12.indexOf('<td class="name">score</td>')).toBeLessThan(
      v12.indexOf('<code>purpose</code></td><td>both'),
    );
  });

  it('shows calibration and segment values as the metrics snapshots state them', async () => {
    const files = comparisonFiles('1', '2');
    const report = renderComparisonReport(await loadComparisonInputs(files));
    const champion = (await readJsonFile(files.championMetrics)) as {
      calibration: { deciles: { decile: number; meanScore: number; observedBadRate: number }[] };
      segments: Record<string, { segment: string; n: number; auc: number }[]>;
    };
    for (const decile of champion.calibration.deciles) {
      const cells = rowCells(report, 'calibration', String(decile.decile));
      expect(Number(cells[2])).toBe(decile.meanScore);
      expect(Number(cells[3])).toBe(decile.observedBadRate);
    }
    const youngest = champion.segments.age_band?.[0];
    expect(youngest?.segment).toBe('<25');
    const cells = rowCells(report, 'segments', '<25');
    expect(Number(cells[1])).toBe(youngest?.n);
    expect(Number(cells[3])).toBe(youngest?.auc);
    expect(rowCells(report, 'segments', 'no †')[1]).toBe('10');
  });

  it('refuses inputs that describe different comparisons, naming both places', async () => {
    const files = comparisonFiles('1', '2');
    const inputs = await loadComparisonInputs(files);
    const other = await loadComparisonInputs(comparisonFiles('2', '3'));
    const cases: [string, () => unknown, string, string][] = [
      [
        'metrics of another model version',
        () => renderComparisonReport({ ...inputs, challengerMetrics: other.challengerMetrics }),
        files.challengerMetrics,
        '/version',
      ],
      [
        'a PSI table of another comparison',
        () => renderComparisonReport({ ...inputs, psi: other.psi }),
        files.psi,
        '/champion',
      ],
    ];
    const champion = await readJsonFile(files.championMetrics);
    const psi = await readJsonFile(files.psi);
    cases.push([
      'a metric value that differs from the manifest',
      () =>
        renderComparisonReport({
          ...inputs,
          championMetrics: parseModelMetrics(setAt(champion, ['metrics', 'auc'], 0.9), files.championMetrics),
        }),
      files.championMetrics,
      '/metrics/auc',
    ]);
    cases.push([
      'a feature PSI that differs from the manifest',
      () =>
        renderComparisonReport({
          ...inputs,
          psi: parsePsiTable(setAt(psi, ['features', 'purpose', 'psi'], 0.01), files.psi),
        }),
      files.psi,
      '/features/purpose/psi',
    ]);
    cases.push([
      'a score PSI that differs from the manifest',
      () =>
        renderComparisonReport({
          ...inputs,
          psi: parsePsiTable(setAt(psi, ['score', 'psi'], 0.01), files.psi),
        }),
      files.psi,
      '/score/psi',
    ]);
    cases.push([
      'another evaluation dataset',
      () =>
        renderComparisonReport({
          ...inputs,
          championMetrics: parseModelMetrics(
            setAt(champion, ['evaluation', 'dataset'], `sha256:${'0'.repeat(64)}`),
            files.championMetrics,
          ),
        }),
      files.championMetrics,
      '/evaluation/dataset',
    ]);
    for (const [name, render, file, field] of cases) {
      let thrown: unknown;
      try {
        render();
      } catch (err) {
        thrown = err;
      }
      expect(isDocketError(thrown, REPORT_ERRORS.INPUTS_INCONSISTENT), name).toBe(true);
      if (isDocketError(thrown)) {
        expect(thrown.details, name).toMatchObject({ file, field });
        expect(thrown.message, name).toContain(file);
      }
    }
  });
});
