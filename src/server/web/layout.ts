import { html, type SafeHtml } from './html.js';
import type { Session } from './session-store.js';

/** Which main navigation entry a page belongs to (marked aria-current). */
export type Section = 'inbox' | 'log' | 'none';

/** The page shell: skip link, banner with navigation and the signed-in identity, main landmark, footer. */
export function layout(input: {
  title: string;
  section: Section;
  session: Session | undefined;
  body: SafeHtml;
}): SafeHtml {
  const { title, section, session, body } = input;
  const current = (s: Section) => (s === section ? html` aria-current="page"` : html``);
  const who =
    session === undefined
      ? html`<a class="button" href="/auth/login">Sign in</a>`
      : html`<span class="who">Signed in as <strong>${session.identity.subject}</strong>
          <span class="muted">(${session.identity.groups.join(', ') || 'no groups'})</span></span>
          <form method="post" action="/auth/logout" class="inline">
            <input type="hidden" name="_csrf" value="${session.csrfToken}">
            <button type="submit" class="link">Sign out</button>
          </form>`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · docket</title>
<link rel="stylesheet" href="/static/docket.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="banner">
  <a class="brand" href="/inbox">docket</a>
  <nav aria-label="Main">
    <ul>
      <li><a href="/inbox"${current('inbox')}>Inbox</a></li>
      <li><a href="/log"${current('log')}>Log</a></li>
    </ul>
  </nav>
  <div class="session">${who}</div>
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="footer">
  <p>docket records who approved what, having seen which bytes. Every action on these pages is a signed log entry.</p>
</footer>
</body>
</html>
`;
}

/** A short digest for tables (the full one is in the title and on the request page). */
export function shortDigest(digest: string): SafeHtml {
  const hex = digest.replace(/^sha256:/, '');
  return html`<code class="digest" title="${digest}">sha256:${hex.slice(0, 12)}…</code>`;
}

/** A full digest, wrapped so that it fits on a narrow screen. */
export function fullDigest(digest: string): SafeHtml {
  return html`<code class="digest full">${digest}</code>`;
}

/** A local date-time for people, with the exact ISO instant in a <time> element. */
export function when(iso: string): SafeHtml {
  const shown = iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
    .replace(/Z$/, ' UTC');
  return html`<time datetime="${iso}">${shown}</time>`;
}
