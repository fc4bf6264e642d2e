// Property-based: whatever callers or attackers pass (wrong types, NaN, ±Infinity, negative, fractional, bigint,
// > 2^53, wrong hash lengths, garbage proofs, plans and lookups), the public API returns or throws a DocketError
// with one of its codes; never a TypeError, RangeError or hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocketError, isDocketError } from '../../errors/index.js';
import { appendNodes, appendPlan } from './append.js';
import { consistencyPlan } from './consistency-plan.js';
import { MerkleErrorCode } from './errors.js';
import { hashChildren, hashLeaf } from './hash.js';
import { inclusionPlan } from './inclusion-plan.js';
import { hashOfNodes, rangeNodes, rootPlan } from './range.js';
import { resolvePlan } from './resolve-plan.js';
import { TreeBuilder } from './tree-builder.js';
import { verifyConsistency } from './verify-consistency.js';
import { rootFromInclusionProof, verifyInclusion } from './verify-inclusion.js';

const MAX = Number.MAX_SAFE_INTEGER;
const LOOKUP_CODE = 'ERR_TEST_LOOKUP';
const allowed = new Set<string>([...Object.values(MerkleErrorCode), LOOKUP_CODE]);

const hostileNumber = fc.oneof(
  fc.integer({ min: -5, max: 70 }),
  fc.integer({ min: 0, max: MAX }),
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Infinity,
    -Infinity,
    -0,
    -1,
    MAX,
    MAX + 1,
    2 ** 53,
    2 ** 64, // what JSON.parse makes of uint64 -1 (18446744073709551615)
    0.5,
  ),
  fc.bigInt(),
  fc.string(),
  fc.constantFrom(null, undefined, true, {}, [], '3', Symbol('n')),
);
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hostileHash = fc.oneof(hash32, hash32, fc.uint8Array({ maxLength: 40 }), fc.anything());
const hostileProof = fc.oneof(
  fc.array(hash32, { maxLength: 60 }),
  fc.array(hostileHash, { maxLength: 60 }),
  fc.anything(),
);
const hostileNodeId = fc.oneof(fc.record({ level: hostileNumber, index: hostileNumber }), fc.anything());
const hostilePlan = fc.oneof(
  fc.array(fc.array(hostileNodeId, { maxLength: 4 }), { maxLength: 6 }),
  fc.anything(),
);
const hostileLookup = fc.oneof(
  hostileHash.map((value) => () => value),
  fc.constant(() => {
    throw new Error('disk on fire');
  }),
  fc.constant(() => {
    throw new DocketError(LOOKUP_CODE, 'missing');
  }),
  fc.constant(async () => new Uint8Array(32)),
  fc.anything(),
);

function onlyCodedErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!isDocketError(err) || !allowed.has(err.code)) throw err;
  }
}

const any = <T>(value: unknown): T => value as T;

describe('hostile arguments produce only coded DocketErrors', () => {
  const runs = { numRuns: 400 };

  it('rangeNodes, rootPlan, inclusionPlan, consistencyPlan, appendPlan', () => {
    fc.assert(
      fc.property(hostileNumber, hostileNumber, (a, b) => {
        onlyCodedErrors(() => rangeNodes(any(a), any(b)));
        onlyCodedErrors(() => rootPlan(any(a)));
        onlyCodedErrors(() => inclusionPlan(any(a), any(b)));
        onlyCodedErrors(() => consistencyPlan(any(a), any(b)));
        onlyCodedErrors(() => appendPlan(any(a)));
      }),
      runs,
    );
  });

  it('hashLeaf, hashChildren, hashOfNodes', () => {
    fc.assert(
      fc.property(fc.anything(), hostileHash, hostileHash, hostileProof, (data, left, right, hashes) => {
        onlyCodedErrors(() => hashLeaf(any(data)));
        onlyCodedErrors(() => hashChildren(any(left), any(right)));
        onlyCodedErrors(() => hashOfNodes(any(hashes)));
      }),
      runs,
    );
  });

  it('resolvePlan and appendNodes, with hostile plans and lookups', () => {
    fc.assert(
      fc.property(hostilePlan, hostileLookup, hostileNumber, hostileHash, (plan, lookup, index, leaf) => {
        onlyCodedErrors(() => resolvePlan(any(plan), any(lookup)));
        onlyCodedErrors(() => appendNodes(any(index), any(leaf), any(lookup)));
      }),
      runs,
    );
  });

  it('verifyInclusion and rootFromInclusionProof', () => {
    fc.assert(
      fc.property(
        hostileHash,
        hostileNumber,
        hostileNumber,
        hostileProof,
        hostileHash,
        (leaf, i, n, proof, root) => {
          onlyCodedErrors(() => verifyInclusion(any(leaf), any(i), any(n), any(proof), any(root)));
          onlyCodedErrors(() => rootFromInclusionProof(any(leaf), any(i), any(n), any(proof)));
        },
      ),
      runs,
    );
  });

  it('verifyConsistency', () => {
    fc.assert(
      fc.property(
        hostileNumber,
        hostileNumber,
        hostileProof,
        hostileHash,
        hostileHash,
        (m, n, proof, r1, r2) => {
          onlyCodedErrors(() => verifyConsistency(any(m), any(n), any(proof), any(r1), any(r2)));
        },
      ),
      runs,
    );
  });

  it('TreeBuilder.resume and append', () => {
    fc.assert(
      fc.property(hostileNumber, hostileProof, hostileHash, (size, compact, leaf) => {
        onlyCodedErrors(() => TreeBuilder.resume(any(size), any(compact)).append(any(leaf)));
        onlyCodedErrors(() => new TreeBuilder().append(any(leaf)));
      }),
      runs,
    );
  });
});

describe('random proofs of the right shape never verify', () => {
  it('inclusion: ERR_PROOF_* for random hashes (any size up to 2^53 - 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        hash32,
        hash32,
        fc.array(hash32, { minLength: 60, maxLength: 60 }),
        (size, f, leaf, root, pool) => {
          const index = Math.min(size - 1, Math.floor(f * size));
          const proof = pool.slice(0, inclusionPlan(index, size).length);
          const thrown = (() => {
            try {
              verifyInclusion(leaf, index, size, proof, root);
            } catch (err) {
              return err;
            }
            return undefined;
          })();
          expect(isDocketError(thrown, MerkleErrorCode.ProofRootMismatch)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('consistency: ERR_PROOF_* for random hashes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX }),
        fc.integer({ min: 1, max: MAX }),
        hash32,
        hash32,
        fc.array(hash32, { minLength: 60, maxLength: 60 }),
        (a, b, root1, root2, pool) => {
          const [size1, size2] = a <= b ? [a, b] : [b, a];
          const proof = pool.slice(0, consistencyPlan(size1, size2).length);
          let code: string | undefined;
          try {
            verifyConsistency(size1, size2, proof, root1, root2);
          } catch (err) {
            code = isDocketError(err) ? err.code : 'not coded';
          }
          expect(code).toBe(MerkleErrorCode.ProofRootMismatch);
        },
      ),
      { numRuns: 200 },
    );
  });
});
