import { half, isOdd } from './arithmetic.js';
import { assertHash, assertLeafIndex, assertProof } from './checks.js';
import { MerkleErrorCode, merkleError } from './errors.js';
import { hashChildrenUnchecked, hashesEqual } from './hash.js';
import { inclusionProofLength } from './inclusion-plan.js';

/**
 * The root that an inclusion proof leads to from `leafHash` at `index` in a tree of `size` leaves. Every argument
 * is validated (coded errors); a proof of the wrong length is refused before any hashing.
 *
 * @example
 * const root = rootFromInclusionProof(hashLeaf(entry), 5, 8, proof);
 */
// RFC 9162 §2.1.3.2, steps 1-5 without the final root comparison
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  assertHash(leafHash, 'leafHash');
  assertLeafIndex(index, size);
  assertProof(proof, inclusionProofLength(index, size));
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw tooLong(proof.length);
    if (isOdd(fn) || fn === sn) {
      r = hashChildrenUnchecked(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildrenUnchecked(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw tooShort(proof.length);
  return r;
}

/**
 * Verifies that `leafHash` is the leaf at `index` of the tree of `size` leaves whose root is `root`. Returns
 * nothing on success; throws a coded DocketError naming why otherwise (`ERR_PROOF_ROOT_MISMATCH`,
 * `ERR_PROOF_WRONG_LENGTH`, `ERR_PROOF_MALFORMED`, or an `ERR_MERKLE_*` argument error).
 *
 * @example
 * verifyInclusion(hashLeaf(envelope), proof.index, proof.treeSize, proof.hashes, checkpoint.rootHash);
 */
// RFC 9162 §2.1.3.2
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash(root, 'root');
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  if (!hashesEqual(computed, root)) {
    throw merkleError(
      MerkleErrorCode.ProofRootMismatch,
      `the inclusion proof for index ${index} in a tree of size ${size} does not lead to the given root`,
      { root: 'root', index, size },
    );
  }
}

// Unreachable once the length is checked; kept because RFC 9162 §2.1.3.2 step 4a and 5 require these checks.
function tooLong(length: number): Error {
  return merkleError(MerkleErrorCode.ProofWrongLength, `proof has too many hashes (${length})`);
}

function tooShort(length: number): Error {
  return merkleError(MerkleErrorCode.ProofWrongLength, `proof has too few hashes (${length})`);
}
