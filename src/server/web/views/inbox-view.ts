import type { ApprovalRequest, ListedRequest } from '../../../approvals/requests/index.js';
import { html, type SafeHtml } from '../html.js';
import { layout, when } from '../layout.js';
import type { Session } from '../session-store.js';

function modelCell(r: ApprovalRequest): SafeHtml {
  return html`${r.candidate.registry}/${r.candidate.model}`;
}

function classBadge(r: ApprovalRequest): SafeHtml {
  const c = r.classification.class;
  return html`<span class="badge class-${c}">class ${c}</span>`;
}

/** The inbox: requests awaiting the signed-in approver, then the other open requests. */
export function inboxPage(input: {
  session: Session;
  awaiting: readonly ListedRequest[];
  otherOpen: readonly ApprovalRequest[];
}): SafeHtml {
  const { session, awaiting, otherOpen } = input;
  const awaitingTable =
    awaiting.length === 0
      ? html`<p>Nothing awaits your decision.</p>`
      : html`<table>
        <caption class="visually-hidden">Requests awaiting your decision</caption>
        <thead><tr><th scope="col">Request</th><th scope="col">Model</th><th scope="col">Candidate → champion</th>
        <th scope="col">Class</th><th scope="col">Still to review</th><th scope="col">Opened</th></tr></thead>
        <tbody>${awaiting.map(
          (r) => html`<tr>
            <th scope="row"><a href="/requests/${r.id}">${r.id}</a></th>
            <td>${modelCell(r)}</td>
            <td>v${r.candidate.version} → v${r.champion.version}</td>
            <td>${classBadge(r)}</td>
            <td>${(r.toReview ?? []).length === 0 ? html`<span class="yes">all reviewed</span>` : (r.toReview ?? []).join(', ')}</td>
            <td>${when(r.openedAt)}</td>
          </tr>`,
        )}</tbody></table>`;
  const otherTable =
    otherOpen.length === 0
      ? html`<p>No other open requests.</p>`
      : html`<table>
        <caption class="visually-hidden">Other open requests</caption>
        <thead><tr><th scope="col">Request</th><th scope="col">Model</th><th scope="col">Candidate → champion</th>
        <th scope="col">Class</th><th scope="col">Approvals</th></tr></thead>
        <tbody>${otherOpen.map(
          (r) => html`<tr>
            <th scope="row"><a href="/requests/${r.id}">${r.id}</a></th>
            <td>${modelCell(r)}</td>
            <td>v${r.candidate.version} → v${r.champion.version}</td>
            <td>${classBadge(r)}</td>
            <td>${r.requirements.approvers.present} of ${r.requirements.approvers.required}</td>
          </tr>`,
        )}</tbody></table>`;
  return layout({
    title: 'Inbox',
    section: 'inbox',
    session,
    body: html`<h1>Inbox</h1>
      <section aria-labelledby="awaiting-h"><h2 id="awaiting-h">Awaiting your decision (${awaiting.length})</h2>${awaitingTable}</section>
      <section aria-labelledby="other-h"><h2 id="other-h">Other open requests</h2>${otherTable}</section>`,
  });
}
