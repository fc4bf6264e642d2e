import { html, type SafeHtml } from './html.js';

/** One input a report was rendered from, identified by what it describes and its content digest. */
export interface SourceLine {
  readonly input: string;
  readonly describes: string;
  readonly digest: string;
}

/**
 * Which inputs the report shows, by content digest, and how the report itself is cited. No paths, times or
 * tool versions: they would change the bytes without changing what the approver sees.
 */
export function sourcesFooter(format: string, sources: readonly SourceLine[], extra: SafeHtml): SafeHtml {
  const rows = sources.map(
    (s) =>
      html`<tr><td>${s.input}</td><td class="name">${s.describes}</td><td class="digest">${s.digest}</td></tr>`,
  );
  return html`<section id="sources">
<h2>Sources</h2>
<table>
<thead><tr><th>input</th><th>describes</th><th>content digest</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">Content digests are sha256 over the RFC 8785 canonical JSON of each input, so they do not depend on key order or layout.${extra}</p>
</section>
<footer>Rendered by docket, report format <code>${format}</code>. The same inputs always render to the same bytes; a promotion event cites this report by the sha256 of those bytes.</footer>`;
}
