import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type RunResult, runDocket } from './run-docket.js';

/**
 * The small vocabulary the CLI end-to-end tests share: run docket in a home, parse its --json output, write
 * input files into a work directory, store artefacts, build an MLflow-shaped model directory, mint dev tokens.
 * `home()` and `work()` are read on every call, so a test may switch to a fresh home in beforeEach.
 */
export function cliSession(home: () => string, work: () => string) {
  const docket = (args: string[]): RunResult => runDocket(args, { home: home() });
  const json = (args: string[], status = 0) => {
    const run = docket([...args, '--json']);
    expect(run.status, `${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(status);
    return JSON.parse(run.stdout);
  };
  const file = (name: string, content: string): string => {
    const path = join(work(), name);
    writeFileSync(path, content);
    return path;
  };
  const put = (path: string, kind: string): string => json(['artefact', 'put', path, '--kind', kind]).digest;
  const modelDir = (name: string, weights: string): string => {
    const dir = join(work(), name);
    mkdirSync(join(dir, 'weights'), { recursive: true });
    writeFileSync(join(dir, 'MLmodel'), `artifact_path: model\nname: ${name}\n`);
    writeFileSync(join(dir, 'weights', 'model.bin'), weights);
    return dir;
  };
  const mint = (subject: string, groups: string): string => {
    const run = docket(['dev-identity', subject, '--groups', groups]);
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.trim();
  };
  return { docket, json, file, put, modelDir, mint };
}
