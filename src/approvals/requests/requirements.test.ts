import { describe, expect, it } from 'vitest';
import type { ApprovalsRequired } from '../classifier/index.js';
import { type CountedApprover, evaluateRequirements } from './index.js';

const approver = (subject: string, ...roles: string[]): CountedApprover => ({
  identity: { issuer: 'https://idp.example', subject },
  roles,
});
const rule = (overrides: Partial<ApprovalsRequired>): ApprovalsRequired => ({
  approvers: 1,
  requiredRoles: {},
  evidence: ['comparison'],
  separationOfDuties: { requesterMayApprove: false, identityCountsOnce: true, oneSlotPerApprover: false },
  ...overrides,
});

describe('evaluateRequirements', () => {
  it('class 2: two distinct approvers, one of them risk', () => {
    const two = rule({ approvers: 2, requiredRoles: { risk: 1 } });
    expect(evaluateRequirements(two, [])).toMatchObject({ complete: false, shortfall: 2 });
    const owners = evaluateRequirements(two, [approver('a', 'model-owner'), approver('b', 'model-owner')]);
    expect(owners).toMatchObject({
      complete: false,
      shortfall: 1,
      missing: ['1 more approver with role risk'],
    });
    expect(evaluateRequirements(two, [approver('a', 'model-owner'), approver('c', 'risk')]).complete).toBe(
      true,
    );
    expect(evaluateRequirements(two, [approver('c', 'risk')])).toMatchObject({
      complete: false,
      missing: ['1 more approver'],
    });
  });

  it('class 3: the committee quorum, whatever the number of other approvers', () => {
    const three = rule({ approvers: 3, committee: { role: 'committee', quorum: 3, size: 5 } });
    const summary = evaluateRequirements(three, [
      approver('a', 'model-owner'),
      approver('c', 'committee'),
      approver('d', 'committee'),
    ]);
    expect(summary).toMatchObject({
      complete: false,
      approvers: { required: 3, present: 3 },
      committee: { role: 'committee', quorum: 3, present: 2 },
      missing: ['1 more committee member (role committee) for the quorum of 3'],
    });
    const quorum = [approver('c', 'committee'), approver('d', 'committee'), approver('e', 'committee')];
    expect(evaluateRequirements(three, quorum).complete).toBe(true);
  });

  it('oneSlotPerApprover: one approver holding two roles fills one slot (maximum matching)', () => {
    const base = { approvers: 2, requiredRoles: { 'model-owner': 1, risk: 1 } };
    const both = [approver('x', 'model-owner', 'risk'), approver('y', 'committee')];
    expect(evaluateRequirements(rule(base), both).complete).toBe(true);
    const strict = rule({
      ...base,
      separationOfDuties: { requesterMayApprove: false, identityCountsOnce: true, oneSlotPerApprover: true },
    });
    const summary = evaluateRequirements(strict, both);
    expect(summary).toMatchObject({ complete: false, slots: { required: 2, filled: 1 }, shortfall: 1 });
    expect(summary.missing).toEqual(['1 required slot unfilled: each approver fills one slot only']);
    // x can take either slot: the matching moves x to risk when y brings only model-owner.
    expect(
      evaluateRequirements(strict, [approver('x', 'model-owner', 'risk'), approver('y', 'model-owner')])
        .complete,
    ).toBe(true);
  });
});
