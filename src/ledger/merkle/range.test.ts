import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, hashChildren } from './hash.js';
import { hashOfNodes, rangeNodes, rootPlan } from './range.js';
import { bigRangeNodes, toBig } from './test-support/reference-plans.js';

const MAX = Number.MAX_SAFE_INTEGER;

describe('rangeNodes', () => {
  it('decomposes ranges into aligned complete subtrees, left to right', () => {
    expect(rangeNodes(0, 0)).toEqual([]);
    expect(rangeNodes(5, 5)).toEqual([]);
    expect(rangeNodes(0, 1)).toEqual([{ level: 0, index: 0 }]);
    expect(rangeNodes(0, 8)).toEqual([{ level: 3, index: 0 }]);
    expect(rangeNodes(0, 6)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
    ]);
    expect(rangeNodes(3, 8)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
    ]);
    expect(rangeNodes(1, 15)).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 1 },
      { level: 2, index: 1 },
      { level: 2, index: 2 },
      { level: 1, index: 6 },
      { level: 0, index: 14 },
    ]);
  });

  it('handles the whole safe range: rangeNodes(0, 2^53 - 1) is one node per level 52..0', () => {
    const nodes = rangeNodes(0, MAX);
    expect(nodes).toHaveLength(53);
    nodes.forEach((node, i) => {
      expect(node.level).toBe(52 - i);
      expect(node.index * 2 ** node.level).toBe(MAX - 2 ** (53 - i) + 1);
    });
  });

  it('above 2^32 and near 2^53 agrees with a BigInt oracle', () => {
    const cases: Array<[number, number]> = [
      [2 ** 32 - 1, 2 ** 32 + 1],
      [2 ** 32 + 1, 2 ** 33 + 5],
      [3 * 2 ** 40 + 7, 2 ** 45],
      [1, MAX],
      [MAX - 1, MAX],
      [2 ** 52, MAX],
      [2 ** 52 - 3, 2 ** 52 + 3],
    ];
    for (const [begin, end] of cases) {
      expect(toBig(rangeNodes(begin, end)), `[${begin}, ${end})`).toEqual(
        bigRangeNodes(BigInt(begin), BigInt(end)),
      );
    }
  });

  it('property: for any safe range, equals the BigInt oracle and tiles [begin, end) exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: MAX }), (a, b) => {
        const [begin, end] = a <= b ? [a, b] : [b, a];
        const nodes = rangeNodes(begin, end);
        expect(toBig(nodes)).toEqual(bigRangeNodes(BigInt(begin), BigInt(end)));
        let at = BigInt(begin);
        for (const { level, index } of nodes) {
          const width = 2n ** BigInt(level);
          expect(BigInt(index) * width).toBe(at);
          at += width;
        }
        expect(at).toBe(BigInt(end));
        expect(nodes.length).toBeLessThanOrEqual(2 * 53);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses inverted or unsafe bounds', () => {
    expect(() => rangeNodes(3, 2)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidRange }));
    expect(() => rangeNodes(0, MAX + 1)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidSize }),
    );
    expect(() => rangeNodes(-1, 2)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidSize }));
    expect(() => rangeNodes(0.5, 2)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidSize }));
  });
});

describe('rootPlan', () => {
  it('is rangeNodes(0, size)', () => {
    expect(rootPlan(0)).toEqual([]);
    expect(rootPlan(7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(rootPlan(2 ** 40 + 1)).toEqual([
      { level: 40, index: 0 },
      { level: 0, index: 2 ** 40 },
    ]);
  });
});

describe('hashOfNodes', () => {
  const h = (n: number) => new Uint8Array(32).fill(n);

  it('folds right to left: h0 ⊕ (h1 ⊕ h2)', () => {
    expect(hashOfNodes([h(1), h(2), h(3)])).toEqual(hashChildren(h(1), hashChildren(h(2), h(3))));
    expect(hashOfNodes([h(1)])).toEqual(h(1));
  });

  it('folds nothing into a copy of EMPTY_ROOT', () => {
    const root = hashOfNodes([]);
    expect(root).toEqual(EMPTY_ROOT);
    expect(root).not.toBe(EMPTY_ROOT);
  });

  it('refuses malformed hashes', () => {
    expect(() => hashOfNodes([h(1), new Uint8Array(3)])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidHash, details: { position: 1 } }),
    );
    expect(() => hashOfNodes('nope' as unknown as Uint8Array[])).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidArgument }),
    );
  });
});
