import { readFile } from 'node:fs/promises';
import { DocketError } from '../../errors/index.js';
import { ExitCode } from '../exit-codes.js';

/** Help text for the bearer token option of the approval commands. */
export const TOKEN_OPTION_HELP =
  'bearer token (OIDC access token or dev token); default: $DOCKET_TOKEN, which keeps it out of ps';

/** The documented exit codes of the approval commands, shown after their --help. */
export const APPROVAL_EXIT_CODES_HELP = `
Exit codes:
  ${ExitCode.Ok}   done
  ${ExitCode.Usage}   the command line is wrong (unknown flag, missing argument, no token, unreadable input file)
  ${ExitCode.Refused}   refused with a coded error (bad token, rule violation, missing artefact...); nothing was recorded
  ${ExitCode.Home}   the docket home is missing or its configuration is invalid
  ${ExitCode.Internal}  unexpected failure`;

/** The bearer token: `--token`, else DOCKET_TOKEN; refused as a usage error when neither is set. */
export function tokenFrom(opts: { token?: string }): string {
  const token = opts.token ?? process.env.DOCKET_TOKEN;
  if (token === undefined || token.trim() === '') {
    throw new DocketError(
      'ERR_CLI_USAGE',
      'a bearer token is required: pass --token <token> or set DOCKET_TOKEN',
    );
  }
  return token.trim();
}

/** Reads a small UTF-8 input file named on the command line; unreadable or not UTF-8 is a usage error. */
export async function readTextFile(path: string, maxBytes = 1024 * 1024): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new DocketError(
      'ERR_CLI_USAGE',
      `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        cause,
        details: { path },
      },
    );
  }
  if (bytes.byteLength > maxBytes) {
    throw new DocketError('ERR_CLI_USAGE', `${path} is larger than ${maxBytes} bytes`, { details: { path } });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new DocketError('ERR_CLI_USAGE', `${path} is not UTF-8 text`, { cause, details: { path } });
  }
}
