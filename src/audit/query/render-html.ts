import type { AuditedEvent, AuditReport } from './audit-version.js';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}
code{font:12px ui-monospace,monospace;word-break:break-all}
.evidence{color:#064}.broken{color:#a00;font-weight:bold}
@media print{body{margin:0}}`;

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The audit as one printable, self-contained HTML document: inline style, no script, no network asset; every value
 * from the record is HTML-escaped.
 */
export function renderAuditHtml(report: AuditReport): string {
  const e = escapeHtml;
  const what = `${report.registry}/${report.model}@${report.version}`;
  const verdict = report.ok ? 'evidence' : 'broken';
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>docket audit ${e(what)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>docket audit ${e(what)}: <span class="${verdict}">${report.ok ? 'EVIDENCE' : 'BROKEN'}</span></h1>`,
    report.checkpoint === null
      ? '<p class="broken">The latest checkpoint does not verify.</p>'
      : `<p>Checkpoint ${report.checkpoint.size} of <code>${e(report.checkpoint.origin)}</code>, root <code>${e(report.checkpoint.rootHash)}</code></p>`,
    ...report.unreadable.map((u) => `<p class="broken">Entry ${u.index}: ${e(u.reason)}</p>`),
    ...report.events.map(eventHtml),
    '</body></html>',
  ];
  return `${parts.join('\n')}\n`;
}

function eventHtml(ev: AuditedEvent): string {
  const e = escapeHtml;
  const t = ev.event.target;
  const target = t.kind === 'alias' ? `alias:${t.alias}` : `stage:${t.stage}`;
  const row = (label: string, value: string): string => `<tr><th>${e(label)}</th><td>${value}</td></tr>`;
  const code = (value: string): string => `<code>${e(value)}</code>`;
  const rows = [
    row('written', e(ev.event.recordedAt)),
    row(
      'request',
      `${code(ev.event.requestId)} (${e(ev.event.trigger)}, ${e(target)}${ev.event.dev ? ', dev identity' : ''})`,
    ),
    row(
      'model',
      `${e(`${ev.model.registry}/${ev.model.model}@${ev.model.version}`)} ${code(ev.model.artefactDigest)}`,
    ),
    row(
      'comparison',
      `${code(ev.comparison.reportDigest)} against champion ${e(ev.comparison.champion.version)} ${code(ev.comparison.champion.artefactDigest)}`,
    ),
    row('explanation', code(ev.explanationDigest)),
    row(
      'datasets',
      `training ${code(ev.datasets.trainingDigest)}<br>evaluation ${code(ev.datasets.evaluationDigest)}`,
    ),
    row(
      'requester',
      ev.requester === null
        ? '(history unreadable)'
        : `${e(ev.requester.subject)} (${e(ev.requester.issuer)})`,
    ),
    row(
      'class',
      `${ev.classification.class}, policy ${code(ev.classification.policyDigest)}, classifier ${e(ev.classification.classifierVersion)}` +
        (ev.classification.reasons ?? []).map((r) => `<br>${e(r.message)}`).join(''),
    ),
  ];
  const approvers = ev.approvers.map((a) => {
    const views = a.views.map(
      (v) => `opened ${e(v.evidenceKinds.join('+'))} ${e(v.recordedAt)} (entry ${v.index})`,
    );
    return `<tr><td>${e(a.identity.subject)}<br>${e(a.identity.issuer)}</td><td>${e(a.roles.join(', '))}</td><td>${[
      ...views,
      `decided ${e(a.decision.recordedAt ?? '(unreadable)')} (entry ${a.decision.index})`,
    ].join('<br>')}</td></tr>`;
  });
  const moves = ev.transitions.map(
    (m) =>
      `<tr><td>${e(m.recordedAt)}</td><td>${e(m.fromVersion ?? '-')} &rarr; ${e(m.toVersion)}</td><td>${e(m.outcome)} (${e(m.reason)})${m.error === null ? '' : ` ${e(m.error.code)} ${e(m.error.message)}`}</td></tr>`,
  );
  const refs = ev.references.map(
    (r) =>
      `<tr><td>${e(r.reference)}</td><td class="${r.verdict}">${r.verdict}</td><td>${r.reasons.map(e).join('<br>')}</td></tr>`,
  );
  return [
    `<h2>Promotion event ${ev.event.index}</h2>`,
    `<table>${rows.join('')}</table>`,
    '<h3>Approvers</h3>',
    `<table><tr><th>identity</th><th>roles</th><th>evidence opened, decision</th></tr>${approvers.join('')}</table>`,
    '<h3>Registry moves</h3>',
    moves.length === 0 ? '<p>None recorded (transition pending).</p>' : `<table>${moves.join('')}</table>`,
    '<h3>References</h3>',
    `<table><tr><th>reference</th><th>verdict</th><th>reasons</th></tr>${refs.join('')}</table>`,
  ].join('\n');
}
