import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { digestBytes, digestFromHex, digestHex, isDigest, parseDigest, sha256Digest } from './digest.js';

const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// FIPS 180-2 Appendix B.1: SHA-256("abc").
const ABC = 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

function problemOf(input: unknown): unknown {
  try {
    parseDigest(input);
  } catch (err) {
    expect(isDocketError(err, 'ERR_DIGEST_MALFORMED')).toBe(true);
    return (err as { details: Record<string, unknown> }).details.problem ?? (err as Error).message;
  }
  throw new Error(`parseDigest accepted ${String(input)}`);
}

describe('parseDigest', () => {
  it('accepts sha256 with 64 lowercase hex digits and returns it unchanged', () => {
    expect(parseDigest(EMPTY)).toBe(EMPTY);
    expect(isDigest(EMPTY)).toBe(true);
  });

  it.each([
    ['uppercase hex', EMPTY.toUpperCase().replace('SHA256', 'sha256'), 'uppercase'],
    ['leading whitespace', ` ${EMPTY}`, 'whitespace'],
    ['trailing newline', `${EMPTY}\n`, 'whitespace'],
    ['inner whitespace', EMPTY.replace(':', ': '), 'whitespace'],
    ['another algorithm', EMPTY.replace('sha256', 'sha512'), 'algorithm'],
    ['uppercase algorithm', EMPTY.replace('sha256', 'SHA256'), 'algorithm'],
    ['no algorithm', EMPTY.slice('sha256:'.length), 'no-algorithm'],
    ['too short', EMPTY.slice(0, -1), 'length'],
    ['too long', `${EMPTY}0`, 'length'],
    ['non-hex', EMPTY.replace('e3', 'g3'), 'not-hex'],
    ['empty string', '', 'no-algorithm'],
  ])('refuses %s with ERR_DIGEST_MALFORMED', (_name, input, problem) => {
    expect(problemOf(input)).toBe(problem);
  });

  it.each([[undefined], [null], [42], [{}], [['sha256:']], [Symbol('x')]])(
    'refuses the non-string %s',
    (input) => {
      expect(() => parseDigest(input)).toThrow(expect.objectContaining({ code: 'ERR_DIGEST_MALFORMED' }));
    },
  );

  it('keeps error messages short for huge hostile input', () => {
    const message = String(problemOf(`sha256:${'x'.repeat(1_000_000)}`));
    expect(message).toBe('length');
    expect(() => parseDigest(`sha512:${'x'.repeat(1_000_000)}`)).toThrow(/^.{1,200}$/);
  });

  it('throws only DocketErrors, and returns only canonical digests, for arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.string(), fc.stringMatching(/^sha256:[0-9a-fA-F ]{60,68}$/)),
        (input) => {
          try {
            const digest = parseDigest(input);
            expect(digest).toBe(input);
            expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
          } catch (err) {
            expect(isDocketError(err, 'ERR_DIGEST_MALFORMED')).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('digestFromHex / digestHex / digestBytes', () => {
  it('round-trips hex and bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const hex = Buffer.from(bytes).toString('hex');
        const digest = digestFromHex(hex);
        expect(digestHex(digest)).toBe(hex);
        expect(digestBytes(digest)).toEqual(new Uint8Array(bytes));
      }),
    );
  });

  it('refuses uppercase and short hex', () => {
    expect(() => digestFromHex('A'.repeat(64))).toThrow(
      expect.objectContaining({ code: 'ERR_DIGEST_MALFORMED' }),
    );
    expect(() => digestFromHex('a'.repeat(63))).toThrow(
      expect.objectContaining({ code: 'ERR_DIGEST_MALFORMED' }),
    );
  });
});

describe('sha256Digest', () => {
  it('matches the FIPS 180-2 known answers', () => {
    expect(sha256Digest(new Uint8Array())).toBe(EMPTY);
    expect(sha256Digest(new TextEncoder().encode('abc'))).toBe(ABC);
  });

  it('agrees with node:crypto on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expect(sha256Digest(bytes)).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      }),
    );
  });

  it('refuses a string instead of bytes', () => {
    expect(() => sha256Digest('abc' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_DIGEST_INVALID_CHUNK' }),
    );
  });
});
