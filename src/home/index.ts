export type { AnchorTargetConfig } from './anchors-config.js';
export { anchorTargets } from './anchors-config.js';
export type { DocketConfig } from './config.js';
export { defaultConfig, parseConfig } from './config.js';
export { HomeErrorCode } from './errors.js';
export type { Docket } from './home.js';
export { CONFIG_FILE, initHome, openHome, resolveHome } from './home.js';
export type { IdentityConfig, OidcProviderConfig } from './identity-config.js';
export { DEFAULT_AUDIENCE, defaultIdentityConfig, devKeyDir } from './identity-config.js';
