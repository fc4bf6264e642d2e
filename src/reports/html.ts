/**
 * Markup that is safe to place in a report as is: built only by {@link html} (which escapes every string it
 * interpolates) or by {@link trustedMarkup} from constants in this folder. Input strings never become SafeHtml
 * without passing through {@link escapeHtml}.
 */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What {@link html} accepts between its literal parts: text (escaped), markup, or lists of either. */
export type HtmlPart = string | SafeHtml | readonly HtmlPart[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values (HTML Living Standard §13.1.2.6):
 * `&`, `<`, `>`, `"` and `'` become character references, so input text can never open a tag or leave an attribute.
 *
 * @example
 * escapeHtml('<script>'); // '&lt;script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function part(value: HtmlPart): string {
  if (value instanceof SafeHtml) return value.markup;
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(part).join('');
}

/**
 * Tagged template for report markup: every interpolated string is escaped, SafeHtml is kept, arrays are joined.
 * Numbers are not accepted: format them first (number-format.ts), so that every number has one spelling.
 *
 * @example
 * html`<td>${featureName}</td>`; // a feature named "<b>" shows as text
 */
export function html(literals: TemplateStringsArray, ...values: readonly HtmlPart[]): SafeHtml {
  let out = literals[0] ?? '';
  values.forEach((value, index) => {
    out += part(value) + (literals[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks a constant of this folder (a style sheet, a fixed attribute) as markup. Never pass input text. */
export function trustedMarkup(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
