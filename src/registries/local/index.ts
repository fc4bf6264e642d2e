export type { LocalRegistryOptions } from './local-registry.js';
export { LOCAL_REGISTRY_FILE, LocalRegistry } from './local-registry.js';
export type { StoredLocation, VersionLocation } from './location.js';
export type { AliasChange, LocalModel, LocalModelVersion } from './rows.js';
export { LOCAL_REGISTRY_ID } from './rows.js';
