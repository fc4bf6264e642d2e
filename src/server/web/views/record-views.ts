import type { ApprovalRequest } from '../../../approvals/requests/index.js';
import { html, type SafeHtml } from '../html.js';
import { fullDigest, layout, when } from '../layout.js';
import type { Session } from '../session-store.js';

/** The evidence viewer: the exact stored bytes in a sandboxed frame (no script, unique origin, own CSP). */
export function evidencePage(input: {
  session: Session;
  request: ApprovalRequest;
  kind: string;
  label: string;
  digest: string;
  mediaType: string;
  frameSrc: string;
}): SafeHtml {
  const { request: r } = input;
  return layout({
    title: `${input.label} of ${r.id}`,
    section: 'inbox',
    session: input.session,
    body: html`<h1>${input.label} of request ${r.id}</h1>
      <dl class="facts"><dt>Model</dt><dd>${r.candidate.registry}/${r.candidate.model} v${r.candidate.version}</dd>
      <dt>Digest</dt><dd>${fullDigest(input.digest)}</dd><dt>Shown as</dt><dd><code>${input.mediaType}</code></dd></dl>
      <p>The frame below shows the stored bytes exactly, verified against this digest. Loading it records a view
      receipt in the log: your identity, this digest and the digest of the bytes actually served.</p>
      <iframe class="evidence" title="${input.label} (${input.digest})" src="${input.frameSrc}" sandbox=""
        referrerpolicy="no-referrer"></iframe>
      <p><a href="/requests/${r.id}">Back to request ${r.id}</a></p>`,
  });
}

/** One entry of a request's history with its inclusion proof, checked against the latest checkpoint. */
export interface ProvenEntry {
  readonly index: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly leafHash: string;
  readonly proof: readonly string[];
  readonly treeSize: number;
  readonly verified: boolean;
}

/** The audit page of a model version: every request for it, each entry with its inclusion proof. */
export function auditPage(input: {
  session: Session;
  modelVersion: string;
  requests: readonly { request: ApprovalRequest; entries: readonly ProvenEntry[] }[];
  checkpoint: { size: number; note: string };
}): SafeHtml {
  const sections = input.requests.map(
    ({ request: r, entries }) => html`<section aria-labelledby="h-${r.id}"><h2 id="h-${r.id}">Request
      <a href="/requests/${r.id}">${r.id}</a> <span class="badge state-${r.state}">${r.state}</span></h2>
      <p>Opened ${when(r.openedAt)} by <strong>${r.requester.subject}</strong>; class ${r.classification.class};
      ${r.decisions.length} decision(s), ${r.views.length} view receipt(s).</p>
      <table><caption class="visually-hidden">History of ${r.id}</caption>
      <thead><tr><th scope="col">Log index</th><th scope="col">Record</th><th scope="col">Recorded</th>
      <th scope="col">Leaf hash</th><th scope="col">Inclusion proof</th></tr></thead>
      <tbody>${entries.map(
        (
          e,
        ) => html`<tr><td>${e.index}</td><td>${e.type}</td><td>${when(e.recordedAt)}</td><td><code>${e.leafHash}</code></td>
        <td>${e.verified ? html`<span class="yes">verified</span>` : html`<span class="no">does not verify</span>`}
        against tree size ${e.treeSize}
        <details><summary>${e.proof.length} hash(es)</summary><pre>${e.proof.join('\n') || '(none: the tree has one leaf)'}</pre>
        <a href="/api/v1/log/proofs/inclusion?index=${e.index}&amp;treeSize=${e.treeSize}">as JSON</a></details></td></tr>`,
      )}</tbody></table></section>`,
  );
  return layout({
    title: `Audit of ${input.modelVersion}`,
    section: 'none',
    session: input.session,
    body: html`<h1>Audit trail of ${input.modelVersion}</h1>
      <p>Every request for this model version and each entry of its history, with its RFC 9162 inclusion proof
      checked here against the latest signed checkpoint (tree size ${input.checkpoint.size}).</p>
      ${input.requests.length === 0 ? html`<p>No request has been recorded for this model version.</p>` : sections}
      <h2>Checkpoint the proofs lead to</h2><pre>${input.checkpoint.note}</pre>`,
  });
}

/** What the log page says about anchors: the last one, none configured, or why they could not be read. */
export type AnchorStatus =
  | { readonly kind: 'none-configured' }
  | { readonly kind: 'unreadable'; readonly code: string; readonly message: string }
  | {
      readonly kind: 'listed';
      readonly targets: number;
      readonly rejected: number;
      readonly last?: { target: string; location: string; size: number };
    };

/** The log status page: size, latest checkpoint, last anchor. */
export function logPage(input: {
  session: Session;
  origin: string;
  verifierKey: string;
  checkpoint: { size: number; note: string; createdAt: string };
  anchors: AnchorStatus;
}): SafeHtml {
  const a = input.anchors;
  const anchor =
    a.kind === 'none-configured'
      ? html`<p>No anchor target is configured (config.json <code>anchors</code>): checkpoints live only in the database.</p>`
      : a.kind === 'unreadable'
        ? html`<div class="alert" role="alert"><p>The anchor targets could not be read: ${a.message}</p><p>Error code <code>${a.code}</code></p></div>`
        : a.last === undefined
          ? html`<p>No checkpoint has been anchored yet at the ${a.targets} configured target(s) (run <code>docket anchor</code>).</p>`
          : html`<dl class="facts"><dt>Tree size</dt><dd>${a.last.size}</dd><dt>Target</dt><dd>${a.last.target}</dd>
              <dt>Location</dt><dd><code>${a.last.location}</code></dd>
              <dt>Behind the log by</dt><dd>${input.checkpoint.size - a.last.size} entries</dd></dl>
              ${a.rejected === 0 ? '' : html`<p class="no">${a.rejected} object(s) at the targets are not valid anchors.</p>`}`;
  return layout({
    title: 'Log',
    section: 'log',
    session: input.session,
    body: html`<h1>Log status</h1>
      <dl class="facts"><dt>Origin</dt><dd><code>${input.origin}</code></dd><dt>Size</dt><dd>${input.checkpoint.size} entries</dd>
      <dt>Latest checkpoint</dt><dd>${when(input.checkpoint.createdAt)}</dd>
      <dt>Verifier key</dt><dd><code class="digest full">${input.verifierKey}</code></dd></dl>
      <h2>Latest checkpoint (C2SP signed note)</h2><pre>${input.checkpoint.note}</pre>
      <p><a href="/api/v1/log/checkpoint">as text</a></p>
      <h2>Last anchor</h2>${anchor}`,
  });
}
