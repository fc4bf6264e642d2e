import { describe, expect, it } from 'vitest';
import { MerkleErrorCode } from './errors.js';
import * as merkle from './index.js';

describe('MerkleErrorCode', () => {
  it('codes are unique, stable strings prefixed ERR_MERKLE_ or ERR_PROOF_', () => {
    const codes = Object.values(MerkleErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^ERR_(MERKLE|PROOF)_[A-Z0-9_]+$/);
  });

  it('is exported from the package index with the public API', () => {
    expect(merkle.MerkleErrorCode).toBe(MerkleErrorCode);
    expect(Object.keys(merkle).sort()).toEqual(
      [
        'EMPTY_ROOT',
        'HASH_SIZE',
        'MerkleErrorCode',
        'TreeBuilder',
        'appendNodes',
        'appendPlan',
        'consistencyPlan',
        'hashChildren',
        'hashLeaf',
        'hashOfNodes',
        'inclusionPlan',
        'rangeNodes',
        'resolvePlan',
        'rootFromInclusionProof',
        'rootPlan',
        'verifyConsistency',
        'verifyInclusion',
      ].sort(),
    );
  });
});
