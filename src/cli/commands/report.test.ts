import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Digest } from '../../digest/index.js';
import { comparisonFiles, explanationFiles, scratchDir } from '../../reports/test-support/report-fixtures.js';
import { main } from '../main.js';

// In-process runs of `docket report …`; no docket home is needed.
describe('docket report', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await scratchDir();
  });
  afterEach(async () => {
    process.exitCode = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function docket(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    try {
      return { status: await main(['node', 'docket', ...args]), stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
    }
  }

  it('compare writes the report and prints its digest; --comparison-dir stands for --psi and --manifest', async () => {
    const files = comparisonFiles('1', '2');
    const output = join(dir, 'compare.html');
    const run = await docket(
      '--json',
      'report',
      'compare',
      '--champion-metrics',
      files.championMetrics,
      '--challenger-metrics',
      files.challengerMetrics,
      '--comparison-dir',
      join(files.psi, '..'),
      '--policy',
      files.policy,
      '-o',
      output,
    );
    expect(run.status).toBe(0);
    const bytes = await readFile(output);
    expect(JSON.parse(run.stdout)).toEqual({
      path: output,
      digest: sha256Digest(new Uint8Array(bytes)),
      bytes: bytes.byteLength,
    });
    const explicit = join(dir, 'explicit.html');
    const again = await docket(
      'report',
      'compare',
      '--champion-metrics',
      files.championMetrics,
      '--challenger-metrics',
      files.challengerMetrics,
      '--psi',
      files.psi,
      '--manifest',
      files.manifest,
      '--policy',
      files.policy,
      '-o',
      explicit,
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`digest ${sha256Digest(new Uint8Array(bytes))}`);
    expect(await readFile(explicit)).toEqual(bytes);
  });

  it('explain-diff writes the report and prints its digest', async () => {
    const files = explanationFiles('2', '3');
    const output = join(dir, 'diff.html');
    const run = await docket(
      'report',
      'explain-diff',
      '--champion',
      files.champion,
      '--challenger',
      files.challenger,
      '-o',
      output,
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      `wrote ${output} (${(await readFile(output)).byteLength} bytes)\ndigest ${sha256Digest(new Uint8Array(await readFile(output)))}\n`,
    );
  });

  it('exits 3 with the coded error for a refused input, 2 for a missing option', async () => {
    const files = explanationFiles('1', '2');
    const refused = await docket(
      'report',
      'explain-diff',
      '--champion',
      files.challenger.replace('explanation.json', 'metrics.json'),
      '--challenger',
      files.challenger,
      '-o',
      join(dir, 'x.html'),
    );
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('[ERR_REPORT_INPUT_INVALID]');
    expect(refused.stderr).toContain('/meanAbsAttribution: is required but missing');
    const c = comparisonFiles('1', '2');
    const usage = await docket(
      'report',
      'compare',
      '--champion-metrics',
      c.championMetrics,
      '--challenger-metrics',
      c.challengerMetrics,
      '--policy',
      c.policy,
      '-o',
      join(dir, 'y.html'),
    );
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--psi is required');
  });
});
