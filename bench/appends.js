// Rows 5-6 (and the diagnostic rows): durable Ledger.append calls on a fresh SQLite ledger against raw
// better-sqlite3 inserts of the same rows. The two run interleaved in blocks (docket writes a block, the raw
// baseline replays exactly those rows, and so on), so both see the same disk at the same moment and at the same
// table sizes: on a noisy machine a slow minute then hurts both sides, not one.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { generateSigner } from '../dist/keys/index.js';
import { Ledger } from '../dist/ledger/index.js';
import { SqliteLogStore } from '../dist/ledger/sqlite/index.js';
import { LedgerRowReader, RawLedger } from './raw-ledger.js';
import { round } from './stats.js';

/** Allowance for a block costing more than the last one (the tables grow) when deciding to start another. */
const GROWTH_MARGIN = 1.25;

/**
 * @typedef {object} AppendRunOptions
 * @property {string} dir scratch directory; one database per leg is made in it
 * @property {string} label 'single' or 'batched', for file names and progress lines
 * @property {number} count entries requested
 * @property {number} batchSize records per Ledger.append call (1: one durable transaction per entry)
 * @property {number} blockSize entries per interleaved block (a multiple of batchSize)
 * @property {number | undefined} deadline performance.now() after which no new block starts (undefined: none)
 * @property {number} tail single-record appends to measure once the run is over, on the ledger it built
 * @property {boolean} attribute also replay onto raw tables that carry docket's triggers
 * @property {(line: string) => void} log progress, to stderr
 */

/**
 * Per block: the ledger size reached and each leg's mean milliseconds per entry within the block.
 *
 * @typedef {{ size: number, docketMsPerEntry: number, rawMsPerEntry: number, triggersMsPerEntry?: number }} Block
 */

/**
 * Call latencies of each leg, one entry per Ledger.append call or raw transaction.
 *
 * @typedef {{ docketMs: number[], rawMs: number[], triggersMs: number[] | undefined }} Latencies
 */

/**
 * @typedef {object} AppendRun
 * @property {number} requested
 * @property {number} measured entries appended by each leg
 * @property {string | null} stoppedEarly why fewer than requested were measured, or null
 * @property {Latencies} latencies
 * @property {Block[]} blocks
 * @property {{ entries: number, latencies: Latencies, block: Block } | undefined} tail single appends at the end
 */

/**
 * @typedef {object} Legs
 * @property {Ledger} ledger
 * @property {LedgerRowReader} reader
 * @property {RawLedger} raw
 * @property {RawLedger | undefined} triggers
 */

/**
 * @param {AppendRunOptions} options
 * @returns {Promise<AppendRun>}
 */
export async function runAppends({
  dir,
  label,
  count,
  batchSize,
  blockSize,
  deadline,
  tail,
  attribute,
  log,
}) {
  const ledgerPath = join(dir, `${label}-docket.db`);
  const store = SqliteLogStore.open(ledgerPath, { create: true });
  const ledger = new Ledger({ store, signer: generateSigner('bench.docket.local/ledger') });
  await ledger.initialise();
  /** @type {Legs} */
  const legs = {
    ledger,
    reader: new LedgerRowReader(ledgerPath),
    raw: new RawLedger(join(dir, `${label}-raw.db`), ledgerPath, { withTriggers: false }),
    triggers: attribute
      ? new RawLedger(join(dir, `${label}-raw-triggers.db`), ledgerPath, { withTriggers: true })
      : undefined,
  };
  /** @type {AppendRun} */
  const run = {
    requested: count,
    measured: 0,
    stoppedEarly: null,
    latencies: newLatencies(attribute),
    blocks: [],
    tail: undefined,
  };
  try {
    while (run.measured < count) {
      const blockStarted = performance.now();
      const to = Math.min(count, run.measured + blockSize);
      const block = await measureBlock(legs, run.measured, to, batchSize, run.latencies);
      run.blocks.push(block);
      run.measured = to;
      log(`appends (${label}): ${to}/${count}, ${describe(block)}`);
      const blockMs = performance.now() - blockStarted;
      if (
        run.measured < count &&
        deadline !== undefined &&
        performance.now() + blockMs * GROWTH_MARGIN > deadline
      ) {
        run.stoppedEarly =
          `stopped after ${run.measured} of ${count} entries: another block of ${blockSize} ` +
          `(the last took ${round(blockMs / 1000, 1)} s) would overrun the time budget`;
        break;
      }
    }
    if (tail > 0) {
      const latencies = newLatencies(attribute);
      const block = await measureBlock(legs, run.measured, run.measured + tail, 1, latencies);
      run.tail = { entries: tail, latencies, block };
      log(`appends (${label}): then ${tail} single appends at ${run.measured} entries, ${describe(block)}`);
    }
    checkReplay(ledgerPath, legs.raw, run.measured + tail);
    return run;
  } finally {
    legs.reader.close();
    legs.raw.close();
    legs.triggers?.close();
    await store.close();
  }
}

