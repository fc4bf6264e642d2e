const MAX_MESSAGE = 500;

// A UTF-16 surrogate without its partner: not a Unicode scalar value, so no registry can store it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isControl(unit: number): boolean {
  return unit < 0x20 || (unit >= 0x7f && unit <= 0x9f);
}

/** True when `text` holds a C0 control (NUL included), DEL, a C1 control, or a lone surrogate. */
export function hasUnprintable(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (isControl(text.charCodeAt(i))) return true;
  return LONE_SURROGATE.test(text);
}

/** A registry's text made safe to print: control characters replaced by spaces, length capped. */
export function printable(text: string, max = MAX_MESSAGE): string {
  let cleaned = '';
  const end = Math.min(text.length, max);
  for (let i = 0; i < end; i += 1) cleaned += isControl(text.charCodeAt(i)) ? ' ' : text[i];
  return text.length > max ? `${cleaned}…` : cleaned;
}
