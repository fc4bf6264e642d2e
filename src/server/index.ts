export { buildServer } from './build-server.js';
export { ServerErrorCode } from './errors.js';
export { HTTP_STATUS, statusFor } from './http-status.js';
export type { BodyLimits, DocketServices, LoginOptions, ServerOptions } from './server-options.js';
export { DEFAULT_LIMITS } from './server-options.js';
export type { RunningServer } from './start-server.js';
export { startServer } from './start-server.js';
