import { assertOrdered, assertSize, HASH_SIZE } from './checks.js';
import { MerkleErrorCode, merkleError } from './errors.js';
import { EMPTY_ROOT, hashChildrenUnchecked } from './hash.js';
import type { NodeId } from './node-id.js';

/**
 * Decomposes the leaves [begin, end) into the fewest complete aligned subtrees, left to right (the "compact
 * range"): sizes grow while `begin` is poorly aligned, then shrink to fit `end`. At most ~2·53 nodes.
 *
 * @example
 * rangeNodes(0, 6);  // [{level: 2, index: 0}, {level: 1, index: 2}]
 * rangeNodes(3, 8);  // [{level: 0, index: 3}, {level: 2, index: 1}]
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  assertOrdered(begin, end, 'begin', 'end');
  const nodes: NodeId[] = [];
  let at = begin;
  while (at < end) {
    // Widest subtree aligned at `at` that fits: width divides `at` and width <= end - at.
    let width = 1;
    let level = 0;
    while (at % (width * 2) === 0 && width * 2 <= end - at) {
      width *= 2;
      level++;
    }
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/**
 * Folds the hashes of a left-to-right decomposition (as {@link rangeNodes} or {@link rootPlan} return it) right
 * to left: h0 ⊕ (h1 ⊕ (… ⊕ hn)). For a range that is a subtree of the RFC 9162 tree (begin = 0, or any range a
 * proof plan names) this is exactly its MTH; the empty list folds to {@link EMPTY_ROOT}.
 *
 * @example
 * const root = hashOfNodes(rootPlan(size).map(lookup));
 */
// RFC 9162 §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with D[0:k] the leftmost complete node.
export function hashOfNodes(hashes: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(hashes)) {
    throw merkleError(MerkleErrorCode.InvalidArgument, 'hashes must be an array of node hashes');
  }
  for (let i = 0; i < hashes.length; i++) {
    const hash: unknown = hashes[i];
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      throw merkleError(MerkleErrorCode.InvalidHash, `hashes[${i}] is not a ${HASH_SIZE}-byte hash`, {
        position: i,
      });
    }
  }
  return foldRightToLeft(hashes);
}

export function foldRightToLeft(hashes: readonly Uint8Array[]): Uint8Array {
  const last = hashes[hashes.length - 1];
  if (last === undefined) return EMPTY_ROOT.slice();
  let acc = last;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildrenUnchecked(hashes[i] as Uint8Array, acc);
  return acc;
}

/**
 * The complete nodes whose fold is the root of the tree of `size` leaves (one per set bit of `size`, largest
 * first). Also exactly the nodes needed to keep appending from `size` (see `TreeBuilder.resume`).
 *
 * @example
 * rootPlan(7); // [{level: 2, index: 0}, {level: 1, index: 2}, {level: 0, index: 6}]
 */
// RFC 9162 §2.1.1: MTH(D[n]) for D[0:n]
export function rootPlan(size: number): NodeId[] {
  assertSize(size, 'size');
  return rangeNodes(0, size);
}
