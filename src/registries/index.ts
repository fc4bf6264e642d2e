export { RegistryErrorCode } from './errors.js';
export { DEFAULT_MAX_FETCH_BYTES, DEFAULT_MAX_FETCH_FILES } from './fetch-directory.js';
export type { FrozenArtefact } from './frozen-digest.js';
export { frozenDigest } from './frozen-digest.js';
export type {
  AliasChange,
  LocalModel,
  LocalModelVersion,
  LocalRegistryOptions,
  VersionLocation,
} from './local/index.js';
export { LOCAL_REGISTRY_FILE, LOCAL_REGISTRY_ID, LocalRegistry } from './local/index.js';
export type { MlflowRegistryOptions } from './mlflow/index.js';
export { MlflowRegistry } from './mlflow/index.js';
export type {
  AliasAssignment,
  CallOptions,
  FetchedArtefacts,
  FetchOptions,
  LegacyStage,
  LegacyStages,
  ModelRegistry,
  RegistryModelVersion,
  StageAssignment,
} from './model-registry.js';
export { LEGACY_STAGES } from './model-registry.js';
export { checkAlias, checkModelName, checkTag, checkVersion, parseStage } from './names.js';
export type { OpenRegistryContext, RegistryConfig } from './open-registry.js';
export { mlflowAuthorizationFromEnv, openRegistry, parseRegistryConfig } from './open-registry.js';
export type { PromotionTarget, TargetAssignment } from './promotion-target.js';
export {
  currentTargetVersion,
  listTargetAssignments,
  moveTarget,
  parsePromotionTarget,
} from './promotion-target.js';
