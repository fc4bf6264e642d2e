import type { EnvelopeStatus } from './comparison-rows.js';
import { html, type SafeHtml } from './html.js';
import { formatCount, formatDecimal, formatDifference } from './number-format.js';

/** Shown where a value could not be computed or is absent. */
export const NOT_AVAILABLE = 'n/a';

/** A right-aligned cell holding a measured value, exactly as written (at least 6 decimals). */
export function valueCell(value: number | null | undefined, extraClass?: 'first'): SafeHtml {
  const text = value === null || value === undefined ? NOT_AVAILABLE : formatDecimal(value);
  return html`<td class="num${extraClass === undefined ? '' : ` ${extraClass}`}">${text}</td>`;
}

/** A right-aligned cell holding `to − from`, signed; n/a when either side is missing. */
export function changeCell(to: number | null | undefined, from: number | null | undefined): SafeHtml {
  const text =
    to === null || to === undefined || from === null || from === undefined
      ? NOT_AVAILABLE
      : formatDifference(to, from);
  return html`<td class="num">${text}</td>`;
}

/** A right-aligned cell holding a count. */
export function countCell(value: number): SafeHtml {
  return html`<td class="num">${formatCount(value)}</td>`;
}

const STATUS_TEXT: Readonly<Record<EnvelopeStatus, string>> = {
  within: 'within',
  outside: 'OUTSIDE',
  'not-measured': 'NOT MEASURED',
  information: 'no limit',
  'not-checked': 'not checked',
};

const STATUS_CLASS: Readonly<Record<EnvelopeStatus, string>> = {
  within: 'within',
  outside: 'outside',
  'not-measured': 'missing',
  information: 'info',
  'not-checked': 'info',
};

/** The classifier's judgement in words (colour is a second cue, never the only one). */
export function statusCell(status: EnvelopeStatus): SafeHtml {
  return html`<td class="${STATUS_CLASS[status]}">${STATUS_TEXT[status]}</td>`;
}
