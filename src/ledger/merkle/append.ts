import { isNonNegativeSafeInteger, MAX_TREE_SIZE } from './arithmetic.js';
import { assertHash, show } from './checks.js';
import { MerkleErrorCode, merkleError } from './errors.js';
import { hashChildrenUnchecked } from './hash.js';
import { assertLookup, lookupNode, type NodeId, type NodeLookup, type TreeNode } from './node-id.js';

/**
 * The stored left siblings needed to append the leaf at `leafIndex` (= the current tree size): one per level for
 * as long as the new node is a right child, from level 0 up. Empty when `leafIndex` is even.
 *
 * @example
 * appendPlan(7); // [{level:0,index:6}, {level:1,index:2}, {level:2,index:0}]
 */
// RFC 9162 §2.1.1: a node completes when its right child does; aligned subtrees as in NodeId.
export function appendPlan(leafIndex: number): NodeId[] {
  assertAppendIndex(leafIndex);
  const siblings: NodeId[] = [];
  let index = leafIndex;
  for (let level = 0; index % 2 === 1; level++) {
    siblings.push({ level, index: index - 1 });
    index = (index - 1) / 2;
  }
  return siblings;
}

/**
 * The complete nodes created by appending the leaf at `leafIndex`: the leaf itself (level 0) and every ancestor it
 * completes, bottom-up. `lookup` must answer the ids of `appendPlan(leafIndex)`. Store all of them.
 *
 * @example
 * const needed = appendPlan(size);
 * const fetched = await tx.nodes(needed);
 * await tx.insertNodes(appendNodes(size, leafHash, (id) => fetched.get(nodeKey(id)) ?? fail(id)));
 */
export function appendNodes(leafIndex: number, leafHash: Uint8Array, lookup: NodeLookup): TreeNode[] {
  const siblings = appendPlan(leafIndex);
  assertHash(leafHash, 'leafHash');
  assertLookup(lookup);
  let hash: Uint8Array = leafHash.slice();
  const created: TreeNode[] = [{ id: { level: 0, index: leafIndex }, hash }];
  for (const sibling of siblings) {
    hash = hashChildrenUnchecked(lookupNode(lookup, sibling), hash);
    created.push({ id: { level: sibling.level + 1, index: sibling.index / 2 }, hash });
  }
  return created;
}

function assertAppendIndex(leafIndex: unknown): asserts leafIndex is number {
  if (leafIndex === MAX_TREE_SIZE) {
    throw merkleError(MerkleErrorCode.TreeFull, `the tree already holds ${MAX_TREE_SIZE} leaves`);
  }
  if (!isNonNegativeSafeInteger(leafIndex)) {
    throw merkleError(
      MerkleErrorCode.InvalidIndex,
      `leafIndex must be an integer in [0, ${MAX_TREE_SIZE}), got ${show(leafIndex)}`,
      { leafIndex: show(leafIndex) },
    );
  }
}
