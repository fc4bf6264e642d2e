import { describe, expect, it } from 'vitest';
import { decodeCanonicalBase64, encodeBase64 } from './base64.js';

describe('decodeCanonicalBase64', () => {
  it('decodes RFC 4648 §10 test vectors and re-encodes them identically', () => {
    // RFC 4648 §10: BASE64("foobar") = "Zm9vYmFy", and its prefixes.
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(Buffer.from(decodeCanonicalBase64(encoded) ?? [0xff]).toString('latin1')).toBe(plain);
      expect(encodeBase64(Buffer.from(plain, 'latin1'))).toBe(encoded);
    }
  });

  it.each([
    ['missing padding', 'Zg'],
    ['URL-safe alphabet', '-_-_'],
    ['non-zero pad bits (RFC 4648 §3.5)', 'Zh=='],
    ['embedded whitespace', 'Zm9v YmFy'],
    ['trailing newline', 'Zm9v\n'],
    ['excess padding', 'Zg==='],
    ['padding in the middle', 'Zg==Zm9v'],
    ['a non-alphabet character', 'Zm9*'],
  ])('refuses %s', (_why, text) => {
    expect(decodeCanonicalBase64(text)).toBeUndefined();
  });

  it('refuses non-strings without throwing', () => {
    expect(decodeCanonicalBase64(42 as unknown as string)).toBeUndefined();
  });
});
