import { createHash } from 'node:crypto';
import { assertHash } from './checks.js';
import { MerkleErrorCode, merkleError } from './errors.js';

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/**
 * MTH({}) = SHA-256(""), the root of the empty tree (RFC 9162 §2.1.1). Shared: never mutate it.
 *
 * @example
 * Buffer.from(EMPTY_ROOT).toString('hex') // 'e3b0c442…b855'
 */
export const EMPTY_ROOT: Uint8Array = sha256();

/**
 * The leaf hash of one log entry: SHA-256(0x00 || data).
 *
 * @example
 * const leafHash = hashLeaf(envelopeBytes);
 */
// RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))
export function hashLeaf(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw merkleError(MerkleErrorCode.InvalidArgument, 'leaf data must be a Uint8Array', {
      type: typeof data,
    });
  }
  return sha256(LEAF_PREFIX, data);
}

/**
 * The hash of an interior node: SHA-256(0x01 || left || right).
 *
 * @example
 * const parent = hashChildren(hashLeaf(a), hashLeaf(b));
 */
// RFC 9162 §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertHash(left, 'left');
  assertHash(right, 'right');
  return sha256(NODE_PREFIX, left, right);
}

/** Unchecked variant for callers that validated both hashes already (hot loops). */
export function hashChildrenUnchecked(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

// Roots and proofs are public values: no constant-time comparison needed.
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
