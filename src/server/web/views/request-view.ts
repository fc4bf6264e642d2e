import {
  type ApprovalRequest,
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type ViewSummary,
} from '../../../approvals/requests/index.js';
import type { DocketError } from '../../../errors/index.js';
import { html, type SafeHtml } from '../html.js';
import { fullDigest, layout, when } from '../layout.js';
import type { Session } from '../session-store.js';
import { errorAlert } from './simple-views.js';

/** What the request page shows the signed-in approver, computed by the route. */
export interface RequestPageModel {
  readonly session: Session;
  readonly request: ApprovalRequest;
  /** The roles the approver's groups map to under the request's policy. */
  readonly roles: readonly string[];
  /** The approver's own view receipts of this request, by artefact digest (exact bytes served). */
  readonly myViews: ReadonlyMap<string, ViewSummary>;
  /** Why the approver cannot decide now; empty when Approve and Reject are enabled. */
  readonly blockers: readonly string[];
  readonly error?: DocketError;
  readonly notice?: string;
}

const KIND_LABEL: Record<string, string> = {
  comparison: 'Challenger comparison',
  explanation: 'Explanation',
  'training-dataset': 'Training dataset',
  'evaluation-dataset': 'Evaluation dataset',
  'change-manifest': 'Change manifest',
};

