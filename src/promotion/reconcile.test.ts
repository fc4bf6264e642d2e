import { afterEach, describe, expect, it } from 'vitest';
import { getRequest } from '../approvals/requests/index.js';
import { RegistryErrorCode } from '../registries/index.js';
import { promote } from './promote.js';
import { readPromotion } from './promotion-state.js';
import { reconcile } from './reconcile.js';
import {
  makePromotionFixture,
  type PromotionFixture,
  registerModel,
} from './test-support/promotion-fixture.js';

const code = (c: string) => expect.objectContaining({ code: c });

/** Reconcile against the local registry: what the ledger attests versus what the registry shows. */
describe('reconcile', () => {
  let f: PromotionFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  const promoted = async () => {
    const request = await f.approve(await f.openRequest(1));
    const outcome = await promote(f.ctx, request.id);
    expect(outcome.state).toBe('promoted');
    return outcome;
  };

  it('reports an alias no promotion explains (the champion set before docket), and one moved by hand', async () => {
    f = await makePromotionFixture();
    const before = await reconcile(f.ctx);
    expect(before).toMatchObject({ registry: 'local', registryId: 'local', ok: false, checked: 1 });
    expect(before.findings).toEqual([
      expect.objectContaining({ kind: 'unattested', model: 'credit', found: '1', attested: null }),
    ]);

    const outcome = await promoted();
    expect(await reconcile(f.ctx)).toMatchObject({ ok: true, findings: [] });

    await f.local.setAlias('credit', 'champion', '1'); // by hand, behind docket's back
    const size = await f.approvals.size();
    const report = await reconcile(f.ctx);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'unattested',
        target: { kind: 'alias', alias: 'champion' },
        found: '1',
        attested: expect.objectContaining({
          version: '2',
          requestId: outcome.requestId,
          promotion: { index: outcome.event.index, leafHash: outcome.event.leafHash },
        }),
      }),
    ]);
    expect(await f.approvals.size()).toBe(size); // reporting writes nothing
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('1');
  });

  it('--enforce restores the last attested version and records a reconcile transition saying why', async () => {
    f = await makePromotionFixture();
    const outcome = await promoted();
    await f.local.setAlias('credit', 'champion', '1');
    await f.local.setAlias('credit', 'shadow', '1'); // an alias docket never attested: reported, not touched
    const report = await reconcile(f.ctx, { enforce: true });
    expect(report.ok).toBe(false); // the shadow alias has nothing to restore to
    const [restored, shadow] = report.findings;
    expect(restored).toMatchObject({ found: '1', enforcement: { outcome: 'applied', error: null } });
    expect(shadow).toMatchObject({
      target: { kind: 'alias', alias: 'shadow' },
      attested: null,
      enforcement: { outcome: 'skipped' },
    });
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('2');
    expect(await f.local.resolveAlias('credit', 'shadow')).toBe('1');

    const enforcement = restored?.enforcement;
    if (enforcement === undefined || enforcement.outcome === 'skipped')
      throw new Error('the alias was restored');
    const index = enforcement.transition.index;
    const entry = await f.approvals.ledger.readEntry(index);
    expect(entry.recordType).toBe('transition');
    expect(entry.statement.predicate).toMatchObject({
      reason: 'reconcile',
      outcome: 'applied',
      fromVersion: '1',
      toVersion: '2',
      requestId: outcome.requestId,
      promotion: { index: outcome.event.index, leafHash: outcome.event.leafHash },
    });
    expect(entry.statement.subject[0]?.digest.sha256).toBe(f.model.candidate.digest.slice('sha256:'.length));
    // Not chained into the closed request's history; the request's promotion state is unchanged.
    expect((await getRequest(f.approvals.ctx, outcome.requestId)).entries.at(-1)?.index).toBe(
      outcome.transition?.index,
    );
    expect((await readPromotion(f.approvals.ledger, outcome.requestId)).state).toBe('promoted');
    expect((await reconcile(f.ctx, { models: ['credit'] })).findings.map((x) => x.target)).toEqual([
      { kind: 'alias', alias: 'shadow' },
    ]);
  });

  it('restores a deleted alias (missing), and records a failed restore when the registry refuses', async () => {
    f = await makePromotionFixture();
    await promoted();
    await f.local.deleteAlias('credit', 'champion');
    const report = await reconcile(f.ctx);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'missing', found: null })]);

    f.registry.inject({ operation: 'setAlias' });
    const failed = await reconcile(f.ctx, { enforce: true });
    expect(failed.ok).toBe(false);
    expect(failed.findings[0]?.enforcement).toMatchObject({
      outcome: 'failed',
      error: { code: RegistryErrorCode.Unreachable },
    });
    expect(await f.local.resolveAlias('credit', 'champion')).toBeUndefined();
    const restored = await reconcile(f.ctx, { enforce: true });
    expect(restored.ok).toBe(true);
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('2');
  });

  it('never undoes a promotion whose transition is pending: it points at promote --resume', async () => {
    f = await makePromotionFixture();
    const request = await f.approve(await f.openRequest(1));
    f.registry.inject({ operation: 'setAlias', when: 'after' }); // moved, answer lost: pending
    expect((await promote(f.ctx, request.id)).state).toBe('transition-pending');
    const report = await reconcile(f.ctx, { enforce: true });
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'transition-pending',
        found: '2',
        pendingRequestId: request.id,
        enforcement: expect.objectContaining({ outcome: 'skipped' }),
      }),
    ]);
    expect(await f.local.resolveAlias('credit', 'champion')).toBe('2');
    await promote(f.ctx, request.id, { resume: true });
    expect((await reconcile(f.ctx)).ok).toBe(true);
  });

  it('scopes to models, and fails with the registry code when the registry cannot be listed', async () => {
    f = await makePromotionFixture();
    await promoted();
    const other = await registerModel(f.approvals, f.local, 'other');
    await other.champion.files.cleanup();
    await other.candidate.files.cleanup();
    expect((await reconcile(f.ctx)).findings.map((x) => x.model)).toEqual(['other']);
    expect((await reconcile(f.ctx, { models: ['credit'] })).ok).toBe(true);
    f.registry.inject({ operation: 'listAliases' });
    await expect(reconcile(f.ctx)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
  });
});
