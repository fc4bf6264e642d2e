export type { ChangeManifestErrorCode, ChangeManifestIssue } from './errors.js';
export { CHANGE_MANIFEST_ERRORS } from './errors.js';
export { parseChangeManifest } from './parse-change-manifest.js';
export type {
  ChangeComparison,
  ChangeManifest,
  MetricValues,
  ModelDatasets,
  ModelManifest,
  ModelObjective,
  ModelPopulation,
} from './types.js';
