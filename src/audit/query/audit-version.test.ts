import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../approvals/requests/index.js';
import { promote } from '../../promotion/index.js';
import {
  makePromotionFixture,
  type PromotionFixture,
} from '../../promotion/test-support/promotion-fixture.js';
import { AUDIT_REFERENCES, type AuditReport, auditVersion } from './audit-version.js';
import { AuditQueryErrorCode } from './errors.js';
import { renderAuditHtml } from './render-html.js';
import { renderAuditText } from './render-text.js';

const QUERY = { registry: 'local', model: 'credit', version: '2' };

/** `docket audit` over a class 2 request promoted with the promotion tests' fixture (real ledger, store, registry). */
describe('auditVersion', () => {
  let f: PromotionFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  const promoted = async (): Promise<ApprovalRequest> => {
    f = await makePromotionFixture();
    const request = await f.approve(await f.openRequest(2), 2);
    expect(request.state).toBe('approved');
    expect((await promote(f.ctx, request.id)).state).toBe('promoted');
    return request;
  };
  const audit = () => auditVersion(f.approvals.ledger, f.approvals.store.store, QUERY);
  const verdicts = (report: AuditReport) =>
    Object.fromEntries((report.events[0]?.references ?? []).map((r) => [r.reference, r.verdict]));
  const reasons = (report: AuditReport, reference: string) =>
    report.events[0]?.references.find((r) => r.reference === reference)?.reasons.join('\n') ?? '';
  const allEvidenceBut = (broken: string) =>
    Object.fromEntries(AUDIT_REFERENCES.map((r) => [r, r === broken ? 'broken' : 'evidence']));

  it('untouched: every reference is evidence, and the report says who saw what when', async () => {
    const request = await promoted();
    const report = await audit();
    expect(report.ok).toBe(true);
    expect(report.unreadable).toEqual([]);
    expect(report.events).toHaveLength(1);
    expect(verdicts(report)).toEqual(allEvidenceBut('none'));
    const e = report.events[0];
    expect(e).toMatchObject({
      event: { requestId: request.id, trigger: 'promote' },
      comparison: { reportDigest: request.evidence.comparison, champion: { version: '1' } },
      explanationDigest: request.evidence.explanation,
      datasets: {
        trainingDigest: request.evidence.trainingDataset,
        evaluationDigest: request.evidence.evaluationDataset,
      },
      requester: { subject: 'rita' },
      classification: { class: 2, policyDigest: request.classification.policyDigest },
      transitions: [{ outcome: 'applied', fromVersion: '1', toVersion: '2' }],
    });
    expect(e?.classification.reasons?.length).toBeGreaterThan(0);
    expect(e?.approvers.map((a) => [a.identity.subject, a.roles])).toEqual([
      ['alice', ['model-owner']],
      ['bob', ['risk']],
    ]);
    for (const a of e?.approvers ?? []) {
      expect(a.views.map((v) => v.evidenceKinds.join('+')).sort()).toEqual(
        ['change-manifest', 'comparison', 'explanation'].sort(),
      );
      for (const v of a.views) expect(v.index).toBeLessThan(a.decision.index);
      expect(a.decision.recordedAt).not.toBeNull();
    }
    const text = renderAuditText(report);
    expect(text).toContain('EVIDENCE local/credit@2');
    expect(text).toMatch(/comparison\s+evidence/);
  });

  it("an artefact's bytes changed in the store: the comparison is broken", async () => {
    const request = await promoted();
    await f.approvals.store.flipByte(request.evidence.comparison);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(verdicts(report)).toEqual(allEvidenceBut('comparison'));
    expect(reasons(report, 'comparison')).toContain('artefact bytes changed');
    expect(renderAuditText(report)).toMatch(/BROKEN[\s\S]*comparison\s+broken/);
  });

  it('an artefact deleted from the store: the explanation is broken', async () => {
    const request = await promoted();
    await rm(f.approvals.store.blobPath(request.evidence.explanation));
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(verdicts(report)).toEqual(allEvidenceBut('explanation'));
    expect(reasons(report, 'explanation')).toContain('artefact missing from the store');
  });

  it("an entry of the request's history removed from the index: the request history is broken", async () => {
    const request = await promoted();
    const view = request.views[0];
    expect(view).toBeDefined();
    await f.approvals.tamper("DELETE FROM entry_keys WHERE key = 'request' AND idx = ?", view?.index);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(verdicts(report)['request-history']).toBe('broken');
    expect(reasons(report, 'request-history')).toContain('ERR_REQUEST_HISTORY_BROKEN');
    // The other artefact-backed references still stand.
    expect(verdicts(report)).toMatchObject({
      comparison: 'evidence',
      explanation: 'evidence',
      datasets: 'evidence',
    });
  });

  it('no promotion event for the version is ERR_AUDIT_NO_EVENT', async () => {
    await promoted();
    await expect(
      auditVersion(f.approvals.ledger, f.approvals.store.store, { ...QUERY, version: '1' }),
    ).rejects.toMatchObject({
      code: AuditQueryErrorCode.NoEvent,
    });
  });
});

describe('renderAuditHtml', () => {
  let f: PromotionFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  it('is self-contained (no script, no network asset) and escapes what the record says', async () => {
    f = await makePromotionFixture();
    const request = await f.approve(await f.openRequest(2), 2);
    await promote(f.ctx, request.id);
    const report = await auditVersion(f.approvals.ledger, f.approvals.store.store, QUERY);
    const html = renderAuditHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
    expect(html).toContain('alice');
    expect(html).toContain('class="evidence"');
    const hostile = {
      ...report,
      model: '<img src=x onerror=alert(1)>',
      events: report.events.map((e) => ({ ...e, requester: { issuer: 'x', subject: '<script>"&' } })),
    };
    const escaped = renderAuditHtml(hostile);
    expect(escaped).not.toContain('<script>');
    expect(escaped).not.toContain('<img');
    expect(escaped).toContain('&lt;script&gt;&quot;&amp;');
  });
});
