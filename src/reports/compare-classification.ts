import type { Classification, Observed } from '../approvals/classifier/index.js';
import type { MaterialityClass } from '../approvals/policy/index.js';
import { compareText } from './compare-text.js';
import { html, type SafeHtml } from './html.js';
import { formatCount, formatDecimal } from './number-format.js';

// DESIGN.md principle 4, in the words the approver knows.
const CLASS_MEANING: Readonly<Record<MaterialityClass, string>> = {
  1: 'same features, same population, drift within the agreed envelope',
  2: 'same features, but population shift or drift outside the envelope',
  3: 'feature-set change, objective change or new data source',
};

// What a rule observed, in words: lists joined, an object's members by name (`added: a; removed: b, c`).
function observedText(observed: Observed): string {
  if (observed === null) return '—';
  if (typeof observed === 'number') return formatDecimal(observed);
  if (typeof observed === 'string') return observed;
  if (Array.isArray(observed)) return observed.length === 0 ? 'none' : observed.join(', ');
  const members = observed as { readonly [key: string]: Observed };
  return Object.keys(members)
    .sort(compareText)
    .map((key) => `${key}: ${observedText(members[key] ?? null)}`)
    .join('; ');
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function approvalsText(verdict: Classification): string {
  const required = verdict.approvalsRequired;
  const parts = [plural(required.approvers, 'approver')];
  for (const role of Object.keys(required.requiredRoles).sort(compareText)) {
    parts.push(`at least ${formatCount(required.requiredRoles[role] ?? 0)} holding ${role}`);
  }
  const committee = required.committee;
  if (committee !== undefined) {
    const size = committee.size === undefined ? '' : ` of ${formatCount(committee.size)}`;
    parts.push(`a committee quorum of ${formatCount(committee.quorum)}${size} holding ${committee.role}`);
  }
  return `${parts.join(', ')}; each must first review: ${required.evidence.join(', ')}`;
}

/** The verdict first: class, who must approve, every reason, and the policy it was computed under. */
export function classificationSection(verdict: Classification, policyName: string): SafeHtml {
  const reasons = verdict.reasons.map(
    (reason, index) => html`<tr>
<td class="num">${formatCount(index + 1)}</td><td class="rule">${reason.rule}</td><td class="name">${reason.subject ?? '—'}</td><td class="${typeof reason.observed === 'number' ? 'num' : 'name'}">${observedText(reason.observed)}</td><td class="num">${reason.threshold === undefined ? '—' : formatDecimal(reason.threshold)}</td><td class="num">${formatCount(reason.class)}</td><td>${reason.message}</td>
</tr>`,
  );
  return html`<section id="classification">
<h2>Classification</h2>
<div class="verdict">
<div class="class-badge class-${String(verdict.class)}"><span class="label">class</span><span class="n">${formatCount(verdict.class)}</span></div>
<div>
<p><strong>Class ${formatCount(verdict.class)}: ${CLASS_MEANING[verdict.class]}.</strong></p>
<p>Approvals required: ${approvalsText(verdict)}.</p>
<p class="note">Computed by <code>classifyChange</code> (classifier ${verdict.classifierVersion}) from the change manifest under policy <strong>${policyName}</strong>, digest <span class="digest">${verdict.policyDigest}</span>.</p>
</div>
</div>
<table>
<thead><tr><th class="num">#</th><th>rule</th><th>subject</th><th>observed</th><th class="num">limit</th><th class="num">class</th><th>reason</th></tr></thead>
<tbody>
${reasons}
</tbody>
</table>
</section>`;
}
