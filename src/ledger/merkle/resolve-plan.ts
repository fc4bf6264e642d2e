import { MerkleErrorCode, merkleError } from './errors.js';
import { assertLookup, assertNodeId, lookupNode, type NodeId, type NodeLookup } from './node-id.js';
import { foldRightToLeft } from './range.js';

/**
 * Assembles proof hashes from a plan ({@link inclusionPlan}, {@link consistencyPlan}) and the nodes fetched for
 * it: each element's nodes are looked up and folded with {@link hashOfNodes}. The whole plan is validated before
 * the first lookup; a DocketError thrown by `lookup` passes through unchanged.
 *
 * @example
 * const plan = consistencyPlan(size1, size2);
 * const fetched = await store.nodes(plan.flat());
 * const proof = resolvePlan(plan, (id) => fetched.get(nodeKey(id)) ?? fail(id));
 */
export function resolvePlan(plan: readonly (readonly NodeId[])[], lookup: NodeLookup): Uint8Array[] {
  assertPlan(plan);
  assertLookup(lookup);
  return plan.map((element) => foldRightToLeft(element.map((id) => lookupNode(lookup, id))));
}

function assertPlan(plan: unknown): asserts plan is NodeId[][] {
  if (!Array.isArray(plan)) {
    throw merkleError(MerkleErrorCode.InvalidArgument, 'plan must be an array of NodeId arrays');
  }
  plan.forEach((element: unknown, position) => {
    if (!Array.isArray(element) || element.length === 0) {
      throw merkleError(
        MerkleErrorCode.InvalidArgument,
        `plan[${position}] must be a non-empty array of NodeIds`,
        {
          position,
        },
      );
    }
    element.forEach((id: unknown, i) => {
      assertNodeId(id, `plan[${position}][${i}]`);
    });
  });
}
