const DEFAULT_MAX_CHARS = 80;

/**
 * Quotes hostile text for an error message: JSON-escaped (so control characters and newlines cannot forge log
 * lines) and cut to a bounded length (so a megabyte of input does not become a megabyte of message).
 */
export function quote(text: string, maxChars = DEFAULT_MAX_CHARS): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return JSON.stringify(cut);
}

/** Names the JavaScript type of a hostile value for an error message, without echoing the value. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// A UTF-16 surrogate without its partner: not a Unicode scalar value, so it has no UTF-8 encoding.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` holds a lone surrogate (I-JSON, RFC 7493 §2.1, forbids it; no file name can hold it). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** True when `text` holds a C0 control (NUL included), DEL or a C1 control. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return true;
  }
  return false;
}