/**
 * Appends entries [from, to) with docket, `batchSize` records per call, then replays exactly the rows it
 * wrote onto the raw leg(s), one transaction per docket call.
 *
 * @param {Legs} legs
 * @param {number} from
 * @param {number} to
 * @param {number} batchSize
 * @param {Latencies} latencies appended to
 * @returns {Promise<Block>}
 */
async function measureBlock(legs, from, to, batchSize, latencies) {
  /** @type {[number, number][]} */
  const calls = [];
  for (let at = from; at < to; at += batchSize) calls.push([at, Math.min(to, at + batchSize)]);
  let docketMs = 0;
  for (const [start, end] of calls) {
    const records = [];
    for (let i = start; i < end; i++) records.push(sampleRecord(i));
    const started = performance.now();
    await legs.ledger.append(records);
    const ms = performance.now() - started;
    latencies.docketMs.push(ms);
    docketMs += ms;
  }
  const rows = legs.reader.read(calls);
  const entries = to - from;
  /** @type {Block} */
  const block = {
    size: to,
    docketMsPerEntry: round(docketMs / entries, 4),
    rawMsPerEntry: round(replayAll(legs.raw, rows, latencies.rawMs) / entries, 4),
  };
  if (legs.triggers !== undefined && latencies.triggersMs !== undefined) {
    block.triggersMsPerEntry = round(replayAll(legs.triggers, rows, latencies.triggersMs) / entries, 4);
  }
  return block;
}

/**
 * @param {boolean} attribute
 * @returns {Latencies}
 */
function newLatencies(attribute) {
  return { docketMs: [], rawMs: [], triggersMs: attribute ? [] : undefined };
}

/** @param {Block} block */
function describe(block) {
  const triggers = block.triggersMsPerEntry === undefined ? '' : `, ${block.triggersMsPerEntry} raw+triggers`;
  return `${block.docketMsPerEntry} ms/entry docket, ${block.rawMsPerEntry} ms/entry raw${triggers}`;
}

/**
 * @param {RawLedger} target
 * @param {import('./raw-ledger.js').CallRows[]} rows
 * @param {number[]} latencies appended to, one per call
 * @returns {number} total milliseconds
 */
function replayAll(target, rows, latencies) {
  let total = 0;
  for (const call of rows) {
    const ms = target.replay(call);
    latencies.push(ms);
    total += ms;
  }
  return total;
}

/**
 * The baseline must have stored exactly what docket stored, or its figure means nothing.
 *
 * @param {string} ledgerPath
 * @param {RawLedger} raw
 * @param {number} entries
 */
function checkReplay(ledgerPath, raw, entries) {
  const got = raw.counts();
  if (got.entries !== entries)
    throw new Error(`the raw baseline holds ${got.entries} entries, not ${entries}`);
  const reader = new LedgerRowReader(ledgerPath);
  try {
    const count = (/** @type {string} */ table) =>
      /** @type {{ n: number }} */ (reader.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).n;
    if (got.nodes !== count('tree_nodes') || got.checkpoints !== count('checkpoints')) {
      throw new Error('the raw baseline does not hold the same tree nodes and checkpoints as docket');
    }
  } finally {
    reader.close();
  }
}

/**
 * A record like the one `docket artefact put` appends: one subject, an artefact predicate, one extra key.
 *
 * @param {number} i
 * @returns {import('../dist/ledger/index.js').LedgerRecord}
 */
export function sampleRecord(i) {
  const name = `models/credit-model-${i}.onnx`;
  return {
    type: 'artefact',
    subject: [{ name, digest: `sha256:${createHash('sha256').update(name).digest('hex')}` }],
    predicate: {
      kind: 'model',
      mediaType: 'application/octet-stream',
      size: 1_000_000 + i,
      name,
      registeredBy: { kind: 'local-user', name: 'bench' },
    },
    keys: [{ key: 'artefact-kind', value: 'model' }],
  };
}
