// Machine facts, the markdown table, and the files under bench/results/ (gitignored).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, arch as osArch, release, totalmem, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { freeBytes } from './hashing.js';
import { round } from './stats.js';
import { toolVersion } from './tools.js';

/**
 * @typedef {object} BenchResult
 * @property {string} schema
 * @property {string} startedAt
 * @property {number} durationSeconds
 * @property {boolean} quick
 * @property {Record<string, unknown>} options
 * @property {Record<string, unknown>} machine
 * @property {import('./stats.js').ResultRow[]} rows
 * @property {{ name: string, reason: string }[]} skipped
 * @property {string[]} notes
 * @property {Record<string, AppendsSummary>} appends
 */

/**
 * @typedef {object} AppendsSummary
 * @property {number} requested
 * @property {number} measured
 * @property {string | null} stoppedEarly
 * @property {import('./appends.js').Block[]} blocks
 * @property {{ entries: number, block: import('./appends.js').Block } | undefined} tail
 */

/**
 * @param {string} scratchDir where the files under test were written
 * @param {string} repoRoot
 * @returns {Record<string, unknown>}
 */
export function machineInfo(scratchDir, repoRoot) {
  const memory = new Database(':memory:');
  const sqlite = /** @type {{ v: string }} */ (memory.prepare('SELECT sqlite_version() AS v').get()).v;
  memory.close();
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    os: `${type()} ${release()} ${osArch()}`,
    node: process.version,
    sqlite,
    betterSqlite3: packageVersion('better-sqlite3'),
    scratchDir,
    filesystem: mountOf(scratchDir),
    diskFreeGiB: round(freeBytes(scratchDir) / 1024 ** 3, 1),
    sha256sum: toolVersion('sha256sum', ['--version']) ?? 'absent',
    openssl: toolVersion('openssl', ['version']) ?? 'absent',
    git: gitDescription(repoRoot),
    loadAverageAtStart: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages: above the core count, other work competed with the run. */
export function loadAverage() {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

/**
 * @param {BenchResult} result
 * @returns {string}
 */
export function renderMarkdown(result) {
  const lines = [
    '# docket benchmark',
    '',
    `${result.startedAt}, ${round(result.durationSeconds, 0)} s${result.quick ? ', --quick (smoke sizes: figures are not meaningful)' : ''}. ` +
      'Each ratio is docket / baseline, both measured in this run on this machine; higher is better.',
    '',
    '| measurement | docket | baseline | ratio | target | met |',
    '| --- | ---: | ---: | ---: | ---: | :---: |',
  ];
  for (const row of result.rows) {
    const target = row.target === null ? 'diagnostic' : `≥ ${row.target}`;
    const met = row.met === null ? '–' : row.met ? 'yes' : '**no**';
    lines.push(
      `| ${row.title} (\`${row.name}\`) | ${figure(row.docket, row.unit, latencyOf(row, 'docketLatency'))} | ` +
        `${figure(row.baseline, row.unit, latencyOf(row, 'rawLatency'))}<br>${row.baselineName} | ` +
        `${row.ratio.toFixed(2)} | ${target} | ${met} |`,
    );
  }
  for (const s of result.skipped) lines.push(`| \`${s.name}\` | skipped: ${s.reason} | | | | |`);
  for (const [label, run] of Object.entries(result.appends)) {
    const triggers = run.blocks.some((block) => block.triggersMsPerEntry !== undefined);
    lines.push('', `${label} appends, per block (mean ms per entry as the ledger grows):`, '');
    lines.push(
      `| entries | docket ms/entry | raw ms/entry |${triggers ? ' raw + triggers ms/entry |' : ''}`,
      `| ---: | ---: | ---: |${triggers ? ' ---: |' : ''}`,
    );
    const blocks = sample(run.blocks, 12);
    if (run.tail !== undefined) blocks.push(run.tail.block);
    for (const block of blocks) {
      const size =
        block === run.tail?.block
          ? `${block.size} (the last ${run.tail.entries} one per call)`
          : `${block.size}`;
      const extra = triggers ? ` ${block.triggersMsPerEntry ?? ''} |` : '';
      lines.push(`| ${size} | ${block.docketMsPerEntry} | ${block.rawMsPerEntry} |${extra}`);
    }
  }
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `- ${note}`));
  lines.push('', 'Machine:', '');
  for (const [key, value] of Object.entries(result.machine)) lines.push(`- ${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `bench-<time>.json` and `.md`, and the same as `latest.json` / `latest.md`.
 *
 * @param {string} outDir
 * @param {BenchResult} result
 * @param {string} markdown
 * @returns {{ json: string, markdown: string }} the paths of the timestamped files
 */
export function writeResults(outDir, result, markdown) {
  mkdirSync(outDir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const paths = { json: join(outDir, `bench-${stamp}.json`), markdown: join(outDir, `bench-${stamp}.md`) };
  writeFileSync(paths.json, json);
  writeFileSync(paths.markdown, markdown);
  writeFileSync(join(outDir, 'latest.json'), json);
  writeFileSync(join(outDir, 'latest.md'), markdown);
  return paths;
}

/**
 * @param {number} value
 * @param {string} unit
 * @param {{ p50Ms: number, p99Ms: number } | undefined} latency
 */
function figure(value, unit, latency) {
  const main = `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${unit}`;
  return latency === undefined ? main : `${main}<br>p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`;
}

/**
 * @param {import('./stats.js').ResultRow} row
 * @param {string} key
 * @returns {{ p50Ms: number, p99Ms: number } | undefined}
 */
function latencyOf(row, key) {
  return /** @type {{ p50Ms: number, p99Ms: number } | undefined} */ (row.details[key]);
}

/**
 * At most `n` items, evenly spaced, always with the first and the last.
 *
 * @template T
 * @param {readonly T[]} items
 * @param {number} n
 * @returns {T[]}
 */
function sample(items, n) {
  if (items.length <= n) return [...items];
  const picked = new Set([0, items.length - 1]);
  for (let k = 1; k < n - 1; k++) picked.add(Math.round((k * (items.length - 1)) / (n - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => /** @type {T} */ (items[i]));
}

/** @param {string} name */
function packageVersion(name) {
  try {
    const require = createRequire(import.meta.url);
    const pkg = resolve(dirname(require.resolve(name)), '..', 'package.json');
    return /** @type {{ version: string }} */ (JSON.parse(readFileSync(pkg, 'utf8'))).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The filesystem type and mount options of the mount holding `path` (Linux), e.g. `ext4 on / (rw,discard)`.
 *
 * @param {string} path
 * @returns {string}
 */
function mountOf(path) {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields.length >= 4 && isUnder(path, /** @type {string} */ (fields[1])));
    const best = mounts.sort((a, b) => (b[1]?.length ?? 0) - (a[1]?.length ?? 0))[0];
    return best === undefined ? 'unknown' : `${best[2]} on ${best[1]} (${best[3]})`;
  } catch {
    return 'unknown';
  }
}

/**
 * @param {string} path
 * @param {string} mountPoint
 */
function isUnder(path, mountPoint) {
  return path === mountPoint || path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
}

/** @param {string} repoRoot */
function gitDescription(repoRoot) {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return `${head.stdout.trim()}${status.stdout.trim() === '' ? '' : ' (with uncommitted changes)'}`;
}
