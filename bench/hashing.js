// Rows 1-4: hashing a large file with docket (hashFile; ArtefactStore.putFile, which also writes and fsyncs a
// copy) against the coreutils and OpenSSL command-line tools on the same file, page cache warm for all.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openFsArtefactStore } from '../dist/artefacts/index.js';
import { hashFile } from '../dist/digest/index.js';
import { makeRow, median, round } from './stats.js';
import { hexFromToolOutput, timeCommand, toolVersion } from './tools.js';

const CHUNK = 8 * 1024 * 1024;
const GIB = 1024 ** 3;

/**
 * @typedef {object} HashingOptions
 * @property {string} dir scratch directory (the file and every copy are made and removed here)
 * @property {number} sizeBytes size of the test file
 * @property {number} rounds runs of each measurement; the median is reported
 * @property {(line: string) => void} log progress, to stderr
 */

/**
 * @typedef {object} Measurement
 * @property {string} name
 * @property {(round: number) => Promise<{ ms: number, hex?: string }>} run
 */

/**
 * @param {HashingOptions} options
 * @returns {Promise<{ rows: import('./stats.js').ResultRow[], skipped: { name: string, reason: string }[] }>}
 */
export async function benchHashing({ dir, sizeBytes, rounds, log }) {
  const needed = 2 * sizeBytes + GIB;
  const free = freeBytes(dir);
  if (free < needed) {
    throw new Error(
      `hashing needs ${gib(needed)} GiB free in ${dir} (has ${gib(free)}): pass --hash-mib or --dir`,
    );
  }
  // Outputs are kept until the end when there is room: deleting 1 GiB right before the next timed run makes
  // the filesystem discard blocks underneath it (this disk is mounted with `discard`).
  const keepOutputs = free >= (2 * rounds + 1) * sizeBytes + GIB;
  const source = join(dir, 'hash-source.bin');
  /** @type {string[]} */
  const outputs = [];
  try {
    log(`hashing: writing ${mib(sizeBytes)} MiB of random bytes to ${source}`);
    const expectedHex = writeRandomFile(source, sizeBytes);
    readThrough(source);
    const hasOpenssl = toolVersion('openssl', ['version']) !== undefined;
    if (toolVersion('sha256sum', ['--version']) === undefined) {
      throw new Error('sha256sum (GNU coreutils) is required for the hashing baseline');
    }

    /** @type {Measurement[]} */
    const measurements = [
      {
        name: 'hashFile',
        run: async () => {
          const started = performance.now();
          const { digest } = await hashFile(source);
          return { ms: performance.now() - started, hex: digest.slice('sha256:'.length) };
        },
      },
      {
        name: 'putFile',
        run: async (r) => {
          const root = join(dir, `store-${r}`);
          outputs.push(root);
          const store = await openFsArtefactStore(root, { create: true });
          const started = performance.now();
          const { digest } = await store.putFile(source);
          return { ms: performance.now() - started, hex: digest.slice('sha256:'.length) };
        },
      },
      {
        name: 'sha256sum',
        run: async () => {
          const { ms, stdout } = await timeCommand('sha256sum', [source]);
          return { ms, hex: hexFromToolOutput(stdout) };
        },
      },
    ];
    if (hasOpenssl) {
      measurements.push(
        {
          name: 'openssl',
          run: async () => {
            const { ms, stdout } = await timeCommand('openssl', ['dgst', '-sha256', source]);
            return { ms, hex: hexFromToolOutput(stdout) };
          },
        },
        {
          name: 'dd',
          run: async (r) => {
            const copy = join(dir, `copy-${r}.bin`);
            outputs.push(copy);
            const args = [`if=${source}`, `of=${copy}`, 'bs=1M', 'conv=fsync', 'status=none'];
            return { ms: (await timeCommand('dd', args)).ms };
          },
        },
      );
    }

    /** @type {Record<string, number[]>} */
    const times = Object.fromEntries(measurements.map((m) => [m.name, []]));
    for (let r = 0; r < rounds; r++) {
      // Rotate the order each round so that drift (thermal, a neighbour's I/O) falls on every tool alike.
      for (let k = 0; k < measurements.length; k++) {
        const m = /** @type {Measurement} */ (measurements[(r + k) % measurements.length]);
        const { ms, hex } = await m.run(r);
        if (hex !== undefined && hex !== expectedHex) {
          throw new Error(`${m.name} computed ${hex}, expected ${expectedHex}: the measurement is invalid`);
        }
        times[m.name]?.push(ms);
        log(`hashing: round ${r + 1}/${rounds} ${m.name} ${mbps(sizeBytes, ms)} MB/s`);
      }
      if (!keepOutputs) removeAll(outputs.splice(0));
    }

    const ms = (/** @type {string} */ name) => /** @type {number[]} */ (times[name]);
    const details = (/** @type {number[]} */ docketMs, /** @type {number[]} */ baselineMs) => ({
      sizeBytes,
      rounds,
      docketMs: docketMs.map((t) => round(t, 1)),
      baselineMs: baselineMs.map((t) => round(t, 1)),
      pageCache: 'warm: the file was read once before timing, then every run reads it from memory',
    });
    const row = (
      /** @type {string} */ name,
      /** @type {string} */ title,
      /** @type {string} */ baselineName,
      /** @type {number[]} */ docketMs,
      /** @type {number[]} */ baselineMs,
      /** @type {number | null} */ target = 0.9,
    ) =>
      makeRow({
        name,
        title,
        unit: 'MB/s',
        docket: mbps(sizeBytes, median(docketMs)),
        baselineName,
        baseline: mbps(sizeBytes, median(baselineMs)),
        target,
        details: details(docketMs, baselineMs),
      });

    const size = `${mib(sizeBytes)} MiB`;
    const rows = [row('hash-file', `hashFile, ${size} file`, 'sha256sum', ms('hashFile'), ms('sha256sum'))];
    /** @type {{ name: string, reason: string }[]} */
    const skipped = [];
    if (hasOpenssl) {
      rows.push(
        row(
          'hash-file-openssl',
          `hashFile, ${size} file`,
          'openssl dgst -sha256',
          ms('hashFile'),
          ms('openssl'),
        ),
      );
    }
    // Diagnostic: putFile is bound by the disk's write speed, sha256sum by the CPU, so their ratio says which of
    // the two is faster on this machine, not how well docket does. put-file-copy is the like-for-like row.
    rows.push(
      row(
        'put-file',
        `ArtefactStore.putFile, ${size} file`,
        'sha256sum',
        ms('putFile'),
        ms('sha256sum'),
        null,
      ),
    );
    if (hasOpenssl) {
      const sums = ms('openssl').map((t, i) => t + /** @type {number} */ (ms('dd')[i]));
      rows.push(
        row(
          'put-file-copy',
          `ArtefactStore.putFile, ${size} file`,
          'openssl dgst -sha256, then dd conv=fsync',
          ms('putFile'),
          sums,
        ),
      );
    } else {
      for (const name of ['hash-file-openssl', 'put-file-copy']) {
        skipped.push({ name, reason: 'openssl is not installed' });
      }
    }
    return { rows, skipped };
  } finally {
    removeAll([source, ...outputs]);
  }
}

