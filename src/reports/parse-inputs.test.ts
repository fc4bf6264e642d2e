import { describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { REPORT_ERRORS } from './errors.js';
import { parseModelExplanation } from './model-explanation.js';
import { parseModelMetrics } from './model-metrics.js';
import { parsePsiTable } from './psi-table.js';
import { comparisonFiles, explanationFiles, readJsonFile, setAt } from './test-support/report-fixtures.js';

type Parser = (value: unknown, file: string) => unknown;

function refusal(
  parse: Parser,
  value: unknown,
  file = 'input.json',
): { code: string; field: unknown; message: string } {
  try {
    parse(value, file);
  } catch (err) {
    if (!isDocketError(err)) throw err;
    return { code: err.code, field: err.details.field, message: err.message };
  }
  throw new Error('expected a refusal');
}

const metricsFile = comparisonFiles('1', '2').championMetrics;
const psiFile = comparisonFiles('1', '2').psi;
const explanationFile = explanationFiles('1', '2').champion;

describe('parseModelMetrics', () => {
  it('reads the example snapshot, sorted by name where the order is not data', async () => {
    const metrics = parseModelMetrics(await readJsonFile(metricsFile), metricsFile);
    expect(metrics).toMatchObject({ model: 'credit-decisioning', version: '1' });
    expect(metrics.metrics.map((m) => m.name)).toEqual([
      'auc',
      'brier',
      'calibration_error_decile',
      'gini',
      'ks',
      'log_loss',
    ]);
    expect(metrics.segments.map((g) => g.name)).toEqual([
      'age_band',
      'foreign_worker',
      'personal_status_and_sex',
    ]);
    expect(metrics.segments[0]?.slices.map((s) => s.segment)).toEqual(['<25', '25-34', '35-49', '50+']);
    expect(metrics.contentDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each<[string, (readonly (string | number)[])[], unknown, string, string]>([
    ['a missing field', [['evaluation', 'dataset']], undefined, '/evaluation/dataset', 'required'],
    ['a string metric', [['metrics', 'auc']], '0.78', '/metrics/auc', 'must be a number'],
    [
      'a malformed digest',
      [['evaluation', 'predictions']],
      'sha256:ABC',
      '/evaluation/predictions',
      'sha256 digest',
    ],
    ['bads above rows', [['evaluation', 'bads']], 301, '/evaluation/bads', 'at most 300'],
    [
      'a probability above 1',
      [['calibration', 'deciles', 2, 'meanScore']],
      1.5,
      '/calibration/deciles/2/meanScore',
      'at most 1',
    ],
    [
      'a repeated group',
      [['calibration', 'deciles', 1, 'decile']],
      1,
      '/calibration/deciles/1/decile',
      'repeats group 1',
    ],
    ['a fractional count', [['segments', 'age_band', 0, 'n']], 4.5, '/segments/age_band/0/n', 'whole number'],
    ['an unknown format version', [['formatVersion']], 2, '/formatVersion', 'only format version 1'],
    [
      'a bidi override in a name',
      [['segments', 'age_band', 0, 'segment']],
      'a\u202Eb',
      '/segments/age_band/0/segment',
      'bidirectional',
    ],
    ['segments that are not a mapping', [['segments']], [1], '/segments', 'must be an object'],
  ])('refuses %s, naming the file and field', async (_name, paths, value, field, fragment) => {
    let document = await readJsonFile(metricsFile);
    for (const path of paths) document = setAt(document, path, value);
    const refused = refusal(parseModelMetrics, document, 'models/v1/metrics.json');
    expect(refused).toMatchObject({ code: REPORT_ERRORS.INPUT_INVALID, field });
    expect(refused.message).toContain('models/v1/metrics.json');
    expect(refused.message).toContain(field);
    expect(refused.message).toContain(fragment);
  });

  it('refuses a key that is not a printable name, and a document that is not JSON data', async () => {
    const document = (await readJsonFile(metricsFile)) as { metrics: Record<string, number> };
    const withControl = { ...document, metrics: { ...document.metrics, 'a\u0007': 1 } };
    expect(refusal(parseModelMetrics, withControl)).toMatchObject({
      code: REPORT_ERRORS.INPUT_INVALID,
      field: '/metrics/a\u0007',
    });
    expect(refusal(parseModelMetrics, { ...document, evaluation: { rows: Number.NaN } })).toMatchObject({
      code: REPORT_ERRORS.INPUT_INVALID,
      field: '',
    });
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(refusal(parseModelMetrics, trap).code).toBe(REPORT_ERRORS.INPUT_INVALID);
    expect(refusal(parseModelMetrics, null).message).toContain('must be an object');
  });

  it('keeps a "__proto__" key an ordinary, refused-or-read key, never a prototype', async () => {
    const document = JSON.parse(
      JSON.stringify(await readJsonFile(metricsFile)).replace('"auc":', '"__proto__":'),
    ) as unknown;
    const metrics = parseModelMetrics(document, 'x');
    expect(metrics.metrics.map((m) => m.name)).toContain('__proto__');
    expect(Object.getPrototypeOf(metrics.metrics)).toBe(Array.prototype);
  });
});

describe('parsePsiTable', () => {
  it('reads the example table', async () => {
    const psi = parsePsiTable(await readJsonFile(psiFile), psiFile);
    expect(psi).toMatchObject({ champion: '1', challenger: '2' });
    expect(psi.score.psi).toBe(0.274685);
    expect(psi.scoreDecomposition.map((p) => p.name)).toEqual(['modelOnly', 'populationOnly']);
  });

  it.each<[string, readonly (string | number)[], unknown, string]>([
    ['a negative PSI', ['features', 'purpose', 'psi'], -0.1, '/features/purpose/psi'],
    ['a share above 1', ['score', 'bins', 0, 'targetShare'], 2, '/score/bins/0/targetShare'],
    ['a repeated bin', ['score', 'bins', 1, 'bin'], '(-inf, 0.039691]', '/score/bins/1/bin'],
    ['a missing score', ['score'], undefined, '/score'],
    ['bins that are not a list', ['features', 'housing', 'bins'], {}, '/features/housing/bins'],
  ])('refuses %s', async (_name, path, value, field) => {
    const refused = refusal(parsePsiTable, setAt(await readJsonFile(psiFile), path, value), 'psi.json');
    expect(refused).toMatchObject({ code: REPORT_ERRORS.INPUT_INVALID, field });
  });
});

describe('parseModelExplanation', () => {
  it('reads the example bundle; numeric partial dependence is sorted by value', async () => {
    const explanation = parseModelExplanation(await readJsonFile(explanationFile), explanationFile);
    expect(explanation.meanAbsAttribution).toHaveLength(14);
    expect(explanation.partialDependence.map((d) => d.feature)).toEqual([
      'installment_rate_in_percentage_of_disposable_income',
      'purpose',
      'savings_account_and_bonds',
      'status_of_existing_checking_account',
    ]);
    expect(explanation.method.units).toBe("log-odds of 'bad'");
  });

  it.each<[string, readonly (string | number)[], unknown, string]>([
    [
      'a repeated feature',
      ['meanAbsAttribution', 1, 'feature'],
      'status_of_existing_checking_account',
      '/meanAbsAttribution/1/feature',
    ],
    ['a negative mean |attribution|', ['meanAbsAttribution', 0, 'value'], -1, '/meanAbsAttribution/0/value'],
    [
      'an unknown curve kind',
      ['partialDependence', 'features', 'purpose', 'kind'],
      'ordinal',
      '/partialDependence/features/purpose/kind',
    ],
    [
      'a text value on a numeric curve',
      [
        'partialDependence',
        'features',
        'installment_rate_in_percentage_of_disposable_income',
        'points',
        0,
        'value',
      ],
      'one',
      '/partialDependence/features/installment_rate_in_percentage_of_disposable_income/points/0/value',
    ],
    [
      'an empty curve',
      ['partialDependence', 'features', 'purpose', 'points'],
      [],
      '/partialDependence/features/purpose/points',
    ],
    [
      'a malformed dataset digest',
      ['datasets', 'evaluation', 'digest'],
      'sha256:xyz',
      '/datasets/evaluation/digest',
    ],
  ])('refuses %s', async (_name, path, value, field) => {
    const refused = refusal(
      parseModelExplanation,
      setAt(await readJsonFile(explanationFile), path, value),
      'e.json',
    );
    expect(refused).toMatchObject({ code: REPORT_ERRORS.INPUT_INVALID, field });
    expect(refused.message.startsWith(`e.json: ${field}: `)).toBe(true);
  });
});
