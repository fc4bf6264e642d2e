import { MAX_TREE_SIZE } from './arithmetic.js';
import { assertHash } from './checks.js';
import { MerkleErrorCode, merkleError } from './errors.js';
import { hashChildrenUnchecked } from './hash.js';
import type { TreeNode } from './node-id.js';
import { foldRightToLeft, rootPlan } from './range.js';

/**
 * Streaming RFC 9162 tree: appends leaf hashes one at a time and keeps only the compact range of the tree (the
 * hashes of `rootPlan(size)`, one per set bit of `size`), so rebuilding a log of n entries to re-verify every
 * stored node and checkpoint takes O(n) time and O(log n) memory.
 *
 * @example
 * const tree = new TreeBuilder();
 * for await (const entry of store.scanEntries(0, size)) {
 *   for (const node of tree.append(entry.leafHash)) compareWithStored(node);
 *   if (checkpoints.has(tree.size)) compareRoot(tree.root());
 * }
 */
export class TreeBuilder {
  #size = 0;
  /** Hashes of rootPlan(#size), largest (leftmost) subtree first. */
  #compact: Uint8Array[] = [];

  /**
   * Continues a tree of `size` leaves from its compact range: the hashes of `rootPlan(size)` in order (what a
   * store returns for that plan). Lets a writer fetch one batch and then append many leaves in memory.
   *
   * @example
   * const plan = rootPlan(size);
   * const fetched = await tx.nodes(plan);
   * const tree = TreeBuilder.resume(size, plan.map((id) => fetched.get(nodeKey(id)) ?? fail(id)));
   */
  static resume(size: number, compactRange: readonly Uint8Array[]): TreeBuilder {
    const plan = rootPlan(size);
    if (!Array.isArray(compactRange) || compactRange.length !== plan.length) {
      throw merkleError(
        MerkleErrorCode.InvalidArgument,
        `a tree of size ${size} resumes from ${plan.length} hashes (rootPlan(size))`,
        {
          size,
          expected: plan.length,
          actual: Array.isArray(compactRange) ? compactRange.length : undefined,
        },
      );
    }
    compactRange.forEach((hash, i) => {
      assertHash(hash, `compactRange[${i}]`);
    });
    const tree = new TreeBuilder();
    tree.#size = size;
    tree.#compact = compactRange.map((hash) => hash.slice());
    return tree;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends one leaf hash and returns the complete nodes it creates (the leaf at level 0, then each ancestor it
   * completes), the same nodes {@link appendNodes} returns for this leaf.
   */
  // RFC 9162 §2.1.1: a subtree is complete once its right child is; merge equal-sized neighbours.
  append(leafHash: Uint8Array): TreeNode[] {
    assertHash(leafHash, 'leafHash');
    if (this.#size === MAX_TREE_SIZE) {
      throw merkleError(MerkleErrorCode.TreeFull, `the tree already holds ${MAX_TREE_SIZE} leaves`);
    }
    let hash: Uint8Array = leafHash.slice();
    let index = this.#size;
    let level = 0;
    const created: TreeNode[] = [{ id: { level, index }, hash }];
    while (index % 2 === 1) {
      hash = hashChildrenUnchecked(this.#compact.pop() as Uint8Array, hash);
      index = (index - 1) / 2;
      level++;
      created.push({ id: { level, index }, hash });
    }
    this.#compact.push(hash);
    this.#size++;
    return created;
  }

  /** MTH of the leaves appended so far ({@link EMPTY_ROOT} when none). */
  // RFC 9162 §2.1.1
  root(): Uint8Array {
    return foldRightToLeft(this.#compact).slice();
  }

  /** The nodes of `rootPlan(size)` with their hashes: what {@link TreeBuilder.resume} takes back. */
  compactRange(): TreeNode[] {
    return rootPlan(this.#size).map((id, i) => ({ id, hash: (this.#compact[i] as Uint8Array).slice() }));
  }
}
