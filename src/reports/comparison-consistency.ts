import { DocketError } from '../errors/index.js';
import type { ComparisonReportInputs, ComparisonSourceNames } from './comparison-inputs.js';
import { REPORT_ERRORS, type ReportErrorCode } from './errors.js';
import type { ModelMetrics } from './model-metrics.js';

interface Place {
  readonly file: string;
  readonly field: string;
}

function token(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

function inconsistent(here: Place, there: Place, message: string): DocketError<ReportErrorCode> {
  return new DocketError(
    REPORT_ERRORS.INPUTS_INCONSISTENT,
    `${here.file}: ${here.field}: ${message} (${there.file}: ${there.field})`,
    { details: { file: here.file, field: here.field, otherFile: there.file, otherField: there.field } },
  );
}

function same(a: number | null | undefined, b: number | null | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

function show(value: number | null | undefined): string {
  return value === null || value === undefined ? 'no value' : String(value);
}

/**
 * The comparison report shows values from four files; they must describe the same comparison, or the approver
 * would see numbers other than the ones classified. Checks that the metrics snapshots and the PSI table name the
 * manifest's models, datasets and values. Throws ERR_REPORT_INPUTS_INCONSISTENT naming both places.
 */
export function checkComparisonInputs(inputs: ComparisonReportInputs, names: ComparisonSourceNames): void {
  const { manifest, psi } = inputs;
  const sides = [
    ['champion', inputs.championMetrics, names.championMetrics],
    ['challenger', inputs.challengerMetrics, names.challengerMetrics],
  ] as const;
  for (const [side, metrics, file] of sides) checkMetricsSide(side, metrics, file, inputs, names.manifest);

  const psiFile = names.psi;
  for (const side of ['champion', 'challenger'] as const) {
    if (psi[side] !== manifest[side].version) {
      throw inconsistent(
        { file: psiFile, field: `/${side}` },
        { file: names.manifest, field: `/${side}/version` },
        `names ${side} version ${JSON.stringify(psi[side])}, but the change manifest's ${side} is version ${JSON.stringify(manifest[side].version)}`,
      );
    }
  }
  const tableValues = new Map(psi.features.map((f) => [f.name, f.entry.psi]));
  const manifestValues = new Map(Object.entries(manifest.comparison.psi.features));
  for (const name of new Set([...tableValues.keys(), ...manifestValues.keys()])) {
    const table = tableValues.get(name);
    const stated = manifestValues.get(name);
    if (!same(table, stated)) {
      throw inconsistent(
        { file: psiFile, field: `/features/${token(name)}/psi` },
        { file: names.manifest, field: `/comparison/psi/features/${token(name)}` },
        `PSI of ${JSON.stringify(name)} is ${show(table)} here but ${show(stated)} in the change manifest`,
      );
    }
  }
  if (!same(psi.score.psi, manifest.comparison.psi.score)) {
    throw inconsistent(
      { file: psiFile, field: '/score/psi' },
      { file: names.manifest, field: '/comparison/psi/score' },
      `score PSI is ${show(psi.score.psi)} here but ${show(manifest.comparison.psi.score)} in the change manifest`,
    );
  }
}

function checkMetricsSide(
  side: 'champion' | 'challenger',
  metrics: ModelMetrics,
  file: string,
  inputs: ComparisonReportInputs,
  manifestFile: string,
): void {
  const model = inputs.manifest[side];
  const expect = (field: string, actual: string, manifestField: string, expected: string): void => {
    if (actual !== expected) {
      throw inconsistent(
        { file, field },
        { file: manifestFile, field: manifestField },
        `is ${JSON.stringify(actual)}, but the change manifest's ${side} has ${JSON.stringify(expected)}`,
      );
    }
  };
  expect('/model', metrics.model, `/${side}/model`, model.model);
  expect('/version', metrics.version, `/${side}/version`, model.version);
  expect(
    '/evaluation/dataset',
    metrics.evaluation.dataset,
    `/${side}/datasets/evaluation`,
    model.datasets.evaluation,
  );
  if (metrics.training !== undefined) {
    expect(
      '/training/dataset',
      metrics.training.dataset,
      `/${side}/datasets/training`,
      model.datasets.training,
    );
  }
  const snapshot = new Map(metrics.metrics.map((m) => [m.name, m.value]));
  for (const [name, values] of Object.entries(inputs.manifest.comparison.metrics)) {
    if (!snapshot.has(name)) continue;
    const value = snapshot.get(name);
    if (!same(value, values[side])) {
      throw inconsistent(
        { file, field: `/metrics/${token(name)}` },
        { file: manifestFile, field: `/comparison/metrics/${token(name)}/${side}` },
        `${JSON.stringify(name)} is ${show(value)} here but ${show(values[side])} in the change manifest`,
      );
    }
  }
}
