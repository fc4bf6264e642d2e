import { afterEach, describe, expect, it } from 'vitest';
import { DecisionErrorCode } from '../approvals/decisions/index.js';
import type { ApprovalRequest } from '../approvals/requests/index.js';
import { RegistryErrorCode } from '../registries/index.js';
import { decideAndPromote } from './decide-and-promote.js';
import { PromotionErrorCode } from './errors.js';
import { promote } from './promote.js';
import { readPromotion } from './promotion-state.js';
import {
  approveAs,
  EXPLICIT_POLICY_YAML,
  makePromotionFixture,
  type PromotionFixture,
  reviewRequired,
} from './test-support/promotion-fixture.js';

const code = (c: string) => expect.objectContaining({ code: c });

/** "The approval click is the promotion": the completing decision runs the gate unless the policy says explicit. */
describe('decideAndPromote', () => {
  let f: PromotionFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  const click = async (request: ApprovalRequest, subject: string, groups: string[]) => {
    const token = await f.approvals.token(subject, groups);
    await reviewRequired(f.approvals, request, token);
    return decideAndPromote(f.ctx, {
      requestId: request.id,
      token,
      decision: 'approve',
      evidence: request.evidence,
    });
  };

  it('the approval that completes the approvals writes the event and moves the registry at once', async () => {
    f = await makePromotionFixture();
    const request = await f.openRequest(2);
    const first = await click(request, 'alice', ['approvers']);
    expect(first.decision.approvalsComplete).toBe(false);
    expect(first.promotion).toEqual({ status: 'not-run', reason: 'approvals-incomplete' });
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('1');

    const second = await click(request, 'bob', ['risk']);
    expect(second.decision).toMatchObject({ approvalsComplete: true, state: 'approved' });
    expect(second.promotion.status).toBe('promoted');
    if (second.promotion.status !== 'promoted') throw new Error('unreachable');
    const { event } = second.promotion.outcome;
    expect(event.predicate.trigger).toBe('approval');
    // The event rests on the completing decision, and follows it directly in the request's history.
    expect(event.predicate.decisions.at(-1)?.index).toBe(second.decision.index);
    expect(event.predicate.requestHead.index).toBe(second.decision.index);
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('2');
  });

  it('with promotion.mode explicit the decision completes the approvals and promote is a separate step', async () => {
    f = await makePromotionFixture({ policyYaml: EXPLICIT_POLICY_YAML });
    const request = await f.openRequest(1);
    const done = await click(request, 'alice', ['approvers']);
    expect(done.decision.approvalsComplete).toBe(true);
    expect(done.promotion).toEqual({ status: 'not-run', reason: 'explicit-mode' });
    expect((await readPromotion(f.approvals.ledger, request.id)).state).toBe('none');
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('1');
    const outcome = await promote(f.ctx, request.id);
    expect(outcome.event.predicate.trigger).toBe('promote');
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('2');
  });

  it('a gate refusal leaves the decision recorded and returns the refusal; nothing promoted', async () => {
    f = await makePromotionFixture();
    const request = await f.openRequest(1);
    f.registry.inject({ operation: 'resolveAlias' });
    const done = await click(request, 'alice', ['approvers']);
    expect(done.decision.state).toBe('approved');
    expect(done.promotion).toEqual({ status: 'refused', error: code(RegistryErrorCode.Unreachable) });
    expect((await readPromotion(f.approvals.ledger, request.id)).state).toBe('none');
    // Later, the explicit step promotes it.
    expect((await promote(f.ctx, request.id)).state).toBe('promoted');
  });

  it('a failed move after the event is reported as transition-pending', async () => {
    f = await makePromotionFixture();
    const request = await f.openRequest(1);
    f.registry.inject({ operation: 'setAlias' });
    const done = await click(request, 'alice', ['approvers']);
    expect(done.promotion.status).toBe('transition-pending');
    await expect(promote(f.ctx, request.id)).rejects.toEqual(code(PromotionErrorCode.Pending));
  });

  it('a refused decision runs no gate and records nothing', async () => {
    f = await makePromotionFixture();
    const request = await approveAs(f.approvals, await f.openRequest(1), [['alice', ['approvers']]]);
    expect(request.state).toBe('approved');
    const size = await f.approvals.size();
    const token = await f.approvals.token('bob', ['risk']);
    await expect(
      decideAndPromote(f.ctx, {
        requestId: request.id,
        token,
        decision: 'approve',
        evidence: request.evidence,
      }),
    ).rejects.toEqual(code(DecisionErrorCode.RequestClosed));
    expect(await f.approvals.size()).toBe(size);
    expect(f.registry.reached.resolveAlias).toBe(0);
  });
});
