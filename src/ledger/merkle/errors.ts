import { DocketError } from '../../errors/index.js';

/**
 * Codes for Merkle tree arithmetic (`ERR_MERKLE_*`: an argument is unusable) and proof verification
 * (`ERR_PROOF_*`: the arguments are well formed but do not prove the claim). Callers `switch (err.code)`.
 */
export const MerkleErrorCode = {
  /** A tree size or range bound is not an integer in [0, Number.MAX_SAFE_INTEGER], or is 0 where a leaf is needed. */
  InvalidSize: 'ERR_MERKLE_INVALID_SIZE',
  /** A leaf index is not an integer in [0, Number.MAX_SAFE_INTEGER], or is not below the tree size. */
  InvalidIndex: 'ERR_MERKLE_INVALID_INDEX',
  /** A range is inverted: `begin > end`, or `size1 > size2`. */
  InvalidRange: 'ERR_MERKLE_INVALID_RANGE',
  /** A NodeId is not a complete aligned subtree that fits in Number.MAX_SAFE_INTEGER leaves. */
  InvalidNodeId: 'ERR_MERKLE_INVALID_NODE_ID',
  /** A hash argument (leaf hash, node hash, root) is not a 32-byte Uint8Array. */
  InvalidHash: 'ERR_MERKLE_INVALID_HASH',
  /** Another argument has the wrong shape: leaf data that is not bytes, a malformed plan, a lookup that is not a function. */
  InvalidArgument: 'ERR_MERKLE_INVALID_ARGUMENT',
  /** A node lookup threw a non-DocketError or returned something other than a 32-byte hash (DocketErrors pass through). */
  NodeLookupFailed: 'ERR_MERKLE_NODE_LOOKUP_FAILED',
  /** The tree already holds Number.MAX_SAFE_INTEGER leaves; one more could not be indexed exactly. */
  TreeFull: 'ERR_MERKLE_TREE_FULL',
  /** A proof is not an array of 32-byte Uint8Array hashes. */
  ProofMalformed: 'ERR_PROOF_MALFORMED',
  /** A proof has more or fewer hashes than RFC 9162 prescribes for the claimed index and sizes. */
  ProofWrongLength: 'ERR_PROOF_WRONG_LENGTH',
  /** The proof does not lead to the claimed root (`details.root` names which): wrong leaf, index, root or hashes. */
  ProofRootMismatch: 'ERR_PROOF_ROOT_MISMATCH',
} as const;

export type MerkleErrorCode = (typeof MerkleErrorCode)[keyof typeof MerkleErrorCode];

export function merkleError(
  code: MerkleErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): DocketError<MerkleErrorCode> {
  return new DocketError(code, message, cause === undefined ? { details } : { details, cause });
}
