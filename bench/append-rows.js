// The append rows of the report, from the single-record run and the batched run (with its tail of single
// appends on the ledger the batches filled).
import { latencySummary, makeRow } from './stats.js';

const RAW = 'raw better-sqlite3 inserts of the same rows';
const TARGET = 0.5;

/**
 * @param {import('./appends.js').AppendRun} single
 * @param {import('./appends.js').AppendRun} batched
 * @param {number} batchSize
 * @returns {import('./stats.js').ResultRow[]}
 */
export function appendRows(single, batched, batchSize) {
  const lastBatched = lastBlock(batched, batchSize);
  const rows = [
    throughputRow({
      name: 'single-append',
      title: `durable Ledger.append, 1 record per call: ${single.measured} appends from empty`,
      unit: 'appends/s',
      entries: single.measured,
      latencies: single.latencies,
      details: {
        requested: single.requested,
        stoppedEarly: single.stoppedEarly,
        lastBlock: lastBlock(single, 1).block,
      },
    }),
  ];
  if (batched.tail !== undefined) {
    rows.push(
      throughputRow({
        name: 'single-append-at-size',
        title:
          `durable Ledger.append, 1 record per call: ${batched.tail.entries} appends ` +
          `at ${batched.measured} entries (filled by the batched run)`,
        unit: 'appends/s',
        entries: batched.tail.entries,
        latencies: batched.tail.latencies,
        details: { ledgerSize: batched.measured, block: batched.tail.block },
      }),
    );
  }
  rows.push(
    throughputRow({
      name: 'batched-append',
      title: `durable Ledger.append, ${batchSize} records per call: ${batched.measured} records from empty`,
      unit: 'records/s',
      entries: batched.measured,
      latencies: batched.latencies,
      details: {
        requested: batched.requested,
        stoppedEarly: batched.stoppedEarly,
        recordsPerCall: batchSize,
      },
    }),
    throughputRow({
      name: 'batched-append-at-size',
      title: `durable Ledger.append, ${batchSize} records per call: the last ${lastBatched.entries} records, up to ${batched.measured}`,
      unit: 'records/s',
      entries: lastBatched.entries,
      latencies: lastBatched.latencies,
      details: { block: lastBatched.block, recordsPerCall: batchSize },
    }),
  );
  /** @type {[string, string, string, number, import('./appends.js').Latencies | undefined][]} */
  const diagnostics = [
    [
      'single-append-triggers',
      'appends/s',
      `${single.measured} single appends from empty`,
      single.measured,
      single.latencies,
    ],
    [
      'single-append-at-size-triggers',
      'appends/s',
      `${batched.tail?.entries} single appends at ${batched.measured} entries`,
      batched.tail?.entries ?? 0,
      batched.tail?.latencies,
    ],
    [
      'batched-append-triggers',
      'records/s',
      `${batched.measured} batched records`,
      batched.measured,
      batched.latencies,
    ],
  ];
  for (const [name, unit, what, entries, latencies] of diagnostics) {
    const triggersMs = latencies?.triggersMs;
    if (latencies === undefined || triggersMs === undefined || entries === 0) continue;
    const perSecond = (/** @type {number[]} */ ms) => entries / (sum(ms) / 1000);
    rows.push(
      makeRow({
        name,
        title: `diagnostic: raw inserts of ${what}, on tables that carry docket's triggers`,
        unit,
        docket: perSecond(triggersMs),
        baselineName: 'the same inserts without the triggers',
        baseline: perSecond(latencies.rawMs),
        target: null,
        details: {
          entries,
          triggersLatency: latencySummary(triggersMs),
          rawLatency: latencySummary(latencies.rawMs),
        },
      }),
    );
  }
  return rows;
}

/**
 * @param {object} row
 * @param {string} row.name
 * @param {string} row.title
 * @param {string} row.unit
 * @param {number} row.entries
 * @param {import('./appends.js').Latencies} row.latencies
 * @param {Record<string, unknown>} row.details
 * @returns {import('./stats.js').ResultRow}
 */
function throughputRow({ name, title, unit, entries, latencies, details }) {
  return makeRow({
    name,
    title,
    unit,
    docket: entries / (sum(latencies.docketMs) / 1000),
    baselineName: RAW,
    baseline: entries / (sum(latencies.rawMs) / 1000),
    target: TARGET,
    details: {
      entries,
      docketLatency: latencySummary(latencies.docketMs),
      rawLatency: latencySummary(latencies.rawMs),
      ...details,
    },
  });
}

/**
 * The last block of a run with the latencies of its calls.
 *
 * @param {import('./appends.js').AppendRun} run
 * @param {number} batchSize
 * @returns {{ entries: number, block: import('./appends.js').Block, latencies: import('./appends.js').Latencies }}
 */
function lastBlock(run, batchSize) {
  const block = /** @type {import('./appends.js').Block} */ (run.blocks[run.blocks.length - 1]);
  const before =
    run.blocks.length > 1
      ? /** @type {import('./appends.js').Block} */ (run.blocks[run.blocks.length - 2]).size
      : 0;
  const entries = block.size - before;
  const calls = Math.ceil(entries / batchSize);
  const { docketMs, rawMs, triggersMs } = run.latencies;
  return {
    entries,
    block,
    latencies: {
      docketMs: docketMs.slice(-calls),
      rawMs: rawMs.slice(-calls),
      triggersMs: triggersMs?.slice(-calls),
    },
  };
}

/** @param {readonly number[]} values */
function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}
