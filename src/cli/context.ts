import type { Command } from 'commander';
import { type Docket, openHome, resolveHome } from '../home/index.js';
import { makeOutput, type Output } from './output.js';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
}

/** The global flags of any (sub)command, read from the root program. */
export function globals(command: Command): { home: string; out: Output } {
  let root = command;
  while (root.parent !== null) root = root.parent;
  const opts = root.opts<GlobalOptions>();
  return { home: resolveHome(opts.home), out: makeOutput(opts.json === true) };
}

/** Opens the home for the duration of `work` and always closes it. */
export async function withDocket<T>(
  command: Command,
  work: (docket: Docket, out: Output) => Promise<T>,
  options: { readonly?: boolean } = {},
): Promise<T> {
  const { home, out } = globals(command);
  const docket = await openHome(home, options);
  try {
    return await work(docket, out);
  } finally {
    await docket.close();
  }
}
