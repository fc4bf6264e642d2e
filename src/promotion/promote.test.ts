import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getRequest, RequestErrorCode } from '../approvals/requests/index.js';
import { RegistryErrorCode } from '../registries/index.js';
import { PromotionErrorCode } from './errors.js';
import { promote, runGate } from './promote.js';
import { recordPromotionEvent } from './promotion-event.js';
import { readPromotion } from './promotion-state.js';
import { approveAs, makePromotionFixture, type PromotionFixture } from './test-support/promotion-fixture.js';

const code = (c: string) => expect.objectContaining({ code: c });

/**
 * The gate against a real local registry behind a fault injector: after every failure the test asserts what the
 * ledger holds (entry count, promotion state) and what the registry shows (the alias, and its full move history).
 */
describe('promote (the gate)', () => {
  let f: PromotionFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  const approved = async (materiality: 1 | 2 = 1) => f.approve(await f.openRequest(materiality), materiality);
  const champion = () => f.local.resolveAlias('credit', 'champion');
  const types = async (requestId: string) =>
    (await getRequest(f.approvals.ctx, requestId)).entries.map((e) => e.type);

  it('re-checks, writes the event, then moves the registry, then records the applied transition', async () => {
    f = await makePromotionFixture();
    const request = await approved(2);
    expect(request.state).toBe('approved');
    const outcome = await promote(f.ctx, request.id);
    expect(outcome.state).toBe('promoted');
    expect(await champion()).toBe('2');
    expect(await f.aliasMoves()).toEqual(['-->1', '1->2']);
    expect(f.registry.reached.setAlias).toBe(1);
    expect((await types(request.id)).slice(-2)).toEqual(['promotion', 'transition']);

    const event = outcome.event;
    const transition = outcome.transition;
    expect(transition?.index).toBe(event.index + 1);
    expect(event.predicate).toMatchObject({
      requestId: request.id,
      class: 2,
      model: {
        registry: 'local',
        registryId: 'local',
        model: 'credit',
        version: '2',
        artefactDigest: f.model.candidate.digest,
        artefact: { kind: 'directory', files: 5 },
      },
      comparison: { reportDigest: request.evidence.comparison, champion: request.champion },
      requestHead: request.head,
      explanationDigest: request.evidence.explanation,
      datasets: {
        trainingDigest: request.evidence.trainingDataset,
        evaluationDigest: request.evidence.evaluationDataset,
      },
      changeManifestDigest: request.evidence.changeManifest,
      policyDigest: request.classification.policyDigest,
      target: { kind: 'alias', alias: 'champion' },
      expectedChampion: '1',
      trigger: 'promote',
      dev: true,
    });
    expect(event.predicate.approvers.map((a) => a.subject)).toEqual(['alice', 'bob']);
    expect(event.predicate.decisions.map((d) => [d.index, d.identity.subject, d.roles])).toEqual(
      request.decisions.map((d) => [d.index, d.identity.subject, d.roles]),
    );
    expect(transition?.predicate).toMatchObject({
      requestId: request.id,
      reason: 'promotion',
      outcome: 'applied',
      error: null,
      registry: 'local',
      model: 'credit',
      fromVersion: '1',
      toVersion: '2',
      promotion: { index: event.index, leafHash: event.leafHash },
    });
    // The event is chained into the request's history: its prev is the head it cites.
    const entry = await f.approvals.ledger.readEntry(event.index);
    expect(entry.statement.predicate.prev).toEqual(request.head);
    expect(await f.approvals.ledger.find('promotion', request.id)).toEqual([event.index, event.index + 1]);
    expect(await f.approvals.ledger.find('model-version', 'local/credit@2')).toContain(event.index);

    // Once promoted, promoting again is refused; resuming is a no-op.
    const size = await f.approvals.size();
    await expect(promote(f.ctx, request.id)).rejects.toEqual(code(PromotionErrorCode.AlreadyPromoted));
    const again = await promote(f.ctx, request.id, { resume: true });
    expect(again).toMatchObject({ state: 'promoted' });
    expect(again.transition).toBeUndefined();
    expect(await f.approvals.size()).toBe(size);
    expect(f.registry.reached.setAlias).toBe(1);
  });

  it('registry unreachable before the event write: nothing written, nothing moved', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    const size = await f.approvals.size();
    for (const operation of ['resolveAlias', 'getVersion', 'fetchArtefacts'] as const) {
      f.registry.inject({ operation });
      await expect(promote(f.ctx, request.id)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
      expect(await f.approvals.size()).toBe(size);
      expect((await readPromotion(f.approvals.ledger, request.id)).state).toBe('none');
      expect(await champion()).toBe('1');
      expect(await f.aliasMoves()).toEqual(['-->1']);
    }
    expect(f.registry.reached.setAlias).toBe(0);
    // The registry back, the same request promotes.
    expect((await promote(f.ctx, request.id)).state).toBe('promoted');
  });

  it('registry fails after the event write: event present, transition pending, --resume completes it once', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    f.registry.inject({ operation: 'setAlias', persistent: true });
    const outcome = await promote(f.ctx, request.id);
    expect(outcome.state).toBe('transition-pending');
    expect(outcome.transition?.predicate).toMatchObject({
      reason: 'promotion',
      outcome: 'failed',
      error: { code: RegistryErrorCode.Unreachable },
      fromVersion: '1',
      toVersion: '2',
    });
    expect(await champion()).toBe('1');
    const pending = await readPromotion(f.approvals.ledger, request.id);
    expect(pending.state).toBe('transition-pending');
    expect(pending.event?.index).toBe(outcome.event.index);
    expect((await types(request.id)).slice(-2)).toEqual(['promotion', 'transition']);

    // Without --resume it is refused, naming the way out; a resume while the registry is still down records the
    // attempt and stays pending.
    await expect(promote(f.ctx, request.id)).rejects.toEqual(code(PromotionErrorCode.Pending));
    const stillDown = await promote(f.ctx, request.id, { resume: true });
    expect(stillDown.state).toBe('transition-pending');
    expect(stillDown.transitions.map((t) => [t.predicate.reason, t.predicate.outcome])).toEqual([
      ['promotion', 'failed'],
      ['resume', 'failed'],
    ]);

    f.registry.heal();
    const resumed = await promote(f.ctx, request.id, { resume: true });
    expect(resumed.state).toBe('promoted');
    expect(resumed.transition?.predicate).toMatchObject({
      reason: 'resume',
      outcome: 'applied',
      toVersion: '2',
    });
    expect(await champion()).toBe('2');
    expect(await f.aliasMoves()).toEqual(['-->1', '1->2']);
    const size = await f.approvals.size();
    const moves = f.registry.reached.setAlias;
    expect((await promote(f.ctx, request.id, { resume: true })).transition).toBeUndefined();
    expect(await f.approvals.size()).toBe(size);
    expect(f.registry.reached.setAlias).toBe(moves);
    const done = await readPromotion(f.approvals.ledger, request.id);
    expect(done.state).toBe('promoted');
    expect(done.event?.index).toBe(outcome.event.index);
  });

  it('a move whose answer was lost is recorded failed; --resume observes it and never moves again', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    f.registry.inject({ operation: 'setAlias', when: 'after' });
    const outcome = await promote(f.ctx, request.id);
    expect(outcome.state).toBe('transition-pending');
    expect(await champion()).toBe('2'); // the registry did move
    const resumed = await promote(f.ctx, request.id, { resume: true });
    expect(resumed.transition?.predicate).toMatchObject({
      reason: 'resume',
      outcome: 'applied-observed',
      fromVersion: '1',
      toVersion: '2',
    });
    expect(f.registry.reached.setAlias).toBe(1);
    expect(await f.aliasMoves()).toEqual(['-->1', '1->2']);
  });

  it('a crash between the move and its transition: --resume records applied-observed without moving', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    // What a process that died right after moving leaves: the event, the moved alias, no transition.
    const gate = await runGate(f.ctx, request.id, 'promote');
    await recordPromotionEvent(f.ctx, request.id, gate.passed);
    await f.local.setAlias('credit', 'champion', '2');
    expect((await readPromotion(f.approvals.ledger, request.id)).state).toBe('transition-pending');
    const resumed = await promote(f.ctx, request.id, { resume: true });
    expect(resumed.state).toBe('promoted');
    expect(resumed.transitions.map((t) => t.predicate.outcome)).toEqual(['applied-observed']);
    expect(f.registry.reached.setAlias).toBe(0);
  });

  it('a crash right after the event write: --resume re-checks the candidate and moves once', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    const gate = await runGate(f.ctx, request.id, 'promote');
    await recordPromotionEvent(f.ctx, request.id, gate.passed);
    const resumed = await promote(f.ctx, request.id, { resume: true });
    expect(resumed.transitions.map((t) => [t.predicate.reason, t.predicate.outcome])).toEqual([
      ['resume', 'applied'],
    ]);
    expect(f.registry.reached.setAlias).toBe(1);
    expect(await champion()).toBe('2');
  });

  it('the champion moved since the comparison: refused, nothing written or moved (also on resume)', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    await f.local.registerVersion('credit', { path: f.model.champion.files.dir });
    await f.local.setAlias('credit', 'champion', '3');
    const size = await f.approvals.size();
    const err = await promote(f.ctx, request.id).catch((e: unknown) => e);
    expect(err).toEqual(code(PromotionErrorCode.ChampionMoved));
    expect((err as { details: unknown }).details).toMatchObject({ expected: '1', actual: '3' });
    expect(await f.approvals.size()).toBe(size);
    expect(await champion()).toBe('3');
    expect(f.registry.reached.setAlias).toBe(0);

    await f.local.deleteAlias('credit', 'champion');
    await expect(promote(f.ctx, request.id)).rejects.toEqual(code(PromotionErrorCode.ChampionMoved));

    // A pending promotion whose champion moved meanwhile is not resumed over someone else's change.
    await f.local.setAlias('credit', 'champion', '1');
    f.registry.inject({ operation: 'setAlias' });
    expect((await promote(f.ctx, request.id)).state).toBe('transition-pending');
    await f.local.setAlias('credit', 'champion', '3');
    const pendingSize = await f.approvals.size();
    await expect(promote(f.ctx, request.id, { resume: true })).rejects.toEqual(
      code(PromotionErrorCode.ChampionMoved),
    );
    expect(await f.approvals.size()).toBe(pendingSize);
    expect(await champion()).toBe('3');
  });

  it('an evidence artefact missing or changed: refused, naming it', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    const size = await f.approvals.size();
    await f.approvals.store.flipByte(request.evidence.explanation, 3);
    const changed = await promote(f.ctx, request.id).catch((e: unknown) => e);
    expect(changed).toEqual(code(PromotionErrorCode.EvidenceChanged));
    expect((changed as Error).message).toContain(`evidence.explanation ${request.evidence.explanation}`);
    expect((changed as { details: unknown }).details).toMatchObject({
      changed: [{ field: 'evidence.explanation', digest: request.evidence.explanation }],
    });

    await rm(f.approvals.store.blobPath(request.evidence.explanation));
    await rm(f.approvals.store.blobPath(request.evidence.comparison));
    const missing = await promote(f.ctx, request.id).catch((e: unknown) => e);
    expect(missing).toEqual(code(PromotionErrorCode.EvidenceMissing));
    expect((missing as { details: unknown }).details).toMatchObject({
      missing: [
        { field: 'evidence.comparison', digest: request.evidence.comparison },
        { field: 'evidence.explanation', digest: request.evidence.explanation },
      ],
    });
    expect(await f.approvals.size()).toBe(size);
    expect(await champion()).toBe('1');
    expect(f.registry.reached.setAlias).toBe(0);
  });

  it("the candidate's bytes changed in the registry: refused with both digests", async () => {
    f = await makePromotionFixture();
    const request = await approved();
    await writeFile(join(f.model.candidate.files.dir, 'MLmodel'), 'swapped after approval\n');
    const size = await f.approvals.size();
    const err = await promote(f.ctx, request.id).catch((e: unknown) => e);
    expect(err).toEqual(code(PromotionErrorCode.ArtefactMismatch));
    expect((err as { details: { expected: string; actual: string } }).details.expected).toBe(
      f.model.candidate.digest,
    );
    expect(await f.approvals.size()).toBe(size);
    expect(await champion()).toBe('1');
  });

  it('two promote calls racing on one request: exactly one event, one move', async () => {
    f = await makePromotionFixture();
    const request = await approved();
    const results = await Promise.allSettled([
      promote(f.ctx, request.id),
      promote(f.ctx, request.id),
      promote(f.ctx, request.id),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    // A loser that looked while the winner was still moving the registry is told the promotion is pending.
    for (const { reason } of rejected) {
      expect([PromotionErrorCode.AlreadyPromoted, PromotionErrorCode.Pending]).toContain(reason.code);
    }
    expect(rejected).toHaveLength(2);
    expect((await types(request.id)).filter((t) => t === 'promotion')).toHaveLength(1);
    expect((await types(request.id)).filter((t) => t === 'transition')).toHaveLength(1);
    expect(f.registry.reached.setAlias).toBe(1);
    expect(await f.aliasMoves()).toEqual(['-->1', '1->2']);
  });

  it('refuses a request that is not approved, a malformed id, nothing to resume, another registry', async () => {
    f = await makePromotionFixture();
    const open = await f.openRequest(2);
    const partly = await f.approve(open, 1); // a model owner only: class 2 needs risk too
    expect(partly.state).toBe('open');
    const size = await f.approvals.size();
    const err = await promote(f.ctx, open.id).catch((e: unknown) => e);
    expect(err).toEqual(code(PromotionErrorCode.NotApproved));
    expect((err as Error).message).toContain('with role risk');
    await expect(promote(f.ctx, 'req-nope')).rejects.toEqual(code(RequestErrorCode.Invalid));
    await expect(promote(f.ctx, 'req-0000000000')).rejects.toEqual(code(RequestErrorCode.NotFound));
    await expect(promote(f.ctx, open.id, { resume: true })).rejects.toEqual(
      code(PromotionErrorCode.NotPending),
    );
    expect(await f.approvals.size()).toBe(size);

    const approved = await approveAs(f.approvals, open, [['bob', ['risk']]]);
    expect(approved.state).toBe('approved');
    const elsewhere = { ...f.ctx, approvals: f.approvals.ctx, registryName: 'mlflow-prod' };
    const after = await f.approvals.size();
    await expect(promote(elsewhere, approved.id)).rejects.toEqual(code(PromotionErrorCode.RegistryMismatch));
    expect(await f.approvals.size()).toBe(after);
  });
});
