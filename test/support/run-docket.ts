import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../src/test-support/shared.js';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

const bin = resolve(repoRoot, 'bin', 'docket.js');

/** Runs the built `docket` executable as a user would (npm test builds dist/ first). */
export function runDocket(
  args: string[],
  options: { home: string; input?: string | Buffer; cwd?: string; env?: Record<string, string> },
): RunResult {
  if (!existsSync(resolve(repoRoot, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  }
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env, DOCKET_HOME: options.home },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

export function tempHome(): string {
  return join(mkdtempSync(join(tmpdir(), 'docket-cli-')), 'home');
}
