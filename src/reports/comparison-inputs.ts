import type { ChangeManifest } from '../approvals/change-manifest/index.js';
import type { LoadedPolicy } from '../approvals/policy/index.js';
import type { ModelMetrics } from './model-metrics.js';
import type { PsiTable } from './psi-table.js';

/** Everything the comparison report is rendered from, parsed and checked. */
export interface ComparisonReportInputs {
  /** The champion's metrics snapshot (`models/v1/metrics.json`). */
  readonly championMetrics: ModelMetrics;
  /** The challenger's metrics snapshot (`models/v2/metrics.json`). */
  readonly challengerMetrics: ModelMetrics;
  /** The PSI table of the comparison (`comparisons/v1-v2/psi.json`). */
  readonly psi: PsiTable;
  /** The change manifest the classifier reads (`comparisons/v1-v2/change-manifest.json`). */
  readonly manifest: ChangeManifest;
  /** The policy the classification is computed under. */
  readonly policy: LoadedPolicy;
  /** How errors name each input (e.g. the paths given on the command line); never rendered. */
  readonly sourceNames?: Partial<ComparisonSourceNames>;
}

/** The name of each comparison input in error messages. */
export interface ComparisonSourceNames {
  readonly championMetrics: string;
  readonly challengerMetrics: string;
  readonly psi: string;
  readonly manifest: string;
  readonly policy: string;
}

/** The names errors use when the caller gave none. */
export const DEFAULT_COMPARISON_SOURCE_NAMES: ComparisonSourceNames = Object.freeze({
  championMetrics: 'champion metrics',
  challengerMetrics: 'challenger metrics',
  psi: 'PSI table',
  manifest: 'change manifest',
  policy: 'policy',
});
