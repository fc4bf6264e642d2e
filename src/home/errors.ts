/** Codes for the docket home directory (config, keys, stores). */
export const HomeErrorCode = {
  /** `docket init` found something at the target and refuses to overwrite it. */
  Exists: 'ERR_HOME_EXISTS',
  /** No docket home at the path (run `docket init` or set DOCKET_HOME). */
  NotFound: 'ERR_HOME_NOT_FOUND',
  /** config.json is not valid JSON or does not match the configuration schema. */
  ConfigInvalid: 'ERR_HOME_CONFIG_INVALID',
} as const;

export type HomeErrorCode = (typeof HomeErrorCode)[keyof typeof HomeErrorCode];
