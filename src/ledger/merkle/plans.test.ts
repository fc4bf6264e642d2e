// Plan functions against a BigInt transcription of the RFC 9162 recursions (test-support/reference-plans.ts),
// including sizes and indices above 2^32 and near 2^53, where 32-bit bitwise arithmetic would truncate.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendPlan } from './append.js';
import { consistencyPlan } from './consistency-plan.js';
import { MerkleErrorCode } from './errors.js';
import { inclusionPlan } from './inclusion-plan.js';
import {
  type BigNodeId,
  bigAppendPlan,
  bigConsistencyPlan,
  bigInclusionPlan,
  toBig,
} from './test-support/reference-plans.js';

const MAX = Number.MAX_SAFE_INTEGER;
const bigPlan = (plan: { level: number; index: number }[][]): BigNodeId[][] => plan.map(toBig);

/** Pairs a < b spread over 1..2^53-1, with many near powers of two and near the top. */
const interesting = [
  1,
  2,
  3,
  7,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 33 + 5,
  3 * 2 ** 40 + 7,
  2 ** 52 - 1,
  2 ** 52,
  2 ** 52 + 1,
  MAX - 2,
  MAX - 1,
  MAX,
];

describe('inclusionPlan (RFC 9162 §2.1.3.1)', () => {
  it('names the nodes of each proof element, leaf to root', () => {
    expect(inclusionPlan(0, 1)).toEqual([]);
    expect(inclusionPlan(5, 8)).toEqual([
      [{ level: 0, index: 4 }],
      [{ level: 1, index: 3 }],
      [{ level: 2, index: 0 }],
    ]);
    // Leaf 1 of 7: the right sibling of its level-1 ancestor is leaves 2..3, then the incomplete 4..6.
    expect(inclusionPlan(1, 7)).toEqual([
      [{ level: 0, index: 0 }],
      [{ level: 1, index: 1 }],
      [
        { level: 1, index: 2 },
        { level: 0, index: 6 },
      ],
    ]);
    // The last leaf of an odd tree is promoted: no sibling at level 0.
    expect(inclusionPlan(6, 7)).toEqual([[{ level: 1, index: 2 }], [{ level: 2, index: 0 }]]);
  });

  it('is exact above 2^32 and near 2^53', () => {
    for (const size of interesting) {
      for (const index of [0, 1, Math.floor(size / 3), size - 2, size - 1].filter(
        (i) => i >= 0 && i < size,
      )) {
        const plan = inclusionPlan(index, size);
        expect(bigPlan(plan), `index ${index} size ${size}`).toEqual(
          bigInclusionPlan(BigInt(index), BigInt(size)),
        );
      }
    }
    const top = inclusionPlan(MAX - 1, MAX);
    expect(top).toHaveLength(52);
    expect(top.at(-1)).toEqual([{ level: 52, index: 0 }]);
  });

  it('property: equals the BigInt RFC recursion for any index < size <= 2^53 - 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX }), fc.double({ min: 0, max: 1, noNaN: true }), (size, f) => {
        const index = Math.min(size - 1, Math.floor(f * size));
        expect(bigPlan(inclusionPlan(index, size))).toEqual(bigInclusionPlan(BigInt(index), BigInt(size)));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses index >= size, size 0 and unsafe numbers', () => {
    expect(() => inclusionPlan(3, 3)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidIndex }),
    );
    expect(() => inclusionPlan(0, 0)).toThrow(expect.objectContaining({ code: MerkleErrorCode.InvalidSize }));
    expect(() => inclusionPlan(0, MAX + 2)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidSize }),
    );
    expect(() => inclusionPlan(2 ** 53, MAX)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidIndex }),
    );
  });
});

describe('consistencyPlan (RFC 9162 §2.1.4.1)', () => {
  it('names the nodes of each proof element', () => {
    expect(consistencyPlan(0, 5)).toEqual([]);
    expect(consistencyPlan(5, 5)).toEqual([]);
    expect(consistencyPlan(6, 8)).toEqual([
      [{ level: 1, index: 2 }],
      [{ level: 1, index: 3 }],
      [{ level: 2, index: 0 }],
    ]);
    // size1 a power of two: the old root itself is not repeated in the proof.
    expect(consistencyPlan(4, 7)).toEqual([
      [
        { level: 1, index: 2 },
        { level: 0, index: 6 },
      ],
    ]);
  });

  it('is exact above 2^32 and near 2^53', () => {
    for (const size2 of interesting) {
      for (const size1 of interesting.filter((s) => s <= size2)) {
        const plan = consistencyPlan(size1, size2);
        expect(bigPlan(plan), `${size1} -> ${size2}`).toEqual(
          bigConsistencyPlan(BigInt(size1), BigInt(size2)),
        );
      }
    }
  });

  it('property: equals the BigInt RFC recursion for any 0 <= size1 <= size2 <= 2^53 - 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: MAX }), (a, b) => {
        const [size1, size2] = a <= b ? [a, b] : [b, a];
        expect(bigPlan(consistencyPlan(size1, size2))).toEqual(
          bigConsistencyPlan(BigInt(size1), BigInt(size2)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('refuses size1 > size2', () => {
    expect(() => consistencyPlan(2 ** 40 + 1, 2 ** 40)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidRange }),
    );
  });
});

describe('appendPlan', () => {
  it('lists the left siblings while the new node is a right child', () => {
    expect(appendPlan(0)).toEqual([]);
    expect(appendPlan(6)).toEqual([]);
    expect(appendPlan(7)).toEqual([
      { level: 0, index: 6 },
      { level: 1, index: 2 },
      { level: 2, index: 0 },
    ]);
  });

  it('is exact above 2^32 and near 2^53', () => {
    for (const leafIndex of [2 ** 32 - 1, 2 ** 32 + 1, 2 ** 52 - 1, 2 ** 52 + 3, MAX - 2, MAX - 1]) {
      expect(toBig(appendPlan(leafIndex)), `leaf ${leafIndex}`).toEqual(bigAppendPlan(BigInt(leafIndex)));
    }
    expect(appendPlan(2 ** 52 - 1)).toHaveLength(52);
  });

  it('property: equals the BigInt bit walk for any leaf index < 2^53 - 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX - 1 }), (leafIndex) => {
        expect(toBig(appendPlan(leafIndex))).toEqual(bigAppendPlan(BigInt(leafIndex)));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses to grow past Number.MAX_SAFE_INTEGER leaves', () => {
    expect(() => appendPlan(MAX)).toThrow(expect.objectContaining({ code: MerkleErrorCode.TreeFull }));
    expect(() => appendPlan(MAX + 1)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidIndex }),
    );
  });
});
