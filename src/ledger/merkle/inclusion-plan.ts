import { assertLeafIndex } from './checks.js';
import type { NodeId } from './node-id.js';
import { rangeNodes } from './range.js';

/**
 * Walks the audit path of leaf `index` from the leaf up, calling `visit` with the leaf range [begin, end) of each
 * proof element: the sibling of the leaf's ancestor at each level, clipped to `size`. Where that sibling starts
 * beyond `size` the ancestor is the tree's right edge and moves up unchanged, contributing nothing.
 */
// RFC 9162 §2.1.3.1: PATH(m, D[n]), equivalently expressed over aligned subtrees (RFC 9162 §2.1.1).
function walkAuditPath(index: number, size: number, visit: (begin: number, end: number) => void): void {
  for (let width = 1; width < size; width *= 2) {
    const ancestor = Math.floor(index / width);
    const sibling = ancestor % 2 === 0 ? ancestor + 1 : ancestor - 1;
    const begin = sibling * width;
    if (begin >= size) continue;
    visit(begin, size - begin <= width ? size : begin + width);
  }
}

/**
 * Which stored nodes make up the inclusion proof of leaf `index` in the tree of `size` leaves: one `NodeId[]`
 * per proof element, in RFC 9162 order (leaf to root). Each element is the MTH of a subtree, which is one complete
 * node, or, on the right edge, several nodes folded with {@link hashOfNodes}. Resolve with {@link resolvePlan}.
 *
 * @example
 * const plan = inclusionPlan(5, 8); // [[{level:0,index:4}], [{level:1,index:3}], [{level:2,index:0}]]
 * const fetched = await store.nodes(plan.flat()); // one batch
 * const proof = resolvePlan(plan, (id) => fetched.get(nodeKey(id)) ?? fail(id));
 */
// RFC 9162 §2.1.3.1
export function inclusionPlan(index: number, size: number): NodeId[][] {
  assertLeafIndex(index, size);
  const plan: NodeId[][] = [];
  walkAuditPath(index, size, (begin, end) => plan.push(rangeNodes(begin, end)));
  return plan;
}

/** Number of hashes in the inclusion proof of `index` in a tree of `size` (both already validated). */
export function inclusionProofLength(index: number, size: number): number {
  let length = 0;
  walkAuditPath(index, size, () => length++);
  return length;
}
