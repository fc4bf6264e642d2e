// Plan functions recomputed with BigInt straight from the RFC 9162 recursion over leaf ranges, as an oracle for the
// Number-based arithmetic at sizes above 2^32 and near 2^53 (BigInt operators are exact at any width).
import type { NodeId } from '../node-id.js';

export interface BigNodeId {
  level: bigint;
  index: bigint;
}

function lowestSetBit(x: bigint): bigint {
  return x & -x;
}

function largestPowerOfTwoAtMost(x: bigint): bigint {
  let p = 1n;
  while (p << 1n <= x) p <<= 1n;
  return p;
}

function log2(p: bigint): bigint {
  let level = 0n;
  while (1n << level < p) level++;
  return level;
}

/** Greedy compact range of [begin, end) using bit tricks. */
export function bigRangeNodes(begin: bigint, end: bigint): BigNodeId[] {
  const nodes: BigNodeId[] = [];
  let at = begin;
  while (at < end) {
    const fit = largestPowerOfTwoAtMost(end - at);
    const aligned = at === 0n ? fit : lowestSetBit(at);
    const width = aligned < fit ? aligned : fit;
    nodes.push({ level: log2(width), index: at / width });
    at += width;
  }
  return nodes;
}

function split(n: bigint): bigint {
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return k;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]) as leaf ranges, recursively. */
function pathRanges(m: bigint, lo: bigint, hi: bigint): Array<[bigint, bigint]> {
  const n = hi - lo;
  if (n <= 1n) return [];
  const k = split(n);
  if (m < k) return [...pathRanges(m, lo, lo + k), [lo + k, hi]];
  return [...pathRanges(m - k, lo + k, hi), [lo, lo + k]];
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b) as leaf ranges, recursively. */
function subproofRanges(m: bigint, lo: bigint, hi: bigint, b: boolean): Array<[bigint, bigint]> {
  const n = hi - lo;
  if (m === n) return b ? [] : [[lo, hi]];
  const k = split(n);
  if (m <= k) return [...subproofRanges(m, lo, lo + k, b), [lo + k, hi]];
  return [...subproofRanges(m - k, lo + k, hi, false), [lo, lo + k]];
}

export function bigInclusionPlan(index: bigint, size: bigint): BigNodeId[][] {
  return pathRanges(index, 0n, size).map(([b, e]) => bigRangeNodes(b, e));
}

export function bigConsistencyPlan(size1: bigint, size2: bigint): BigNodeId[][] {
  if (size1 === 0n || size1 === size2) return [];
  return subproofRanges(size1, 0n, size2, true).map(([b, e]) => bigRangeNodes(b, e));
}

export function bigAppendPlan(leafIndex: bigint): BigNodeId[] {
  const plan: BigNodeId[] = [];
  for (let level = 0n; (leafIndex >> level) & 1n; level++)
    plan.push({ level, index: (leafIndex >> level) - 1n });
  return plan;
}

/** NodeIds as BigInt pairs, to compare with the oracle without trusting Number conversions. */
export function toBig(ids: readonly NodeId[]): BigNodeId[] {
  return ids.map((id) => ({ level: BigInt(id.level), index: BigInt(id.index) }));
}
