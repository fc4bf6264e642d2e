import { describe, expect, it } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { consistencyPlan } from './consistency-plan.js';
import { MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, hashLeaf } from './hash.js';
import { inclusionPlan } from './inclusion-plan.js';
import { hashOfNodes, rootPlan } from './range.js';
import { resolvePlan } from './resolve-plan.js';
import { uniformLeaf, uniformLookup } from './test-support/uniform-tree.js';
import { TreeBuilder } from './tree-builder.js';
import { verifyConsistency } from './verify-consistency.js';
import { rootFromInclusionProof, verifyInclusion } from './verify-inclusion.js';

const MAX = Number.MAX_SAFE_INTEGER;
const uniformRoot = (size: number): Uint8Array => hashOfNodes(rootPlan(size).map(uniformLookup));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return isDocketError(err) ? err.code : `not a DocketError: ${String(err)}`;
  }
  return undefined;
}

describe('verification above 2^32 and near 2^53 (virtual tree of identical leaves, test-support/uniform-tree.ts)', () => {
  const sizes = [2 ** 32 + 1, 2 ** 33 + 5, 3 * 2 ** 40 + 7, 2 ** 52 + 1, MAX - 1, MAX];

  it.each(sizes)('inclusion proofs verify in a tree of %i leaves', (size) => {
    const root = uniformRoot(size);
    const indices = [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, size - 2, size - 1].filter((i) => i < size);
    for (const index of indices) {
      const proof = resolvePlan(inclusionPlan(index, size), uniformLookup);
      expect(codeOf(() => verifyInclusion(uniformLeaf, index, size, proof, root))).toBeUndefined();
      // Every leaf is the same, so only a different root can fail here: the root of one leaf fewer.
      expect(codeOf(() => verifyInclusion(uniformLeaf, index, size, proof, uniformRoot(size - 1)))).toBe(
        MerkleErrorCode.ProofRootMismatch,
      );
    }
  });

  it.each(sizes)('consistency proofs verify from smaller trees to %i leaves', (size2) => {
    const root2 = uniformRoot(size2);
    for (const size1 of [1, 3, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, size2 - 1, size2]) {
      const proof = resolvePlan(consistencyPlan(size1, size2), uniformLookup);
      expect(codeOf(() => verifyConsistency(size1, size2, proof, uniformRoot(size1), root2))).toBeUndefined();
      if (size1 < size2) {
        expect(codeOf(() => verifyConsistency(size1, size2, proof, uniformRoot(size1 + 1), root2))).toMatch(
          /^ERR_PROOF_/,
        );
      }
    }
  });
});

describe('verifyInclusion', () => {
  const leaves = ['a', 'b', 'c'].map((s) => hashLeaf(Buffer.from(s)));
  const tree = new TreeBuilder();
  for (const leaf of leaves) tree.append(leaf);
  const root = tree.root();
  const emptyProof: Uint8Array[] = [];

  it('names why a proof fails', () => {
    // Leaf 2 of 3 is promoted to level 1: its proof is the single hash of leaves 0..1.
    const good = rootFromInclusionProof(leaves[2] as Uint8Array, 2, 3, [
      tree.compactRange()[0]?.hash as Uint8Array,
    ]);
    expect(good).toEqual(root);
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 2, 3, emptyProof, root))).toBe(
      MerkleErrorCode.ProofWrongLength,
    );
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 2, 3, [EMPTY_ROOT], root))).toBe(
      MerkleErrorCode.ProofRootMismatch,
    );
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 2, 3, [new Uint8Array(31)], root))).toBe(
      MerkleErrorCode.ProofMalformed,
    );
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 2, 3, 'x' as never, root))).toBe(
      MerkleErrorCode.ProofMalformed,
    );
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 3, 3, [], root))).toBe(
      MerkleErrorCode.InvalidIndex,
    );
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 0, 0, [], root))).toBe(
      MerkleErrorCode.InvalidSize,
    );
    expect(codeOf(() => verifyInclusion(leaves[2] as Uint8Array, 2, 3, [], new Uint8Array(0)))).toBe(
      MerkleErrorCode.InvalidHash,
    );
  });

  it('refuses a huge proof array by its length, before touching its elements', () => {
    const huge = new Array<Uint8Array>(10_000_000);
    expect(codeOf(() => verifyInclusion(leaves[0] as Uint8Array, 0, 3, huge, root))).toBe(
      MerkleErrorCode.ProofWrongLength,
    );
  });
});

describe('verifyConsistency edge cases', () => {
  const tree = new TreeBuilder();
  tree.append(hashLeaf(Buffer.from('a')));
  const root1 = tree.root();

  it('size1 = 0: an empty proof and the empty root are required', () => {
    expect(codeOf(() => verifyConsistency(0, 1, [], EMPTY_ROOT, root1))).toBeUndefined();
    expect(codeOf(() => verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT))).toBeUndefined();
    expect(codeOf(() => verifyConsistency(0, 1, [], root1, root1))).toBe(MerkleErrorCode.ProofRootMismatch);
    expect(codeOf(() => verifyConsistency(0, 1, [root1], EMPTY_ROOT, root1))).toBe(
      MerkleErrorCode.ProofWrongLength,
    );
  });

  it('size1 = size2: an empty proof and equal roots are required', () => {
    expect(codeOf(() => verifyConsistency(1, 1, [], root1, root1))).toBeUndefined();
    expect(codeOf(() => verifyConsistency(1, 1, [], root1, EMPTY_ROOT))).toBe(
      MerkleErrorCode.ProofRootMismatch,
    );
    expect(codeOf(() => verifyConsistency(1, 1, [root1], root1, root1))).toBe(
      MerkleErrorCode.ProofWrongLength,
    );
  });

  it('reports which root does not match', () => {
    const tree2 = new TreeBuilder();
    for (const s of ['a', 'b', 'c']) tree2.append(hashLeaf(Buffer.from(s)));
    const proof = resolvePlan(consistencyPlan(2, 3), (id) => {
      if (id.level === 0 && id.index === 2) return hashLeaf(Buffer.from('c'));
      throw new Error(`unexpected ${id.level}/${id.index}`);
    });
    const root2 = tree2.root();
    const rootOf2 = TreeBuilder.resume(2, [tree2.compactRange()[0]?.hash as Uint8Array]).root();
    expect(codeOf(() => verifyConsistency(2, 3, proof, rootOf2, root2))).toBeUndefined();
    let details: unknown;
    try {
      verifyConsistency(2, 3, proof, rootOf2, EMPTY_ROOT);
    } catch (err) {
      details = isDocketError(err) ? err.details : undefined;
    }
    expect(details).toEqual({ root: 'root2', size1: 2, size2: 3 });
  });
});