// Observed values are numbers, strings, lists or small objects (e.g. champion and challenger definitions).
function observed(value: unknown): SafeHtml {
  if (value === null || typeof value !== 'object') return html`${String(value)}`;
  if (Array.isArray(value)) return html`${value.map((v) => String(v)).join(', ')}`;
  return html`${Object.entries(value).map(([k, v], i) => html`${i === 0 ? '' : html`<br>`}${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)}`;
}

function who(identity: { issuer: string; subject: string }): SafeHtml {
  return html`<strong>${identity.subject}</strong> <span class="muted">(${identity.issuer})</span>`;
}

/** The request page: candidate, champion, class and reasons, approvals, the six references, evidence, decision. */
export function requestPage(m: RequestPageModel): SafeHtml {
  const r = m.request;
  const required = r.classification.approvalsRequired;
  const mustView = new Set<string>(required.evidence);
  const auditHref = `/audit/${encodeURIComponent(r.candidate.registry)}/${encodeURIComponent(r.candidate.model)}/${encodeURIComponent(r.candidate.version)}`;

  const header = html`<h1>Request ${r.id}: ${r.candidate.model} v${r.candidate.version}</h1>
    <p><span class="badge state-${r.state}">${r.state}</span>
    <span class="badge class-${r.classification.class}">materiality class ${r.classification.class}</span>
    opened ${when(r.openedAt)} by ${who(r.requester)}${r.ticket === null ? '' : html`, ticket <code>${r.ticket}</code>`}
    · <a href="${auditHref}">audit trail of this model version</a></p>
    ${m.notice === undefined ? '' : html`<div class="notice" role="status">${m.notice}</div>`}
    ${m.error === undefined ? '' : errorAlert(m.error)}`;

  const models = html`<div class="grid2">
    <section class="card" aria-labelledby="cand-h"><h2 id="cand-h">Candidate</h2>
      <dl class="facts"><dt>Registry</dt><dd>${r.candidate.registry}</dd><dt>Model</dt><dd>${r.candidate.model}</dd>
      <dt>Version</dt><dd>${r.candidate.version}</dd><dt>Artefact</dt><dd>${fullDigest(r.candidate.artefactDigest)}</dd></dl>
    </section>
    <section class="card" aria-labelledby="champ-h"><h2 id="champ-h">Champion (compared against)</h2>
      <dl class="facts"><dt>Registry</dt><dd>${r.champion.registry}</dd><dt>Model</dt><dd>${r.champion.model}</dd>
      <dt>Version</dt><dd>${r.champion.version}</dd><dt>Artefact</dt><dd>${fullDigest(r.champion.artefactDigest)}</dd></dl>
    </section></div>`;

  const classification = html`<section aria-labelledby="class-h"><h2 id="class-h">Class ${r.classification.class} and why</h2>
    <table><caption class="visually-hidden">Classification reasons</caption>
    <thead><tr><th scope="col">Rule</th><th scope="col">Subject</th><th scope="col">Observed</th><th scope="col">Threshold</th>
    <th scope="col">Class</th><th scope="col">Reason</th></tr></thead>
    <tbody>${r.classification.reasons.map(
      (reason) => html`<tr><td><code>${reason.rule}</code></td><td>${reason.subject ?? '—'}</td>
        <td>${observed(reason.observed)}</td><td>${reason.threshold ?? '—'}</td><td>${reason.class}</td><td>${reason.message}</td></tr>`,
    )}</tbody></table>
    <p class="muted">Policy ${fullDigest(r.classification.policyDigest)}, classifier ${r.classification.classifierVersion}.</p>
  </section>`;

  const roleRows = r.requirements.roles.map(
    (role) => html`<li>${role.role}: ${role.present} of ${role.required}</li>`,
  );
  const committee = r.requirements.committee;
  const approvals = html`<section aria-labelledby="appr-h"><h2 id="appr-h">Approvals: ${r.requirements.approvers.present} of ${r.requirements.approvers.required} given</h2>
    <ul>${roleRows}${committee === null ? '' : html`<li>committee (${committee.role}): ${committee.present} of quorum ${committee.quorum}</li>`}
      <li>every approver must first open: ${required.evidence.map((k) => KIND_LABEL[k] ?? k).join(', ')}</li></ul>
    ${r.requirements.missing.length === 0 ? html`<p class="yes">The approvals the class requires are complete.</p>` : html`<p>Still missing: ${r.requirements.missing.join('; ')}</p>`}
    ${
      r.decisions.length === 0
        ? html`<p>No decision yet.</p>`
        : html`<table><caption class="visually-hidden">Decisions</caption>
      <thead><tr><th scope="col">Log index</th><th scope="col">Who</th><th scope="col">Roles</th><th scope="col">Decision</th>
      <th scope="col">Counted</th><th scope="col">When</th><th scope="col">Comment</th></tr></thead>
      <tbody>${r.decisions.map(
        (d) => html`<tr><td>${d.index}</td><td>${who(d.identity)}</td><td>${d.roles.join(', ')}</td>
          <td>${d.decision}</td><td>${d.counted ? html`<span class="yes">yes</span>` : html`<span class="no">no (${d.problem ?? ''})</span>`}</td>
          <td>${when(d.recordedAt)}</td><td>${d.comment ?? ''}</td></tr>`,
      )}</tbody></table>`
    }
  </section>`;

  const approverList =
    r.decisions.filter((d) => d.decision === 'approve' && d.counted).map((d) => who(d.identity)) ?? [];
  const refs = html`<section aria-labelledby="refs-h"><h2 id="refs-h">The six references a promotion event will bind</h2>
    <ol class="refs">
      <li><strong>Frozen model version</strong>: ${r.candidate.registry}/${r.candidate.model}@${r.candidate.version}
        ${fullDigest(r.candidate.artefactDigest)}</li>
      <li><strong>Challenger comparison</strong>: ${fullDigest(r.evidence.comparison)} against champion
        v${r.champion.version} ${fullDigest(r.champion.artefactDigest)}</li>
      <li><strong>Approval request</strong>: ${r.id}, head at log index ${r.head.index} (leaf hash <code>${r.head.leafHash}</code>)</li>
      <li><strong>Approver identity</strong>: ${approverList.length === 0 ? 'none yet' : approverList.map((a, i) => html`${i === 0 ? '' : ', '}${a}`)};
        you are ${who(m.session.identity)}</li>
      <li><strong>Explanation</strong>: ${fullDigest(r.evidence.explanation)}</li>
      <li><strong>Datasets</strong>: training ${fullDigest(r.evidence.trainingDataset)}, evaluation ${fullDigest(r.evidence.evaluationDataset)}</li>
    </ol>
    <p class="muted">Change manifest the class was computed from: ${fullDigest(r.evidence.changeManifest)}</p>
  </section>`;

  const evidence = html`<section aria-labelledby="ev-h"><h2 id="ev-h">Evidence</h2>
    <table><caption class="visually-hidden">Evidence artefacts and your view receipts</caption>
    <thead><tr><th scope="col">Evidence</th><th scope="col">Digest</th><th scope="col">Required before deciding</th>
    <th scope="col">Your view receipt</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead>
    <tbody>${EVIDENCE_KINDS.map((kind) => {
      const digest = r.evidence[EVIDENCE_FIELDS[kind]];
      const view = m.myViews.get(digest);
      const label = KIND_LABEL[kind] ?? kind;
      return html`<tr data-kind="${kind}"><th scope="row">${label}</th><td>${fullDigest(digest)}</td>
        <td>${mustView.has(kind) ? 'yes' : 'no'}</td>
        <td>${view === undefined ? html`<span class="muted">not viewed</span>` : html`<span class="yes">viewed</span>, log index ${view.index}`}</td>
        <td>${r.state === 'open' ? html`<a href="/requests/${r.id}/evidence/${kind}" aria-label="Open ${label}">Open</a>` : ''}</td></tr>`;
    })}</tbody></table></section>`;

  return layout({
    title: `Request ${r.id}`,
    section: 'inbox',
    session: m.session,
    body: html`${header}${models}${classification}${approvals}${refs}${evidence}${decisionForm(m)}`,
  });
}

function decisionForm(m: RequestPageModel): SafeHtml {
  const r = m.request;
  if (r.state !== 'open') {
    return html`<section aria-labelledby="decide-h"><h2 id="decide-h">Decisions</h2>
      <p>This request is <strong>${r.state}</strong>${r.closedAt === null ? '' : html` since ${when(r.closedAt)}`}: it takes no more
      views or decisions.</p></section>`;
  }
  const enabled = m.blockers.length === 0;
  const status = enabled
    ? html`<p id="decide-status">You hold ${m.roles.join(', ')} and have opened every required artefact. Your decision is
        recorded with the digests below, exactly as this page shows them.</p>`
    : html`<div id="decide-status"><p>Approve and Reject are disabled:</p><ul>${m.blockers.map((b) => html`<li>${b}</li>`)}</ul></div>`;
  const hidden = EVIDENCE_KINDS.map((kind) => {
    const field = EVIDENCE_FIELDS[kind];
    return html`<input type="hidden" name="evidence.${field}" value="${r.evidence[field]}">`;
  });
  return html`<section aria-labelledby="decide-h"><h2 id="decide-h">Your decision</h2>${status}
    <form method="post" action="/requests/${r.id}/decision">
      <input type="hidden" name="_csrf" value="${m.session.csrfToken}">${hidden}
      <label for="comment">Comment (optional, recorded in the log)</label>
      <textarea id="comment" name="comment" maxlength="4000"${enabled ? '' : ' disabled'}></textarea>
      <div class="actions">
        <button type="submit" name="decision" value="approve" aria-describedby="decide-status"${enabled ? '' : ' disabled'}>Approve</button>
        <button type="submit" name="decision" value="reject" class="secondary" aria-describedby="decide-status"${enabled ? '' : ' disabled'}>Reject</button>
      </div>
    </form></section>`;
}
