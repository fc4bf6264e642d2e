export { classifyChange } from './classify-change.js';
export type { ClassifierErrorCode } from './errors.js';
export { CLASSIFIER_ERRORS } from './errors.js';
export type {
  ApprovalsRequired,
  Classification,
  ClassificationReason,
  ClassificationRule,
  Observed,
} from './types.js';
export { CLASSIFICATION_RULES } from './types.js';
export { CLASSIFIER_VERSION } from './version.js';
