import type { DocketError } from '../../../errors/index.js';
import { ServerErrorCode } from '../../errors.js';
import { html, type SafeHtml } from '../html.js';
import { isIdentityError } from '../identity-error.js';
import { layout } from '../layout.js';
import type { Session } from '../session-store.js';

/** The sign-in page: one link to the identity provider (a link, not a form: form-action allows only this origin). */
export function loginPage(input: {
  issuer: string | undefined;
  next: string;
  problem?: DocketError;
}): SafeHtml {
  const start = `/auth/login?next=${encodeURIComponent(input.next)}`;
  const body =
    input.issuer === undefined
      ? html`<h1>Sign in</h1>
        <p>No identity provider is configured for the approver UI. Start the server with
        <code>docket serve --oidc-client-id &lt;id&gt;</code> (see <code>docket serve --help</code>).</p>`
      : html`<h1>Sign in to review promotion requests</h1>
        ${input.problem === undefined ? '' : errorAlert(input.problem)}
        <p>You sign in at your organisation's identity provider (<code>${input.issuer}</code>).
        docket records your issuer and subject with every view and decision, never your password or token.</p>
        <p><a class="button" href="${start}">Sign in with your identity provider</a></p>`;
  return layout({ title: 'Sign in', section: 'none', session: undefined, body });
}

/** An error page: what went wrong, its code, and what to do. */
export function errorPage(err: DocketError, session: Session | undefined): SafeHtml {
  const signIn =
    err.code === ServerErrorCode.SessionRequired || isIdentityError(err)
      ? html`<p><a class="button" href="/auth/login?next=${encodeURIComponent(String(err.details.next ?? '/inbox'))}">Sign in again</a></p>`
      : html`<p><a href="/inbox">Back to the inbox</a></p>`;
  return layout({
    title: 'Something went wrong',
    section: 'none',
    session,
    body: html`<h1>That did not work</h1>${errorAlert(err)}${signIn}`,
  });
}

/** A coded error, announced to screen readers (role=alert). */
export function errorAlert(err: DocketError): SafeHtml {
  return html`<div class="alert" role="alert"><p><strong>Refused:</strong> ${err.message}</p>
    <p>Error code <code>${err.code}</code> (see docs/errors.md).</p></div>`;
}
