import { half, isOdd, isPowerOfTwo } from './arithmetic.js';
import { assertHash, assertOrdered, assertProof } from './checks.js';
import { consistencyProofLength } from './consistency-plan.js';
import { MerkleErrorCode, merkleError } from './errors.js';
import { EMPTY_ROOT, hashChildrenUnchecked, hashesEqual } from './hash.js';

/**
 * Verifies that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with root
 * `root1`. Returns nothing on success; throws a coded DocketError naming why otherwise (`details.root` says which
 * root did not match). Equal sizes need an empty proof and equal roots; size 0 needs an empty proof and
 * `root1` = {@link EMPTY_ROOT}.
 *
 * @example
 * verifyConsistency(old.size, latest.size, proof, old.rootHash, latest.rootHash);
 */
// RFC 9162 §2.1.4.2
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertOrdered(size1, size2, 'size1', 'size2');
  assertHash(root1, 'root1');
  assertHash(root2, 'root2');
  assertProof(proof, consistencyProofLength(size1, size2));
  if (size1 === size2) {
    if (!hashesEqual(root1, root2)) throw mismatch('root2', size1, size2);
    return;
  }
  // RFC 9162 §2.1.1: MTH({}) = HASH(); every tree extends the empty one.
  if (size1 === 0) {
    if (!hashesEqual(root1, EMPTY_ROOT)) throw mismatch('root1', size1, size2);
    return;
  }
  const { fr, sr } = rootsFromConsistencyProof(size1, size2, proof, root1);
  if (!hashesEqual(fr, root1)) throw mismatch('root1', size1, size2);
  if (!hashesEqual(sr, root2)) throw mismatch('root2', size1, size2);
}

// RFC 9162 §2.1.4.2 steps 1-6 (0 < size1 < size2, proof length already checked).
function rootsFromConsistencyProof(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): { fr: Uint8Array; sr: Uint8Array } {
  // Step 2: if size1 is a power of two, the old root is the first node of the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [seed, ...rest] = path as [Uint8Array, ...Uint8Array[]];
  let fr = seed;
  let sr = seed;
  for (const c of rest) {
    if (sn === 0)
      throw merkleError(MerkleErrorCode.ProofWrongLength, 'consistency proof has too many hashes');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildrenUnchecked(c, fr);
      sr = hashChildrenUnchecked(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildrenUnchecked(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw merkleError(MerkleErrorCode.ProofWrongLength, 'consistency proof has too few hashes');
  return { fr, sr };
}

function mismatch(root: 'root1' | 'root2', size1: number, size2: number): Error {
  return merkleError(
    MerkleErrorCode.ProofRootMismatch,
    `the consistency proof from size ${size1} to size ${size2} does not match ${root}`,
    { root, size1, size2 },
  );
}
