// Order statistics and the shape of one result row. Every figure is a throughput (higher is better), so a
// ratio docket / baseline >= target means docket is at least `target` times as fast as the baseline.

/**
 * @typedef {object} ResultRow
 * @property {string} name Stable identifier (the smoke test and any dashboards key on it).
 * @property {string} title What was measured, for people.
 * @property {string} unit Unit of `docket` and `baseline`.
 * @property {number} docket docket's figure.
 * @property {string} baselineName What the baseline is.
 * @property {number} baseline The baseline's figure, measured in the same run.
 * @property {number} ratio docket / baseline.
 * @property {number | null} target Minimum ratio aimed for; null for a diagnostic row.
 * @property {boolean | null} met Whether ratio >= target; null for a diagnostic row.
 * @property {Record<string, unknown>} details Latencies, rounds, counts: whatever explains the figures.
 */

/**
 * The median of a non-empty list.
 *
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const lower = sorted[Math.floor((sorted.length - 1) / 2)];
  const upper = sorted[Math.ceil((sorted.length - 1) / 2)];
  if (lower === undefined || upper === undefined) throw new Error('median of nothing');
  return (lower + upper) / 2;
}

/**
 * Nearest-rank percentile (p in (0, 100]) of an ascending list.
 *
 * @param {ArrayLike<number>} sorted
 * @param {number} p
 * @returns {number}
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) throw new Error('percentile of nothing');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return /** @type {number} */ (sorted[rank - 1]);
}

/**
 * Latency summary in milliseconds.
 *
 * @param {readonly number[]} latenciesMs one entry per call
 * @returns {{ calls: number, totalMs: number, p50Ms: number, p99Ms: number, maxMs: number }}
 */
export function latencySummary(latenciesMs) {
  const sorted = Float64Array.from(latenciesMs).sort();
  const totalMs = latenciesMs.reduce((sum, ms) => sum + ms, 0);
  return {
    calls: sorted.length,
    totalMs: round(totalMs, 1),
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    maxMs: round(/** @type {number} */ (sorted[sorted.length - 1]), 3),
  };
}

/**
 * Builds a row, computing the ratio and whether the target is met.
 *
 * @param {Omit<ResultRow, 'ratio' | 'met'>} row
 * @returns {ResultRow}
 */
export function makeRow(row) {
  const ratio = row.docket / row.baseline;
  return {
    ...row,
    docket: round(row.docket, 2),
    baseline: round(row.baseline, 2),
    ratio: round(ratio, 3),
    met: row.target === null ? null : ratio >= row.target,
  };
}

/**
 * @param {number} value
 * @param {number} digits
 * @returns {number}
 */
export function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
