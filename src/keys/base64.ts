/** RFC 4648 §4 alphabet, padded: whole quanta, then an optional final quantum with one or two '='. */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard, padded base64 (RFC 4648 §4), the encoding C2SP signed notes and docket's DSSE envelopes use.
 *
 * @example
 * encodeBase64(Uint8Array.of(1, 2, 3)) // 'AQID'
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes canonical standard base64, or returns undefined: the padded RFC 4648 §4 alphabet only, with zero pad
 * bits (RFC 4648 §3.5), so every byte string has exactly one accepted spelling. Node's own decoder is lenient
 * (it skips unknown characters and accepts the URL-safe alphabet), hence the checks before and after it.
 *
 * @example
 * decodeCanonicalBase64('AQID') // Uint8Array [1, 2, 3]
 * decodeCanonicalBase64('AQIE=') // undefined
 */
export function decodeCanonicalBase64(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !STANDARD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}
