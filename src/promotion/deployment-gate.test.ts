import { afterEach, describe, expect, it } from 'vitest';
import { checkDeployment } from './deployment-gate.js';
import { promote } from './promote.js';
import { makePromotionFixture, type PromotionFixture } from './test-support/promotion-fixture.js';

/** `docket gate`: a deployment pipeline's yes or no, from the ledger alone. */
describe('checkDeployment', () => {
  let f: PromotionFixture;
  afterEach(async () => {
    await f?.cleanup();
  });
  const query = (version: string) => ({ registry: 'local', model: 'credit', version });

  it('passes a promoted version, proving the event and its transition under the latest checkpoint', async () => {
    f = await makePromotionFixture();
    const request = await f.approve(await f.openRequest(1));
    const outcome = await promote(f.ctx, request.id);
    const verdict = await checkDeployment(f.approvals.ledger, query('2'));
    expect(verdict).toMatchObject({
      ok: true,
      registry: 'local',
      model: 'credit',
      version: '2',
      promotion: {
        index: outcome.event.index,
        requestId: request.id,
        class: 1,
        artefactDigest: f.model.candidate.digest,
        approvers: [{ subject: 'alice' }],
        dev: true,
      },
      transition: { index: outcome.transition?.index, outcome: 'applied', reason: 'promotion' },
      checkpoint: { size: await f.approvals.size(), origin: f.approvals.ledger.origin },
      problems: [],
    });
    // JSON for CI systems: plain data.
    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });

  it('refuses a version with no event, and one whose transition is pending', async () => {
    f = await makePromotionFixture();
    const none = await checkDeployment(f.approvals.ledger, query('1'));
    expect(none).toMatchObject({ ok: false, promotion: null, transition: null });
    expect(none.problems).toEqual(['no promotion event for local/credit@1']);

    const request = await f.approve(await f.openRequest(1));
    f.registry.inject({ operation: 'setAlias' });
    await promote(f.ctx, request.id);
    const pending = await checkDeployment(f.approvals.ledger, query('2'));
    expect(pending.ok).toBe(false);
    expect(pending.problems.join('\n')).toContain('has no applied transition');
    await promote(f.ctx, request.id, { resume: true });
    expect((await checkDeployment(f.approvals.ledger, query('2'))).ok).toBe(true);
    expect((await checkDeployment(f.approvals.ledger, { ...query('2'), registry: 'mlflow' })).ok).toBe(false);
  });

  it('refuses when the event was altered in the database, or the decision it cites was', async () => {
    f = await makePromotionFixture();
    const request = await f.approve(await f.openRequest(1));
    const outcome = await promote(f.ctx, request.id);
    const decision = outcome.event.predicate.decisions[0]?.index as number;
    // An operator with database access rewrites the decision's envelope: its signature no longer verifies.
    await f.approvals.tamper(
      "UPDATE entries SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'a', 'b') AS BLOB) WHERE idx = ?",
      decision,
    );
    const verdict = await checkDeployment(f.approvals.ledger, query('2'));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join('\n')).toContain(`decision ${decision}`);

    await f.approvals.tamper(
      "UPDATE entries SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'a', 'b') AS BLOB) WHERE idx = ?",
      outcome.event.index,
    );
    const broken = await checkDeployment(f.approvals.ledger, query('2'));
    expect(broken.ok).toBe(false);
    expect(broken.problems.join('\n')).toContain(`entry ${outcome.event.index} does not verify`);
  });
});