/**
 * Writes `size` random bytes in chunks, fsyncs them (so write-back cannot land inside a timed run) and returns
 * their SHA-256, an independent reference that every tool's answer is checked against.
 *
 * @param {string} path
 * @param {number} size
 * @returns {string}
 */
function writeRandomFile(path, size) {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const hash = createHash('sha256');
  const fd = openSync(path, 'wx', 0o600);
  try {
    for (let written = 0; written < size; ) {
      const chunk = buffer.subarray(0, Math.min(CHUNK, size - written));
      randomFillSync(chunk);
      hash.update(chunk);
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      written += chunk.length;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** @param {string} path Reads the whole file once, so that every timed run finds it in the page cache. */
function readThrough(path) {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  try {
    while (readSync(fd, buffer, 0, CHUNK, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** @param {readonly string[]} paths */
function removeAll(paths) {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
}

/**
 * @param {string} dir
 * @returns {number}
 */
export function freeBytes(dir) {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/**
 * @param {number} bytes
 * @param {number} ms
 */
function mbps(bytes, ms) {
  return round(bytes / 1e6 / (ms / 1000), 1);
}

/** @param {number} bytes */
function mib(bytes) {
  return round(bytes / 1024 ** 2, 1);
}

/** @param {number} bytes */
function gib(bytes) {
  return round(bytes / GIB, 1);
}
