// `npm run bench`: docket against baselines measured in the same run on the same machine, reported as ratios.
// Progress goes to stderr; the table to stdout and, with the raw figures, to bench/results/ (see README.md).
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: node bench/run.js [options]   (npm run bench builds dist/ first)

  --quick             smoke sizes (16 MiB file, 200 + 1000 appends), seconds; figures are not meaningful
  --appends N         single-record durable appends (default 100000, cut short by --budget unless given)
  --batched N         records appended in batches (default 100000, cut short by --budget unless given)
  --batch-size N      records per batched append call (default 100)
  --tail N            single appends measured on the ledger the batched run filled (default 500)
  --hash-mib N        size of the hashed file in MiB (default 1024)
  --rounds N          runs of each hashing measurement; the median is reported (default 3)
  --budget SECONDS    time budget of the whole run (default 540; 0: none); only default counts are cut
  --only PART         run only "hashing" or "appends"
  --attribute         also replay appends onto raw tables with docket's triggers (diagnostic rows)
  --dir DIR           scratch directory (default: the OS temp dir); everything made there is removed
  --out DIR           where results go (default bench/results, bench/results/quick with --quick)
  --help`;

/**
 * @typedef {object} BenchOptions
 * @property {boolean} quick
 * @property {number} appends
 * @property {boolean} appendsGiven
 * @property {number} batched
 * @property {boolean} batchedGiven
 * @property {number} batchSize
 * @property {number} tail
 * @property {number} hashMib
 * @property {number} rounds
 * @property {number} budgetSeconds 0: none
 * @property {'hashing' | 'appends' | undefined} only
 * @property {boolean} attribute
 * @property {string} dir
 * @property {string} out
 */

/**
 * @param {string[]} argv
 * @returns {BenchOptions | undefined} undefined when --help was asked for
 */
function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      appends: { type: 'string' },
      batched: { type: 'string' },
      'batch-size': { type: 'string' },
      tail: { type: 'string' },
      'hash-mib': { type: 'string' },
      rounds: { type: 'string' },
      budget: { type: 'string' },
      only: { type: 'string' },
      attribute: { type: 'boolean', default: false },
      dir: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick;
  if (values.only !== undefined && values.only !== 'hashing' && values.only !== 'appends') {
    throw new UsageError(`--only takes "hashing" or "appends", not ${JSON.stringify(values.only)}`);
  }
  return {
    quick,
    appends: count('--appends', values.appends, quick ? 200 : 100_000),
    appendsGiven: values.appends !== undefined,
    batched: count('--batched', values.batched, quick ? 1000 : 100_000),
    batchedGiven: values.batched !== undefined,
    batchSize: count('--batch-size', values['batch-size'], 100),
    tail: count('--tail', values.tail, quick ? 50 : 500, { zero: true }),
    hashMib: count('--hash-mib', values['hash-mib'], quick ? 16 : 1024),
    rounds: count('--rounds', values.rounds, 3),
    budgetSeconds: count('--budget', values.budget, quick ? 0 : 540, { zero: true }),
    only: values.only,
    attribute: values.attribute,
    dir: realpathSync(values.dir ?? tmpdir()),
    // A smoke run never replaces the latest real results.
    out: resolve(values.out ?? join(repoRoot, 'bench', 'results', ...(quick ? ['quick'] : []))),
  };
}

/**
 * @param {string} flag
 * @param {string | undefined} text
 * @param {number} fallback
 * @param {{ zero?: boolean }} [options]
 * @returns {number}
 */
function count(flag, text, fallback, { zero = false } = {}) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < (zero ? 0 : 1)) {
    throw new UsageError(
      `${flag} takes a ${zero ? 'non-negative' : 'positive'} integer, not ${JSON.stringify(text)}`,
    );
  }
  return value;
}

class UsageError extends Error {}

/** @param {string} line */
function log(line) {
  process.stderr.write(`[bench] ${line}\n`);
}

async function main() {
  /** @type {BenchOptions | undefined} */
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!existsSync(join(repoRoot, 'dist', 'ledger', 'index.js'))) {
    process.stderr.write('dist/ is missing: run `npm run build` first (`npm run bench` does)\n');
    return 1;
  }
  // Imported only now: they load the compiled library from dist/.
  const { appendRows } = await import('./append-rows.js');
  const { runAppends } = await import('./appends.js');
  const { benchHashing } = await import('./hashing.js');
  const { loadAverage, machineInfo, renderMarkdown, writeResults } = await import('./report.js');

  const started = performance.now();
  const startedAt = new Date().toISOString();
  const deadline = options.budgetSeconds === 0 ? undefined : started + options.budgetSeconds * 1000;
  const scratch = mkdtempSync(join(options.dir, 'docket-bench-'));
  const onSignal = () => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const machine = machineInfo(scratch, repoRoot);
    log(
      `machine: ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, sqlite ${machine.sqlite}`,
    );
    /** @type {import('./stats.js').ResultRow[]} */
    const rows = [];
    /** @type {{ name: string, reason: string }[]} */
    const skipped = [];
    /** @type {string[]} */
    const notes = [];
    /** @type {import('./report.js').BenchResult['appends']} */
    const appends = {};

    if (options.only !== 'appends') {
      const hashing = await benchHashing({
        dir: scratch,
        sizeBytes: options.hashMib * 1024 * 1024,
        rounds: options.rounds,
        log,
      });
      rows.push(...hashing.rows);
      skipped.push(...hashing.skipped);
    }

    if (options.only !== 'hashing') {
      const { batchSize } = options;
      // Batched appends get a share of what is left; single appends, last, get the rest.
      const batchedDeadline =
        deadline === undefined || options.batchedGiven
          ? undefined
          : performance.now() + (deadline - performance.now()) * 0.35;
      const batched = await runAppends({
        dir: scratch,
        label: 'batched',
        count: options.batched,
        batchSize,
        blockSize: batchSize * Math.max(1, Math.round((options.quick ? 500 : 10_000) / batchSize)),
        deadline: batchedDeadline,
        tail: options.tail,
        attribute: options.attribute,
        log,
      });
      const single = await runAppends({
        dir: scratch,
        label: 'single',
        count: options.appends,
        batchSize: 1,
        blockSize: options.quick ? 100 : 1000,
        deadline: options.appendsGiven ? undefined : deadline,
        tail: 0,
        attribute: options.attribute,
        log,
      });
      rows.push(...appendRows(single, batched, batchSize));
      for (const [label, run] of /** @type {const} */ ([
        ['single', single],
        ['batched', batched],
      ])) {
        appends[label] = {
          requested: run.requested,
          measured: run.measured,
          stoppedEarly: run.stoppedEarly,
          blocks: run.blocks,
          tail: run.tail === undefined ? undefined : { entries: run.tail.entries, block: run.tail.block },
        };
        if (run.stoppedEarly !== null) {
          notes.push(
            `${label} appends: ${run.stoppedEarly} (--budget ${options.budgetSeconds} s). ` +
              `Pass --${label === 'single' ? 'appends' : 'batched'} ${run.requested} to measure all of them.`,
          );
        }
      }
      const first = single.blocks[0];
      if (first !== undefined) {
        const perEntry = first.docketMsPerEntry + first.rawMsPerEntry;
        notes.push(
          `single appends, first block of ${first.size}: ${first.docketMsPerEntry} ms per docket append, ` +
            `${first.rawMsPerEntry} ms per raw transaction; ${options.appends} of each at that rate would take ` +
            `${Math.round((perEntry * options.appends) / 1000)} s.`,
        );
      }
    }

    if (rows.some((row) => row.met === false)) {
      notes.push('A ratio below its target: see "When a ratio misses its target" in bench/README.md.');
    }
    const result = {
      schema: 'docket-bench/1',
      startedAt,
      durationSeconds: (performance.now() - started) / 1000,
      quick: options.quick,
      options: { ...options },
      machine: { ...machine, loadAverageAtEnd: loadAverage() },
      rows,
      skipped,
      notes,
      appends,
    };
    const markdown = renderMarkdown(result);
    const paths = writeResults(options.out, result, markdown);
    process.stdout.write(markdown);
    log(`results: ${paths.json} and ${paths.markdown} (also latest.json / latest.md)`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main();
