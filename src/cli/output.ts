import { isDocketError } from '../errors/index.js';
import { CliErrorCode } from './errors.js';

/** How a command prints: JSON for machines with --json, text for people otherwise. */
export interface Output {
  json: boolean;
  result(value: unknown, text: () => string): void;
  info(line: string): void;
}

export function makeOutput(json: boolean): Output {
  return {
    json,
    result(value, text) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
    },
    info(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

export function printError(err: unknown, json: boolean): void {
  if (json) {
    const body = isDocketError(err)
      ? { error: err.toJSON() }
      : { error: { code: CliErrorCode.Internal, message: String(err instanceof Error ? err.message : err) } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  if (isDocketError(err)) {
    process.stderr.write(`docket: ${err.message} [${err.code}]\n`);
  } else {
    process.stderr.write(
      `docket: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
}

/** A progress bar on a terminal's stderr; silent when stderr is not a terminal or output is JSON. */
export function progressBar(
  label: string,
  json: boolean,
): ((done: number, total?: number) => void) | undefined {
  if (json || !process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done !== total) return;
    last = now;
    const width = 30;
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    const line =
      total !== undefined && total > 0
        ? `${'#'.repeat(Math.round((done / total) * width)).padEnd(width, '.')} ${mib(done)}/${mib(total)} MiB`
        : `${mib(done)} MiB`;
    process.stderr.write(`\r${label} ${line}${done === total ? '\n' : ''}`);
  };
}
