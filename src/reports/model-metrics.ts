import type { Digest } from '../digest/index.js';
import { compareText } from './compare-text.js';
import { InputNode } from './input-node.js';

/** A named measurement; null when it could not be computed (NaN at the source). */
export interface NamedValue {
  readonly name: string;
  readonly value: number | null;
}

/** One equal-count score group of the calibration table. */
export interface CalibrationGroup {
  readonly group: number;
  readonly n: number;
  readonly bads: number;
  readonly scoreMin: number;
  readonly scoreMax: number;
  readonly meanScore: number;
  readonly observedBadRate: number;
}

/** The metrics of one model on one slice of the evaluation population. */
export interface SegmentSlice {
  readonly segment: string;
  readonly n: number;
  readonly bads: number;
  readonly meanScore: number | null;
  readonly auc: number | null;
  readonly ks: number | null;
  readonly brier: number | null;
}

/** The slices of one segmentation (e.g. `age_band`), in the document's order. */
export interface SegmentGroup {
  readonly name: string;
  readonly slices: readonly SegmentSlice[];
}

/** A model's metrics snapshot (the pipeline's `metrics.json`), narrowed to what the comparison report shows. */
export interface ModelMetrics {
  readonly model: string;
  readonly version: string;
  /** sha256 of the RFC 8785 canonical JSON of the whole document (independent of key order and layout). */
  readonly contentDigest: Digest;
  readonly evaluation: {
    readonly dataset: Digest;
    readonly predictions: Digest;
    readonly rows: number;
    readonly bads: number;
  };
  /** Sorted by name. */
  readonly metrics: readonly NamedValue[];
  /** Sorted by name. */
  readonly definitions: readonly { readonly name: string; readonly text: string }[];
  readonly calibration?: { readonly method: string; readonly groups: readonly CalibrationGroup[] };
  /** Sorted by segmentation name; slices keep the document's order (age bands are ordered). */
  readonly segments: readonly SegmentGroup[];
  readonly training?: { readonly dataset: Digest; readonly metrics: readonly NamedValue[] };
}

const MAX_METRICS = 500;
const MAX_GROUPS = 1000;
const MAX_SEGMENTATIONS = 50;
const MAX_SLICES = 200;
const MAX_ROWS = 1e12;

/**
 * Reads a metrics snapshot (`models/vN/metrics.json`) defensively: every field the report shows is checked
 * (types, ranges, unique names) and a problem is an ERR_REPORT_INPUT_INVALID naming `file` and the field.
 * Fields the report does not show are ignored.
 *
 * @example
 * const metrics = parseModelMetrics(JSON.parse(text), 'models/v1/metrics.json');
 */
export function parseModelMetrics(value: unknown, file: string): ModelMetrics {
  const { node: root, contentDigest } = InputNode.root(value, file);
  root.get('formatVersion').formatVersion();
  const evaluation = root.get('evaluation');
  const rows = evaluation.get('rows').integer(1, MAX_ROWS);
  const bads = evaluation.get('bads');
  const definitions = root.optional('definitions');
  const calibration = root.optional('calibration');
  const training = root.optional('training');
  return {
    model: root.get('model').name(),
    version: root.get('version').name(),
    contentDigest,
    evaluation: {
      dataset: evaluation.get('dataset').digest(),
      predictions: evaluation.get('predictions').digest(),
      rows,
      bads: bads.integer(0, rows),
    },
    metrics: namedValues(root.get('metrics')),
    definitions:
      definitions === undefined
        ? []
        : definitions
            .members(MAX_METRICS)
            .map(([name, text]) => ({ name, text: text.text() }))
            .sort((a, b) => compareText(a.name, b.name)),
    ...(calibration === undefined ? {} : { calibration: readCalibration(calibration) }),
    segments: readSegments(root.optional('segments')),
    ...(training === undefined
      ? {}
      : {
          training: {
            dataset: training.get('dataset').digest(),
            metrics: namedValues(training.get('metrics')),
          },
        }),
  };
}

/** `{ name: number | null }` as name-sorted values; every name checked. */
export function namedValues(node: InputNode): NamedValue[] {
  return node
    .members(MAX_METRICS)
    .map(([name, value]) => ({ name, value: value.nullableNumber() }))
    .sort((a, b) => compareText(a.name, b.name));
}

function readCalibration(node: InputNode): NonNullable<ModelMetrics['calibration']> {
  const seen = new Set<number>();
  const groups = node
    .get('deciles')
    .items(1, MAX_GROUPS)
    .map((item) => {
      const group = item.get('decile').integer(0, MAX_GROUPS);
      if (seen.has(group)) item.get('decile').fail(`repeats group ${group}`);
      seen.add(group);
      const n = item.get('n').integer(0, MAX_ROWS);
      return {
        group,
        n,
        bads: item.get('bads').integer(0, n),
        scoreMin: item.get('scoreMin').number({ min: 0, max: 1 }),
        scoreMax: item.get('scoreMax').number({ min: 0, max: 1 }),
        meanScore: item.get('meanScore').number({ min: 0, max: 1 }),
        observedBadRate: item.get('observedBadRate').number({ min: 0, max: 1 }),
      };
    })
    .sort((a, b) => a.group - b.group);
  return { method: node.get('method').text(), groups };
}

function readSegments(node: InputNode | undefined): SegmentGroup[] {
  if (node === undefined) return [];
  return node
    .members(MAX_SEGMENTATIONS)
    .map(([name, list]) => {
      const seen = new Set<string>();
      const slices = list.items(0, MAX_SLICES).map((item) => {
        const segment = item.get('segment').name();
        if (seen.has(segment)) item.get('segment').fail(`repeats segment ${JSON.stringify(segment)}`);
        seen.add(segment);
        const n = item.get('n').integer(0, MAX_ROWS);
        return {
          segment,
          n,
          bads: item.get('bads').integer(0, n),
          meanScore: item.optional('meanScore')?.number({ min: 0, max: 1 }) ?? null,
          auc: item.optional('auc')?.number({ min: 0, max: 1 }) ?? null,
          ks: item.optional('ks')?.number({ min: 0, max: 1 }) ?? null,
          brier: item.optional('brier')?.number({ min: 0, max: 1 }) ?? null,
        };
      });
      return { name, slices };
    })
    .sort((a, b) => compareText(a.name, b.name));
}
