// The command-line baselines: spawned, timed wall-clock from spawn to exit (process start-up included; it is
// around a millisecond, noise next to a 1 GiB file).
import { spawn, spawnSync } from 'node:child_process';

/**
 * Runs a command to completion and times it.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @returns {Promise<{ ms: number, stdout: string }>}
 */
export function timeCommand(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */
    const out = [];
    /** @type {Buffer[]} */
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        const why = Buffer.concat(err).toString('utf8').trim();
        reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}: ${why}`));
        return;
      }
      resolve({ ms, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

/**
 * The first line of `command --version`-style output, or undefined when the command is not there.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @returns {string | undefined}
 */
export function toolVersion(command, args) {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0) return undefined;
  return run.stdout.split('\n')[0]?.trim();
}

/**
 * The hex digest in the first field of `sha256sum` output, or in the last of `openssl dgst` output.
 *
 * @param {string} output
 * @returns {string}
 */
export function hexFromToolOutput(output) {
  const match = /\b([0-9a-f]{64})\b/.exec(output);
  if (match === null) throw new Error(`no SHA-256 hex digest in tool output: ${output.slice(0, 200)}`);
  return /** @type {string} */ (match[1]);
}
