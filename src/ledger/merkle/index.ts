// RFC 9162 Merkle tree arithmetic, proofs and verification. Pure code: storage fetches the nodes a plan names,
// in one batch, and hands them back through a synchronous NodeLookup for assembly.
export { appendNodes, appendPlan } from './append.js';
export { HASH_SIZE } from './checks.js';
export { consistencyPlan } from './consistency-plan.js';
export { MerkleErrorCode } from './errors.js';
export { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';
export { inclusionPlan } from './inclusion-plan.js';
export type { NodeId, NodeLookup, TreeNode } from './node-id.js';
export { hashOfNodes, rangeNodes, rootPlan } from './range.js';
export { resolvePlan } from './resolve-plan.js';
export { TreeBuilder } from './tree-builder.js';
export { verifyConsistency } from './verify-consistency.js';
export { rootFromInclusionProof, verifyInclusion } from './verify-inclusion.js';
