import { describe, expect, it } from 'vitest';
import { appendNodes } from './append.js';
import { MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT } from './hash.js';
import { rootPlan } from './range.js';
import { MemoryNodes } from './test-support/memory-nodes.js';
import { referenceRoot, sampleLeaves } from './test-support/reference-rfc9162.js';
import { uniformLeaf, uniformLookup } from './test-support/uniform-tree.js';
import { TreeBuilder } from './tree-builder.js';

const leaves = sampleLeaves(100);

describe('TreeBuilder', () => {
  it('starts empty with the empty root', () => {
    const tree = new TreeBuilder();
    expect(tree.size).toBe(0);
    expect(tree.root()).toEqual(EMPTY_ROOT);
    expect(tree.compactRange()).toEqual([]);
  });

  it('returns the same created nodes as appendNodes, and keeps only O(log n) hashes', () => {
    const tree = new TreeBuilder();
    const store = new MemoryNodes();
    leaves.forEach((leaf, index) => {
      const created = tree.append(leaf);
      expect(created).toEqual(appendNodes(index, leaf, store.lookupAt(index)));
      store.store(created);
      expect(tree.size).toBe(index + 1);
      expect(tree.compactRange().map((n) => n.id)).toEqual(rootPlan(index + 1));
    });
    expect(tree.root()).toEqual(referenceRoot(leaves));
  });

  it('resumes from a compact range and continues identically', () => {
    const whole = new TreeBuilder();
    for (const leaf of leaves) whole.append(leaf);
    for (const at of [0, 1, 13, 64, 99]) {
      const head = new TreeBuilder();
      for (const leaf of leaves.slice(0, at)) head.append(leaf);
      const resumed = TreeBuilder.resume(
        at,
        head.compactRange().map((n) => n.hash),
      );
      for (const leaf of leaves.slice(at)) resumed.append(leaf);
      expect(resumed.root(), `resumed at ${at}`).toEqual(whole.root());
    }
  });

  it('does not let callers alias its state', () => {
    const tree = new TreeBuilder();
    const leaf = leaves[0]?.slice() as Uint8Array;
    tree.append(leaf);
    leaf.fill(0);
    tree.root().fill(0);
    for (const node of tree.compactRange()) node.hash.fill(0);
    expect(tree.root()).toEqual(leaves[0]);
  });

  it('refuses a compact range that does not match rootPlan(size)', () => {
    expect(() => TreeBuilder.resume(3, [uniformLeaf])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidArgument }),
    );
    expect(() => TreeBuilder.resume(1, [new Uint8Array(3)])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidHash }),
    );
    expect(() => TreeBuilder.resume(-1, [])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidSize }),
    );
  });

  it('grows up to Number.MAX_SAFE_INTEGER leaves and no further', () => {
    const size = Number.MAX_SAFE_INTEGER - 1;
    const tree = TreeBuilder.resume(size, rootPlan(size).map(uniformLookup));
    const created = tree.append(uniformLeaf);
    expect(created).toEqual([{ id: { level: 0, index: size }, hash: uniformLeaf }]);
    expect(tree.size).toBe(Number.MAX_SAFE_INTEGER);
    expect(tree.compactRange()).toHaveLength(53);
    expect(() => tree.append(uniformLeaf)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.TreeFull }),
    );
  });

  it('merges 52 levels when the leaf at 2^52 - 1 completes the left half of the largest tree', () => {
    const size = 2 ** 52 - 1;
    const tree = TreeBuilder.resume(size, rootPlan(size).map(uniformLookup));
    const created = tree.append(uniformLeaf);
    expect(created.map((n) => n.id)).toEqual(
      Array.from({ length: 53 }, (_, level) => ({ level, index: Math.floor(size / 2 ** level) })),
    );
    expect(created.map((n) => n.hash)).toEqual(created.map((n) => uniformLookup(n.id)));
  });
});
