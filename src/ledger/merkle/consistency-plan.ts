import { largestPowerOfTwoBelow } from './arithmetic.js';
import { assertOrdered } from './checks.js';
import type { NodeId } from './node-id.js';
import { rangeNodes } from './range.js';

/**
 * SUBPROOF(m, D[n], b) unrolled from the root down: calls `visit` with each proof element's leaf range in
 * root-to-leaf order (the proof lists them in reverse). Requires 0 < m < n.
 */
// RFC 9162 §2.1.4.1
function walkSubproof(size1: number, size2: number, visit: (begin: number, end: number) => void): void {
  let m = size1;
  let n = size2;
  let offset = 0;
  let startsFromOldRoot = true; // the flag b: D[0:m] is the old tree itself, whose root the verifier has
  while (m !== n) {
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      visit(offset + k, offset + n);
      n = k;
    } else {
      // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      visit(offset, offset + k);
      m -= k;
      n -= k;
      offset += k;
      startsFromOldRoot = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true it is empty.
  if (!startsFromOldRoot) visit(offset, offset + m);
}

/**
 * Which stored nodes make up the consistency proof between the trees of `size1` and `size2` leaves: one
 * `NodeId[]` per proof element, in RFC 9162 order. Empty when `size1` is 0 or equals `size2` (nothing to prove).
 *
 * @example
 * consistencyPlan(6, 8); // [[{level:1,index:2}], [{level:1,index:3}], [{level:2,index:0}]]
 */
// RFC 9162 §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true)
export function consistencyPlan(size1: number, size2: number): NodeId[][] {
  assertOrdered(size1, size2, 'size1', 'size2');
  if (size1 === 0 || size1 === size2) return [];
  const rootToLeaf: NodeId[][] = [];
  walkSubproof(size1, size2, (begin, end) => rootToLeaf.push(rangeNodes(begin, end)));
  return rootToLeaf.reverse();
}

/** Number of hashes in the consistency proof (sizes already validated and ordered). */
export function consistencyProofLength(size1: number, size2: number): number {
  if (size1 === 0 || size1 === size2) return 0;
  let length = 0;
  walkSubproof(size1, size2, () => length++);
  return length;
}
