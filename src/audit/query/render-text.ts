import type { AuditedEvent, AuditReport } from './audit-version.js';

/** The audit on one screen, for people: the verdict first, then what the event cites, then each reference. */
export function renderAuditText(report: AuditReport): string {
  const what = `${report.registry}/${report.model}@${report.version}`;
  const lines = [
    `${report.ok ? 'EVIDENCE' : 'BROKEN'} ${what}: ${report.events.length} promotion event${report.events.length === 1 ? '' : 's'}`,
  ];
  if (report.checkpoint !== null) {
    lines.push(
      `checkpoint ${report.checkpoint.size} of ${report.checkpoint.origin} (root ${report.checkpoint.rootHash})`,
    );
  } else {
    lines.push('checkpoint: the latest checkpoint does not verify');
  }
  for (const u of report.unreadable) lines.push(`entry ${u.index}: ${u.reason}`);
  for (const event of report.events) lines.push('', ...eventLines(event));
  return lines.join('\n');
}

function eventLines(e: AuditedEvent): string[] {
  const ev = e.event;
  const target = ev.target.kind === 'alias' ? `alias:${ev.target.alias}` : `stage:${ev.target.stage}`;
  const lines = [
    `promotion event ${ev.index} written ${ev.recordedAt} (request ${ev.requestId}, ${ev.trigger}, ${target}${ev.dev ? ', dev identity' : ''})`,
    `  model        ${e.model.registry}/${e.model.model}@${e.model.version} ${e.model.artefactDigest}`,
    `  comparison   ${e.comparison.reportDigest} against champion ${e.comparison.champion.version} ${e.comparison.champion.artefactDigest}`,
    `  explanation  ${e.explanationDigest}`,
    `  datasets     training ${e.datasets.trainingDigest}`,
    `               evaluation ${e.datasets.evaluationDigest}`,
    `  requester    ${e.requester === null ? '(history unreadable)' : `${e.requester.subject} (${e.requester.issuer})`}`,
    `  class        ${e.classification.class}, policy ${e.classification.policyDigest}, classifier ${e.classification.classifierVersion}`,
  ];
  for (const r of e.classification.reasons ?? []) lines.push(`    reason: ${r.message}`);
  lines.push('  approvers');
  for (const a of e.approvers) {
    lines.push(`    ${a.identity.subject} (${a.identity.issuer}) roles ${a.roles.join(', ') || '(none)'}`);
    for (const v of a.views) {
      lines.push(`      opened ${v.evidenceKinds.join('+')} ${v.recordedAt} (entry ${v.index})`);
    }
    lines.push(`      decided ${a.decision.recordedAt ?? '(unreadable)'} (entry ${a.decision.index})`);
  }
  lines.push('  registry moves');
  if (e.transitions.length === 0) lines.push('    none recorded (transition pending)');
  for (const t of e.transitions) {
    const error = t.error === null ? '' : `: ${t.error.code} ${t.error.message}`;
    lines.push(
      `    ${t.recordedAt} ${t.fromVersion ?? '-'} -> ${t.toVersion} ${t.outcome} (${t.reason}, entry ${t.index})${error}`,
    );
  }
  lines.push('  references');
  for (const r of e.references) {
    lines.push(`    ${r.reference.padEnd(16)} ${r.verdict}`);
    for (const reason of r.reasons) lines.push(`      - ${reason}`);
  }
  return lines;
}
