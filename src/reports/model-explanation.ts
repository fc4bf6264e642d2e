import type { Digest } from '../digest/index.js';
import { compareText } from './compare-text.js';
import { InputNode } from './input-node.js';

/** One point of a partial dependence curve: the feature set to `value`, the mean predicted probability. */
export interface DependencePoint {
  readonly value: string | number;
  readonly meanScore: number;
}

/** The partial dependence of the score on one feature. Numeric points are sorted by value. */
export interface PartialDependence {
  readonly feature: string;
  readonly kind: 'categorical' | 'numeric';
  readonly points: readonly DependencePoint[];
}

/** A feature's mean |attribution| over the explained rows. */
export interface FeatureAttribution {
  readonly feature: string;
  readonly value: number;
}

/** An explanation bundle (the pipeline's `models/vN/explanation.json`), narrowed to what the diff shows. */
export interface ModelExplanation {
  readonly model: string;
  readonly version: string;
  /** sha256 of the RFC 8785 canonical JSON of the whole document. */
  readonly contentDigest: Digest;
  readonly method: { readonly name?: string; readonly units?: string };
  readonly datasets: { readonly training?: Digest; readonly evaluation?: Digest };
  /** Mean |attribution| per feature, as listed (the diff ranks them itself). */
  readonly meanAbsAttribution: readonly FeatureAttribution[];
  /** Sorted by feature name. */
  readonly partialDependence: readonly PartialDependence[];
  /** How the partial dependence was computed, when the bundle says. */
  readonly partialDependenceMethod?: string;
}

const MAX_FEATURES = 10_000;
const MAX_POINTS = 200;

/**
 * Reads an explanation bundle (`models/vN/explanation.json`) defensively; a problem is an
 * ERR_REPORT_INPUT_INVALID naming `file` and the field. Fields the diff does not show are ignored.
 *
 * @example
 * const explanation = parseModelExplanation(JSON.parse(text), 'models/v2/explanation.json');
 */
export function parseModelExplanation(value: unknown, file: string): ModelExplanation {
  const { node: root, contentDigest } = InputNode.root(value, file);
  root.get('formatVersion').formatVersion();
  const method = root.optional('method');
  const name = method?.optional('name')?.text();
  const units = method?.optional('units')?.text();
  const datasets = root.optional('datasets');
  const training = datasets?.optional('training')?.get('digest').digest();
  const evaluation = datasets?.optional('evaluation')?.get('digest').digest();
  const dependenceRoot = root.optional('partialDependence');
  const dependence = dependenceRoot?.optional('features');
  const dependenceMethod = dependenceRoot?.optional('method')?.text();
  return {
    model: root.get('model').name(),
    version: root.get('version').name(),
    contentDigest,
    method: { ...(name === undefined ? {} : { name }), ...(units === undefined ? {} : { units }) },
    datasets: {
      ...(training === undefined ? {} : { training }),
      ...(evaluation === undefined ? {} : { evaluation }),
    },
    meanAbsAttribution: readAttributions(root.get('meanAbsAttribution')),
    partialDependence:
      dependence === undefined
        ? []
        : dependence
            .members(MAX_FEATURES)
            .map(([feature, curve]) => readDependence(feature, curve))
            .sort((a, b) => compareText(a.feature, b.feature)),
    ...(dependenceMethod === undefined ? {} : { partialDependenceMethod: dependenceMethod }),
  };
}

function readAttributions(node: InputNode): FeatureAttribution[] {
  const seen = new Set<string>();
  return node.items(0, MAX_FEATURES).map((item) => {
    const feature = item.get('feature').name();
    if (seen.has(feature)) item.get('feature').fail(`repeats feature ${JSON.stringify(feature)}`);
    seen.add(feature);
    return { feature, value: item.get('value').number({ min: 0 }) };
  });
}

function readDependence(feature: string, node: InputNode): PartialDependence {
  const kind = node.get('kind').oneOf(['categorical', 'numeric'] as const);
  const seen = new Set<string | number>();
  const points = node
    .get('points')
    .items(1, MAX_POINTS)
    .map((item) => {
      const valueNode = item.get('value');
      const value = kind === 'numeric' ? valueNode.number() : valueNode.name();
      if (seen.has(value)) valueNode.fail(`repeats the value ${JSON.stringify(value)}`);
      seen.add(value);
      return { value, meanScore: item.get('meanScore').number({ min: 0, max: 1 }) };
    });
  if (kind === 'numeric') points.sort((a, b) => (a.value as number) - (b.value as number));
  return { feature, kind, points };
}
