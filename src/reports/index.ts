export type { ComparisonReportInputs, ComparisonSourceNames } from './comparison-inputs.js';
export { COMPARISON_REPORT_FORMAT, renderComparisonReport } from './comparison-report.js';
export type { EnvelopeStatus, MetricRow, PsiRow } from './comparison-rows.js';
export type { ReportErrorCode } from './errors.js';
export { REPORT_ERRORS } from './errors.js';
export { EXPLANATION_DIFF_FORMAT, renderExplanationDiff } from './explanation-diff.js';
export type { ExplanationDiffInputs } from './explanation-diff-inputs.js';
export { escapeHtml } from './html.js';
export type { ComparisonInputFiles, ExplanationDiffInputFiles } from './load-inputs.js';
export {
  loadChangeManifest,
  loadComparisonInputs,
  loadExplanationDiffInputs,
  loadPolicyFile,
  MAX_INPUT_BYTES,
} from './load-inputs.js';
export type {
  DependencePoint,
  FeatureAttribution,
  ModelExplanation,
  PartialDependence,
} from './model-explanation.js';
export { parseModelExplanation } from './model-explanation.js';
export type {
  CalibrationGroup,
  ModelMetrics,
  NamedValue,
  SegmentGroup,
  SegmentSlice,
} from './model-metrics.js';
export { parseModelMetrics } from './model-metrics.js';
export { formatDecimal, formatDifference } from './number-format.js';
export { REPORT_CSP } from './page.js';
export type { PsiBin, PsiEntry, PsiTable } from './psi-table.js';
export { parsePsiTable } from './psi-table.js';
export type { RankChange, RankedFeature, RankMovement } from './rank-changes.js';
export { rankChanges, rankFeatures } from './rank-changes.js';
export { reportBytes, writeReport } from './write-report.js';
