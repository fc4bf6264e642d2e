import type { Digest } from '../digest/index.js';
import { compareText } from './compare-text.js';
import { InputNode } from './input-node.js';

/** One bin of a PSI computation: counts and shares of the reference and target populations. */
export interface PsiBin {
  readonly bin: string;
  readonly reference: number;
  readonly target: number;
  readonly referenceShare: number;
  readonly targetShare: number;
  readonly contribution: number;
}

/** The PSI of one feature or of the score, with its bins; `psi` is null when it could not be computed. */
export interface PsiEntry {
  readonly psi: number | null;
  readonly binning: string;
  readonly bins: readonly PsiBin[];
}

/** A PSI table (the pipeline's `comparisons/vA-vB/psi.json`), narrowed to what the comparison report shows. */
export interface PsiTable {
  /** sha256 of the RFC 8785 canonical JSON of the whole document. */
  readonly contentDigest: Digest;
  readonly champion: string;
  readonly challenger: string;
  readonly reference: string;
  readonly target: string;
  /** Sorted by feature name. */
  readonly features: readonly { readonly name: string; readonly entry: PsiEntry }[];
  readonly score: PsiEntry;
  /** Information only: the score PSI split into its population and model parts, sorted by name. */
  readonly scoreDecomposition: readonly {
    readonly name: string;
    readonly what: string;
    readonly psi: number | null;
  }[];
}

const MAX_FEATURES = 10_000;
const MAX_BINS = 1000;
const MAX_DECOMPOSITION = 20;
const MAX_COUNT = 1e12;

/**
 * Reads a PSI table (`comparisons/vA-vB/psi.json`) defensively; a problem is an ERR_REPORT_INPUT_INVALID naming
 * `file` and the field. Fields the report does not show are ignored.
 *
 * @example
 * const psi = parsePsiTable(JSON.parse(text), 'comparisons/v1-v2/psi.json');
 */
export function parsePsiTable(value: unknown, file: string): PsiTable {
  const { node: root, contentDigest } = InputNode.root(value, file);
  root.get('formatVersion').formatVersion();
  const decomposition = root.optional('scoreDecomposition');
  return {
    contentDigest,
    champion: root.get('champion').name(),
    challenger: root.get('challenger').name(),
    reference: root.get('reference').text(),
    target: root.get('target').text(),
    features: root
      .get('features')
      .members(MAX_FEATURES)
      .map(([name, entry]) => ({ name, entry: readEntry(entry) }))
      .sort((a, b) => compareText(a.name, b.name)),
    score: readEntry(root.get('score')),
    scoreDecomposition:
      decomposition === undefined
        ? []
        : decomposition
            .members(MAX_DECOMPOSITION)
            .filter(([, part]) => part.value !== null && typeof part.value === 'object')
            .map(([name, part]) => ({
              name,
              what: part.get('what').text(),
              psi: part.get('psi').nullableNumber({ min: 0 }),
            }))
            .sort((a, b) => compareText(a.name, b.name)),
  };
}

function readEntry(node: InputNode): PsiEntry {
  const seen = new Set<string>();
  return {
    psi: node.get('psi').nullableNumber({ min: 0 }),
    binning: node.get('binning').text(),
    bins: node
      .get('bins')
      .items(0, MAX_BINS)
      .map((item) => {
        const bin = item.get('bin').name();
        if (seen.has(bin)) item.get('bin').fail(`repeats bin ${JSON.stringify(bin)}`);
        seen.add(bin);
        return {
          bin,
          reference: item.get('reference').integer(0, MAX_COUNT),
          target: item.get('target').integer(0, MAX_COUNT),
          referenceShare: item.get('referenceShare').number({ min: 0, max: 1 }),
          targetShare: item.get('targetShare').number({ min: 0, max: 1 }),
          contribution: item.get('contribution').number(),
        };
      }),
  };
}
