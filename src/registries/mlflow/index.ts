export type { MlflowRegistryOptions } from './mlflow-registry.js';
export {
  DEFAULT_MLFLOW_MAX_RESPONSE_BYTES,
  DEFAULT_MLFLOW_TIMEOUT_MS,
  MlflowRegistry,
} from './mlflow-registry.js';
export type { TrackingUri } from './tracking-uri.js';
export { mlflowRegistryId, parseTrackingUri } from './tracking-uri.js';
