/** Codes of the command line itself. */
export const CliErrorCode = {
  /** The command line is wrong: a missing argument, a malformed number, flags that do not fit together. */
  Usage: 'ERR_CLI_USAGE',
  /** An unexpected failure (a bug or an environment problem); with --json the message says which. Exit 70. */
  Internal: 'ERR_INTERNAL',
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];
