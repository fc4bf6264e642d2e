import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceKind } from '../../src/approvals/policy/index.js';
import { getRequest } from '../../src/approvals/requests/index.js';
import { readPromotion } from '../../src/promotion/index.js';
import { openBrowser, type PersonBrowser, screenshot, signIn } from './browser.js';
import { type E2eDocket, startE2eDocket } from './e2e-docket.js';

const LABELS: Record<EvidenceKind, string> = {
  comparison: 'Challenger comparison',
  explanation: 'Explanation',
  'training-dataset': 'Training dataset',
  'evaluation-dataset': 'Evaluation dataset',
  'change-manifest': 'Change manifest',
};

/**
 * The approver UI end to end, in Debian's Chromium, against a real OpenID Provider: two approvers sign in with the
 * authorization code grant and PKCE, open the evidence, and approve a class 2 request until it is complete: the
 * second approver's click promotes the candidate in the local registry. On the way, the refusals a browser can provoke: a decision before the required views, and one posting a stale digest.
 */
describe('approver UI in Chromium', () => {
  let e: E2eDocket;
  let alice: PersonBrowser;
  let bob: PersonBrowser;

  beforeAll(async () => {
    e = await startE2eDocket();
    alice = await openBrowser();
    bob = await openBrowser();
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await e?.close();
  });

  const requestUrl = () => `${e.url}/requests/${e.request.id}`;
  const approve = (page: PersonBrowser['page']) => page.getByRole('button', { name: 'Approve' });

  async function openEvidence(person: PersonBrowser, kind: EvidenceKind): Promise<string> {
    const { page } = person;
    await page.goto(requestUrl());
    await page.getByRole('link', { name: `Open ${LABELS[kind]}` }).click();
    await page.waitForURL(`${requestUrl()}/evidence/${kind}`);
    const frame = page.frameLocator('iframe.evidence');
    await frame.locator('body').waitFor();
    return (await frame.locator('body').textContent()) ?? '';
  }

  it('signs alice in with PKCE; the session cookie is HttpOnly and SameSite=Lax; the inbox lists the request', async () => {
    await signIn(alice.page, e.url, 'alice');
    const cookies = await alice.context.cookies(e.url);
    const session = cookies.find((c) => c.name === 'docket-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    expect(await alice.page.evaluate('document.cookie')).toBe('');
    await expect(
      alice.page.getByRole('heading', { name: /Awaiting your decision \(1\)/ }).count(),
    ).resolves.toBe(1);
    await screenshot(alice.page, '01-inbox');
    await alice.page.getByRole('link', { name: e.request.id }).first().click();
    await alice.page.waitForURL(requestUrl());
  });

  it('shows the request with Approve disabled, and refuses a forced decision before the views (ERR_DECISION_VIEW_MISSING)', async () => {
    const { page } = alice;
    await expect(approve(page).isDisabled()).resolves.toBe(true);
    await expect(page.getByText('open the required evidence first').count()).resolves.toBe(1);
    for (const digest of Object.values(e.request.evidence)) {
      expect(await page.locator('main').textContent()).toContain(digest);
    }
    await screenshot(page, '02-request-before-views');
    const size = await e.docket.ledger.size();
    // A person cannot click a disabled button; a forged page can post anyway, and the server must refuse it.
    // (Page scripts are strings here: the project's TypeScript has no DOM library.)
    await page.evaluate(
      `for (const b of document.querySelectorAll('button[name="decision"], textarea')) b.removeAttribute('disabled')`,
    );
    const [response] = await Promise.all([page.waitForResponse(/\/decision$/), approve(page).click()]);
    expect(response.status()).toBe(409);
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('ERR_DECISION_VIEW_MISSING');
    await screenshot(page, '03-refused-views-missing');
    expect(await e.docket.ledger.size()).toBe(size);
  });

  it('shows the exact stored bytes in a sandboxed frame (no script runs) and records a view receipt', async () => {
    const text = await openEvidence(alice, 'comparison');
    expect(text).toContain('credit-decisioning v17 vs champion v16');
    const check = alice.page.frameLocator('iframe.evidence').locator('#script-check');
    await expect(check.textContent()).resolves.toBe('scripts are off');
    await screenshot(alice.page, '04-evidence-viewer');
    const request = await getRequest(e.docket.approvals, e.request.id);
    expect(request.views.map((v) => [v.viewer.subject, v.evidenceKinds, v.servedDigest])).toEqual([
      ['alice', ['comparison'], e.request.evidence.comparison],
    ]);
    // The frame's content cannot be fetched on its own: its ticket was used up, and it was issued for a frame.
    const src = await alice.page.locator('iframe.evidence').getAttribute('src');
    const again = await alice.page.goto(`${e.url}${src}`);
    expect(again?.status()).toBe(403);
  });

  it('enables Approve after the required views, and refuses an approval posting a stale digest (ERR_DECISION_STALE_EVIDENCE)', async () => {
    for (const kind of ['change-manifest', 'explanation'] as const) await openEvidence(alice, kind);
    const { page } = alice;
    await page.goto(requestUrl());
    await expect(approve(page).isEnabled()).resolves.toBe(true);
    await screenshot(page, '05-request-ready');
    const size = await e.docket.ledger.size();
    // What the screen showed is not the request's current evidence: the decision must be refused.
    await page.evaluate(
      `document.querySelector('input[name="evidence.comparison"]').value = 'sha256:${'0'.repeat(64)}'`,
    );
    const [response] = await Promise.all([page.waitForResponse(/\/decision$/), approve(page).click()]);
    expect(response.status()).toBe(409);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('ERR_DECISION_STALE_EVIDENCE');
    await screenshot(page, '06-refused-stale-digest');
    expect(await e.docket.ledger.size()).toBe(size);
  });

  it('records alice’s approval with the digests on screen; the request stays open for risk', async () => {
    const { page } = alice;
    await page.goto(requestUrl());
    await page.getByLabel('Comment (optional, recorded in the log)').fill('Comparison and SHAP reviewed.');
    await Promise.all([page.waitForURL(/recorded=\d+/), approve(page).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your decision was recorded');
    const request = await getRequest(e.docket.approvals, e.request.id);
    expect(request).toMatchObject({
      state: 'open',
      requirements: { approvers: { present: 1, required: 2 } },
    });
  });

  it('signs bob (risk) in, who reviews with the keyboard and approves: the approvals are complete and the candidate is promoted', async () => {
    const { page } = bob;
    await signIn(page, e.url, 'bob');
    for (const kind of e.request.classification.approvalsRequired.evidence) await openEvidence(bob, kind);
    await page.goto(requestUrl());
    await page.getByLabel('Comment (optional, recorded in the log)').focus();
    await page.keyboard.type('Population shift within risk appetite.');
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Approve');
    await Promise.all([page.waitForURL(/recorded=\d+/), page.keyboard.press('Enter')]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('are now complete');
    await screenshot(page, '07-request-approved');
    const request = await getRequest(e.docket.approvals, e.request.id);
    expect(request.state).toBe('approved');
    expect(request.decisions.map((d) => [d.identity.issuer, d.identity.subject, d.roles, d.counted])).toEqual(
      [
        [e.idp.issuer, 'alice', ['model-owner'], true],
        [e.idp.issuer, 'bob', ['risk'], true],
      ],
    );
    // The click was the promotion: the registry alias points at the candidate, and the log holds the promotion
    // event and the transition that executed it.
    const status = page.getByRole('status');
    await expect(status.textContent()).resolves.toContain('promoted: credit-decisioning@17 is now champion');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(await e.docket.registry.resolveAlias('credit-decisioning', 'champion')).toBe(
      e.request.candidate.version,
    );
    const entries = await Promise.all(
      (await e.docket.ledger.find('promotion', e.request.id)).map((i) => e.docket.ledger.readEntry(i)),
    );
    expect(entries.map((entry) => entry.recordType)).toEqual(['promotion', 'transition']);
    const promotion = await readPromotion(e.docket.ledger, e.request.id);
    expect(promotion.state).toBe('promoted');
    expect(promotion.event?.predicate).toMatchObject({
      trigger: 'approval',
      expectedChampion: e.request.champion.version,
      model: {
        model: 'credit-decisioning',
        version: '17',
        artefactDigest: e.request.candidate.artefactDigest,
      },
    });
    expect(
      promotion.transitions.map((t) => [t.predicate.outcome, t.predicate.fromVersion, t.predicate.toVersion]),
    ).toEqual([['applied', '16', '17']]);
  });

  it('shows the audit trail with verified inclusion proofs, and the log status', async () => {
    const { page } = bob;
    await page.goto(requestUrl());
    await page.getByRole('link', { name: 'audit trail of this model version' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'local/credit-decisioning@17',
    );
    const verified = await page.getByText('verified', { exact: true }).count();
    const request = await getRequest(e.docket.approvals, e.request.id);
    expect(verified).toBe(request.entries.length);
    await screenshot(page, '08-audit');
    await page.getByRole('link', { name: 'Log', exact: true }).click();
    const main = await page.locator('main').textContent();
    expect(main).toContain(`${await e.docket.ledger.size()} entries`);
    expect(main).toMatch(/Last anchor\s*Tree size\s*\d+/);
    await screenshot(page, '09-log');
    if (process.env.DOCKET_UPDATE_SCREENSHOTS === '1') {
      await mkdir(join(process.cwd(), 'docs', 'screenshots'), { recursive: true });
      await copyFile(
        join(process.cwd(), 'test-output', 'screenshots', '05-request-ready.png'),
        join(process.cwd(), 'docs', 'screenshots', 'request-page.png'),
      );
    }
  });
});
