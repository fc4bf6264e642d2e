import { compareText } from './compare-text.js';
import { dependenceSection } from './explain-dependence.js';
import { rankingTable } from './explain-ranking.js';
import type { ExplanationDiffInputs } from './explanation-diff-inputs.js';
import { html, type SafeHtml } from './html.js';
import type { ModelExplanation } from './model-explanation.js';
import { formatCount } from './number-format.js';
import { renderPage } from './page.js';
import { type RankChange, rankChanges } from './rank-changes.js';
import { sourcesFooter } from './sources-footer.js';
import { legend, type Side } from './svg.js';

/** Format id of the explanation diff; a change to what it renders (or how) bumps it. */
export const EXPLANATION_DIFF_FORMAT = 'explain-diff/1';

function described(e: ModelExplanation): string {
  return `${e.model} v${e.version}`;
}

function warnings(champion: ModelExplanation, challenger: ModelExplanation): SafeHtml[] {
  const notes: string[] = [];
  if (champion.method.name !== challenger.method.name) {
    notes.push(
      `The bundles were computed by different methods (${champion.method.name ?? 'unstated'}; ${challenger.method.name ?? 'unstated'}): their attributions do not compare directly.`,
    );
  }
  if (champion.method.units !== challenger.method.units) {
    notes.push(
      `The attributions are in different units (${champion.method.units ?? 'unstated'}; ${challenger.method.units ?? 'unstated'}).`,
    );
  }
  if (champion.datasets.evaluation !== challenger.datasets.evaluation) {
    notes.push('The two models were explained on different evaluation datasets (or one does not say which).');
  }
  return notes.map((note) => html`<p class="warning">${note}</p>`);
}

function movedList(
  label: string,
  changes: readonly RankChange[],
  detail: (c: RankChange) => string,
): SafeHtml {
  const items =
    changes.length === 0
      ? html`none`
      : html`${changes.map((c, i) => html`${i === 0 ? '' : ', '}<code>${c.feature}</code>${detail(c)}`)}`;
  return html`<li><strong>${label}</strong> (${formatCount(changes.length)}): ${items}</li>`;
}

function summary(changes: readonly RankChange[]): SafeHtml {
  const of = (movement: RankChange['movement']) => changes.filter((c) => c.movement === movement);
  const ranks = (c: RankChange): string =>
    ` ${formatCount(c.champion?.rank ?? 0)} → ${formatCount(c.challenger?.rank ?? 0)}`;
  const byName = (list: RankChange[]) => [...list].sort((a, b) => compareText(a.feature, b.feature));
  return html`<ul class="plain">
${movedList('Added', byName(of('added')), (c) => ` (rank ${formatCount(c.challenger?.rank ?? 0)})`)}
${movedList('Removed', byName(of('removed')), (c) => ` (was rank ${formatCount(c.champion?.rank ?? 0)})`)}
${movedList('Gained rank', of('gained'), ranks)}
${movedList('Lost rank', of('lost'), ranks)}
${movedList('Same rank', of('unchanged'), () => '')}
</ul>`;
}

/**
 * Renders the explanation diff the approver reviews: which features gained or lost rank by mean |attribution|
 * (champion against challenger), which were added or removed, and partial dependence small multiples for the
 * top features. Self-contained HTML (no script, no network, strict CSP); pure and deterministic.
 *
 * @example
 * const inputs = await loadExplanationDiffInputs({ champion: 'models/v1/explanation.json', challenger: 'models/v2/explanation.json' });
 * await writeReport('v1-v2-explain-diff.html', renderExplanationDiff(inputs));
 */
export function renderExplanationDiff(inputs: ExplanationDiffInputs): string {
  const { champion, challenger } = inputs;
  const changes = rankChanges(champion.meanAbsAttribution, challenger.meanAbsAttribution);
  const names: Record<Side, string> = {
    champion: `champion v${champion.version}`,
    challenger: `challenger v${challenger.version}`,
  };
  const units = challenger.method.units ?? champion.method.units ?? 'units unstated';
  const title = `Explanation diff: ${challenger.model} version ${challenger.version} against ${champion.model} version ${champion.version}`;
  const method = challenger.method.name ?? champion.method.name;
  const body = html`<header>
<p class="kicker">docket · explanation diff</p>
<h1>${challenger.model}: explanation of version ${challenger.version} (challenger) against version ${champion.version} (champion)</h1>
<p class="muted">${method === undefined ? '' : `${method}; `}attributions in ${units}. Features are ranked by mean |attribution| over the explained rows (1 = most important; equal values by name).</p>
</header>
${warnings(champion, challenger)}
<section id="summary">
<h2>What moved</h2>
${summary(changes)}
</section>
<section id="ranking">
<h2>Ranking by mean |attribution|</h2>
${legend(names.champion, names.challenger)}
${rankingTable(changes, units)}
</section>
${dependenceSection(champion, challenger, changes, names)}
${sourcesFooter(
  EXPLANATION_DIFF_FORMAT,
  [
    { input: 'champion explanation', describes: described(champion), digest: champion.contentDigest },
    { input: 'challenger explanation', describes: described(challenger), digest: challenger.contentDigest },
  ],
  html``,
)}`;
  return renderPage({ title, format: EXPLANATION_DIFF_FORMAT, body });
}
