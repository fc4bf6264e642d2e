export type { DocketConfig } from './config.js';
export { defaultConfig, parseConfig } from './config.js';
export { HomeErrorCode } from './errors.js';
export type { Docket } from './home.js';
export { CONFIG_FILE, initHome, openHome, resolveHome } from './home.js';
