/** Codes of the command line itself. */
export const CliErrorCode = {
  /** The command line is wrong: a missing argument, a malformed number, flags that do not fit together. */
  Usage: 'ERR_CLI_USAGE',
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];
