import { isDocketError } from '../../errors/index.js';
import { isNonNegativeSafeInteger, MAX_TREE_SIZE } from './arithmetic.js';
import { HASH_SIZE, show } from './checks.js';
import { MerkleErrorCode, merkleError } from './errors.js';

/**
 * A complete, aligned subtree: node (level L, index i) is MTH of leaves [i·2^L, (i+1)·2^L) (RFC 9162 §2.1.1).
 * Level 0 nodes are leaf hashes. Only complete subtrees are nodes: the right edge of a tree whose size is not a
 * power of two is never stored, it is folded from complete nodes (see {@link hashOfNodes}).
 *
 * @example
 * const id: NodeId = { level: 2, index: 1 }; // leaves 4..7
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A node id with its hash, as appends create and stores keep them. */
export interface TreeNode {
  readonly id: NodeId;
  readonly hash: Uint8Array;
}

/**
 * Returns the stored hash of a complete node, or throws (preferably a DocketError, which passes through unchanged)
 * when it is missing. Synchronous by design: fetch a plan's nodes in one batch first, then assemble.
 */
export type NodeLookup = (id: NodeId) => Uint8Array;

/** The deepest level a complete node can have in a tree of at most MAX_SAFE_INTEGER leaves. */
const MAX_LEVEL = 52;

export function assertNodeId(value: unknown, name = 'node id'): asserts value is NodeId {
  const id = value as Partial<NodeId> | null;
  const ok =
    typeof id === 'object' &&
    id !== null &&
    isNonNegativeSafeInteger(id.level) &&
    id.level <= MAX_LEVEL &&
    isNonNegativeSafeInteger(id.index) &&
    // (index + 1) · 2^level is exact: an integer up to 2^53 scaled by a power of two.
    (id.index + 1) * 2 ** id.level <= MAX_TREE_SIZE;
  if (!ok) {
    throw merkleError(
      MerkleErrorCode.InvalidNodeId,
      `${name} must be {level, index} naming a complete subtree within ${MAX_TREE_SIZE} leaves`,
      { level: show(id?.level), index: show(id?.index) },
    );
  }
}

/** Calls a storage lookup defensively: its failures become coded errors naming the node. */
export function lookupNode(lookup: NodeLookup, id: NodeId): Uint8Array {
  let hash: unknown;
  try {
    hash = lookup({ level: id.level, index: id.index });
  } catch (err) {
    if (isDocketError(err)) throw err;
    throw merkleError(
      MerkleErrorCode.NodeLookupFailed,
      `lookup of node level ${id.level} index ${id.index} failed`,
      { level: id.level, index: id.index },
      err,
    );
  }
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    const hint =
      hash instanceof Promise ? ' (a Promise: fetch the plan first, then assemble synchronously)' : '';
    throw merkleError(
      MerkleErrorCode.NodeLookupFailed,
      `lookup of node level ${id.level} index ${id.index} did not return a ${HASH_SIZE}-byte hash${hint}`,
      { level: id.level, index: id.index },
    );
  }
  return hash;
}

export function assertLookup(lookup: unknown): asserts lookup is NodeLookup {
  if (typeof lookup !== 'function') {
    throw merkleError(
      MerkleErrorCode.InvalidArgument,
      'lookup must be a function (id: NodeId) => Uint8Array',
    );
  }
}
