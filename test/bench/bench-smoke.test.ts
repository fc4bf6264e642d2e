import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/test-support/shared.js';

// Structure only: a benchmark's figures depend on the machine and on whatever else it is doing, so no timing is
// ever asserted here. This checks that `--quick` runs end to end against the built dist/ and reports every row.

interface Row {
  name: string;
  title: string;
  unit: string;
  docket: number;
  baseline: number;
  baselineName: string;
  ratio: number;
  target: number | null;
  met: boolean | null;
  details: Record<string, unknown>;
}

interface BenchJson {
  schema: string;
  quick: boolean;
  machine: Record<string, unknown>;
  rows: Row[];
  skipped: { name: string; reason: string }[];
  appends: Record<string, { measured: number; blocks: unknown[] }>;
}

const REQUIRED_ROWS = [
  'hash-file',
  'put-file',
  'single-append',
  'single-append-at-size',
  'batched-append',
  'batched-append-at-size',
];
// Rows whose baseline tool (openssl) may be missing; then they are listed under `skipped` instead.
const OPTIONAL_ROWS = ['hash-file-openssl', 'put-file-copy'];

describe('bench/run.js --quick', () => {
  let out: string;
  let run: SpawnSyncReturns<string>;
  let result: BenchJson;

  beforeAll(() => {
    if (!existsSync(resolve(repoRoot, 'dist', 'ledger', 'index.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the bench smoke test');
    }
    out = mkdtempSync(join(tmpdir(), 'docket-bench-smoke-'));
    run = spawnSync(
      process.execPath,
      [join(repoRoot, 'bench', 'run.js'), '--quick', '--attribute', '--out', out],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    if (run.status === 0) result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as BenchJson;
  }, 120_000);

  afterAll(() => {
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  });

  it('exits 0 and prints the markdown table on stdout', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('| measurement | docket | baseline | ratio | target | met |');
    expect(readFileSync(join(out, 'latest.md'), 'utf8')).toBe(run.stdout);
  });

  it('reports every row, each with finite positive figures and a consistent verdict', () => {
    expect(result.schema).toBe('docket-bench/1');
    expect(result.quick).toBe(true);
    const names = result.rows.map((row) => row.name);
    for (const name of REQUIRED_ROWS) expect(names).toContain(name);
    for (const name of OPTIONAL_ROWS) {
      expect(names.includes(name) || result.skipped.some((s) => s.name === name), name).toBe(true);
    }
    expect(names).toContain('single-append-triggers');
    expect(new Set(names).size).toBe(names.length);
    for (const row of result.rows) {
      for (const figure of [row.docket, row.baseline, row.ratio]) {
        expect(Number.isFinite(figure) && figure > 0, `${row.name}: ${figure}`).toBe(true);
      }
      expect(row.title.length).toBeGreaterThan(0);
      expect(row.unit.length).toBeGreaterThan(0);
      expect(row.baselineName.length).toBeGreaterThan(0);
      if (row.target === null) {
        expect(row.met).toBeNull();
      } else {
        expect(row.target).toBeGreaterThan(0);
        expect(row.met).toBe(row.ratio >= row.target);
      }
    }
  });

  it('records the machine it ran on', () => {
    for (const key of ['cpuModel', 'cores', 'node', 'sqlite', 'diskFreeGiB']) {
      expect(result.machine[key], key).toBeDefined();
    }
    expect(result.machine.node).toBe(process.version);
  });

  it('measured every append it reports, in blocks', () => {
    for (const label of ['single', 'batched']) {
      const appends = result.appends[label];
      expect(appends?.measured).toBeGreaterThan(0);
      expect(appends?.blocks.length).toBeGreaterThan(0);
    }
  });
});
