// Every proof of every tree of 1..64 leaves, generated through the plan/assembly API from an in-memory store
// (built both with TreeBuilder and with appendNodes), compared with a naive recursive transcription of RFC 9162
// §2.1 (test-support/reference-rfc9162.ts) and verified.
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { appendNodes, appendPlan } from './append.js';
import { consistencyPlan } from './consistency-plan.js';
import { MerkleErrorCode } from './errors.js';
import { inclusionPlan } from './inclusion-plan.js';
import { hashOfNodes, rootPlan } from './range.js';
import { resolvePlan } from './resolve-plan.js';
import { MemoryNodes } from './test-support/memory-nodes.js';
import {
  referenceCompleteNodes,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
  sampleLeaves,
} from './test-support/reference-rfc9162.js';
import { TreeBuilder } from './tree-builder.js';
import { verifyConsistency } from './verify-consistency.js';
import { rootFromInclusionProof, verifyInclusion } from './verify-inclusion.js';

const MAX = 64;
const leaves = sampleLeaves(MAX);
const sizes = Array.from({ length: MAX }, (_, i) => i + 1);

const built = (() => {
  const store = new MemoryNodes();
  const tree = new TreeBuilder();
  const roots: Uint8Array[] = [tree.root()];
  for (const leaf of leaves) {
    store.store(tree.append(leaf));
    roots.push(tree.root());
  }
  return { store, roots };
})();

function expectCode(run: () => unknown, code: string): void {
  try {
    run();
  } catch (err) {
    expect(isDocketError(err, code), `${String(err)} should have code ${code}`).toBe(true);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe('TreeBuilder and appendNodes build the same store of every complete subtree', () => {
  it('appendNodes, fed only the nodes of appendPlan, stores exactly what TreeBuilder stores', () => {
    const store = new MemoryNodes();
    leaves.forEach((leaf, index) => {
      const plan = appendPlan(index);
      const created = appendNodes(index, leaf, store.lookupAt(index));
      expect(store.requested.splice(0)).toEqual(plan);
      store.store(created);
    });
    expect(store.nodes).toEqual(built.store.nodes);
  });

  it('stores exactly the complete subtrees of the reference tree', () => {
    expect(built.store.nodes).toEqual(referenceCompleteNodes(leaves));
  });

  it.each(sizes)('root of %i leaves: TreeBuilder = fold of rootPlan = reference MTH', (size) => {
    const expected = referenceRoot(leaves.slice(0, size));
    expect(built.roots[size]).toEqual(expected);
    const nodes = rootPlan(size).map(built.store.lookupAt(size));
    expect(hashOfNodes(nodes)).toEqual(expected);
  });
});

describe('inclusion proofs for every index of every size 1..64', () => {
  it.each(sizes)('size %i', (size) => {
    const lookup = built.store.lookupAt(size);
    const root = built.roots[size] as Uint8Array;
    for (let index = 0; index < size; index++) {
      const proof = resolvePlan(inclusionPlan(index, size), lookup);
      expect(proof, `index ${index}`).toEqual(referenceInclusionProof(index, leaves.slice(0, size)));
      const leaf = leaves[index] as Uint8Array;
      verifyInclusion(leaf, index, size, proof, root);
      expect(rootFromInclusionProof(leaf, index, size, proof)).toEqual(root);
      // The proof binds the index and the leaf: any other index or leaf fails.
      if (size > 1) {
        expectCode(
          () => verifyInclusion(leaves[(index + 1) % size] as Uint8Array, index, size, proof, root),
          MerkleErrorCode.ProofRootMismatch,
        );
      }
    }
  });
});

describe('consistency proofs for every pair of sizes 0 <= size1 <= size2 <= 64', () => {
  it.each(sizes)('size2 %i', (size2) => {
    const lookup = built.store.lookupAt(size2);
    const root2 = built.roots[size2] as Uint8Array;
    for (let size1 = 0; size1 <= size2; size1++) {
      const proof = resolvePlan(consistencyPlan(size1, size2), lookup);
      expect(proof, `size1 ${size1}`).toEqual(referenceConsistencyProof(size1, leaves.slice(0, size2)));
      verifyConsistency(size1, size2, proof, built.roots[size1] as Uint8Array, root2);
      if (size1 > 0 && size1 < size2) {
        // A different old root (that of size1 - 1 leaves, or any other) must not verify.
        expectCode(
          () => verifyConsistency(size1, size2, proof, built.roots[size1 - 1] as Uint8Array, root2),
          MerkleErrorCode.ProofRootMismatch,
        );
      }
    }
  });
});

describe('tampering with any bit of any proof hash is detected (sizes 1..20)', () => {
  /** Flips bit `bit % 8` of byte `bit % 32` of proof[at]. */
  const flip = (proof: Uint8Array[], at: number, bit: number): Uint8Array[] => {
    const mask = 2 ** (bit % 8);
    const flipByte = (b: number) => (Math.floor(b / mask) % 2 === 1 ? b - mask : b + mask);
    return proof.map((h, i) => (i === at ? h.map((b, j) => (j === bit % 32 ? flipByte(b) : b)) : h));
  };

  it.each(sizes.slice(0, 20))('size %i', (size) => {
    const lookup = built.store.lookupAt(size);
    const root = built.roots[size] as Uint8Array;
    for (let index = 0; index < size; index++) {
      const proof = resolvePlan(inclusionPlan(index, size), lookup);
      proof.forEach((_, at) => {
        const tampered = flip(proof, at, index + at);
        expectCode(
          () => verifyInclusion(leaves[index] as Uint8Array, index, size, tampered, root),
          MerkleErrorCode.ProofRootMismatch,
        );
      });
    }
    for (let size1 = 1; size1 < size; size1++) {
      const proof = resolvePlan(consistencyPlan(size1, size), lookup);
      proof.forEach((_, at) => {
        const tampered = flip(proof, at, size1 + at);
        expectCode(
          () => verifyConsistency(size1, size, tampered, built.roots[size1] as Uint8Array, root),
          MerkleErrorCode.ProofRootMismatch,
        );
      });
    }
  });
});
