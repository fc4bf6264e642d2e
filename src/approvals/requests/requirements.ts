import type { ApprovalsRequired } from '../classifier/index.js';
import type { EvidenceKind } from '../policy/index.js';
import type { RecordedIdentity } from './records.js';

/** An approval that counts: one distinct identity (never the requester) and the roles it held when it decided. */
export interface CountedApprover {
  readonly identity: RecordedIdentity;
  readonly roles: readonly string[];
}

/** How far a request's approvals are from what its class requires. */
export interface RequirementSummary {
  /** True when every requirement is met. */
  readonly complete: boolean;
  readonly approvers: { readonly required: number; readonly present: number };
  /** Each role minimum of the class, and how many counted approvers hold the role. */
  readonly roles: readonly { readonly role: string; readonly required: number; readonly present: number }[];
  /** The committee quorum, when the class has one. */
  readonly committee: { readonly role: string; readonly quorum: number; readonly present: number } | null;
  /** With separationOfDuties.oneSlotPerApprover: required slots (role minima + quorum) and how many are filled. */
  readonly slots: { readonly required: number; readonly filled: number } | null;
  /** Evidence every approver must have been served before deciding. */
  readonly evidence: readonly EvidenceKind[];
  /** What is still missing, one line each, for people; empty when complete. */
  readonly missing: readonly string[];
  /**
   * Approvals still needed, as a single number: 0 exactly when complete. An estimate when one approver can hold
   * several missing roles; used to tell whether one more approval would bring the request closer (queries).
   */
  readonly shortfall: number;
}

/**
 * Evaluates a class's approval requirements (the classification's `approvalsRequired`) against the approvals that
 * count: enough distinct approvers, each role minimum met, the committee quorum met, and with
 * `oneSlotPerApprover` an assignment in which each approver fills at most one required slot (a maximum bipartite
 * matching of approvers to slots, Kuhn's augmenting paths; the sizes are policy-bounded and small).
 *
 * @example
 * evaluateRequirements(classification.approvalsRequired, approvers).complete; // false until the last one
 */
export function evaluateRequirements(
  required: ApprovalsRequired,
  approvers: readonly CountedApprover[],
): RequirementSummary {
  const holding = (role: string): number => approvers.filter((a) => a.roles.includes(role)).length;
  const missing: string[] = [];
  const approversShort = Math.max(0, required.approvers - approvers.length);
  if (approversShort > 0) missing.push(`${approversShort} more approver${approversShort === 1 ? '' : 's'}`);

  const slotRoles: string[] = [];
  let roleShort = 0;
  const roles = Object.entries(required.requiredRoles).map(([role, minimum]) => {
    const present = holding(role);
    const short = Math.max(0, minimum - present);
    if (short > 0) missing.push(`${short} more approver${short === 1 ? '' : 's'} with role ${role}`);
    roleShort += short;
    for (let i = 0; i < minimum; i++) slotRoles.push(role);
    return { role, required: minimum, present };
  });
  let committee: RequirementSummary['committee'] = null;
  if (required.committee !== undefined) {
    const { role, quorum } = required.committee;
    const present = holding(role);
    const short = Math.max(0, quorum - present);
    if (short > 0)
      missing.push(
        `${short} more committee member${short === 1 ? '' : 's'} (role ${role}) for the quorum of ${quorum}`,
      );
    roleShort += short;
    for (let i = 0; i < quorum; i++) slotRoles.push(role);
    committee = { role, quorum, present };
  }

  let slots: RequirementSummary['slots'] = null;
  let shortfall = approversShort + roleShort;
  if (required.separationOfDuties.oneSlotPerApprover) {
    const filled = maximumMatching(slotRoles, approvers);
    slots = { required: slotRoles.length, filled };
    const unfilled = slotRoles.length - filled;
    if (unfilled > roleShort) {
      missing.push(
        `${unfilled} required slot${unfilled === 1 ? '' : 's'} unfilled: each approver fills one slot only`,
      );
    }
    shortfall = Math.max(approversShort, unfilled);
  } else {
    shortfall = Math.max(approversShort, roleShort);
  }
  return {
    complete: shortfall === 0,
    approvers: { required: required.approvers, present: approvers.length },
    roles,
    committee,
    slots,
    evidence: [...required.evidence],
    missing,
    shortfall,
  };
}

// Kuhn's algorithm: for each slot, look for an augmenting path through approvers holding the slot's role.
function maximumMatching(slotRoles: readonly string[], approvers: readonly CountedApprover[]): number {
  const slotOf: (number | undefined)[] = approvers.map(() => undefined);
  const tryAssign = (slot: number, seen: boolean[]): boolean => {
    const role = slotRoles[slot] as string;
    for (let a = 0; a < approvers.length; a++) {
      if (seen[a] === true || !(approvers[a] as CountedApprover).roles.includes(role)) continue;
      seen[a] = true;
      const current = slotOf[a];
      if (current === undefined || tryAssign(current, seen)) {
        slotOf[a] = slot;
        return true;
      }
    }
    return false;
  };
  let filled = 0;
  for (let slot = 0; slot < slotRoles.length; slot++) if (tryAssign(slot, [])) filled++;
  return filled;
}
