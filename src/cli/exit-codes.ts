import { isDocketError } from '../errors/index.js';
import { CliErrorCode } from './errors.js';

/** The documented exit codes of the docket command (docs/cli.md). */
export const ExitCode = {
  Ok: 0,
  /** A verification ran and found problems (the output names them). */
  CheckFailed: 1,
  /** The command line itself is wrong (unknown command or flag, missing argument). */
  Usage: 2,
  /** docket refused the input or the operation (a coded error: malformed, not found, not allowed). */
  Refused: 3,
  /** The docket home is missing, already exists, or its configuration is invalid. */
  Home: 4,
  /** The promotion event is written but the registry move failed: `docket promote --resume` completes it. */
  PromotionPending: 5,
  /** An unexpected failure: a bug or an environment problem; the message says which. */
  Internal: 70,
} as const;

export function exitCodeFor(err: unknown): number {
  if (!isDocketError(err)) return ExitCode.Internal;
  if (err.code.startsWith('ERR_HOME_')) return ExitCode.Home;
  if (err.code === CliErrorCode.Usage) return ExitCode.Usage;
  return ExitCode.Refused;
}
