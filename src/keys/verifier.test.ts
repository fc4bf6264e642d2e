import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared } from '../test-support/shared.js';
import { decodeCanonicalBase64, encodeBase64 } from './base64.js';
import { KeyErrorCode } from './errors.js';
import { computeKeyId, keyIdHex } from './key-id.js';
import { generateSigner } from './signer.js';
import { errorCodeOf, onlyCodedErrors } from './test-support/error-code.js';
import { knownAnswers, signedNoteVectors } from './test-support/signed-note-vectors.js';
import { formatVerifierKey, parseVerifierKey, verifierFromPublicKey } from './verifier.js';

// golang.org/x/mod/sumdb/note's example key, also in ../shared/vectors; written out here so the hostile-input
// tests below run without ../shared.
const PETER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_KEY = decodeCanonicalBase64('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')?.subarray(
  1,
) as Uint8Array;

/** A verifier key string whose key ID is right for whatever (name, algorithm, key) it is given. */
function keyString(name: string, data: Uint8Array): string {
  return `${name}+${keyIdHex(computeKeyId(name, data.subarray(1)))}+${encodeBase64(data)}`;
}

describe.skipIf(!hasShared)(knownAnswers('parseVerifierKey known answers'), () => {
  it('parses every verifier key of vectors.json to its name and key ID, and formats it back', () => {
    for (const vector of signedNoteVectors().verifierKeys) {
      const verifier = parseVerifierKey(vector.verifierKey);
      expect(verifier.name, vector.source).toBe(vector.name);
      expect(verifier.keyIdHex, vector.source).toBe(vector.keyId);
      expect(Buffer.from(verifier.keyId).toString('hex')).toBe(vector.keyId);
      expect(verifier.verifierKey).toBe(vector.verifierKey);
      expect(formatVerifierKey(verifier.name, verifier.publicKey)).toBe(vector.verifierKey);
    }
  });
});

describe('parseVerifierKey', () => {
  it('parses the sumdb/note example key', () => {
    const verifier = parseVerifierKey(PETER);
    expect(verifier.name).toBe('PeterNeumann');
    expect(verifier.keyIdHex).toBe('c74f20a3');
    expect(verifier.publicKey).toEqual(PETER_KEY);
  });

  it.each([
    ['not a string', 42, KeyErrorCode.Malformed],
    ['empty', '', KeyErrorCode.Malformed],
    ['no separators', 'PeterNeumann', KeyErrorCode.Malformed],
    ['no key data', 'PeterNeumann+c74f20a3', KeyErrorCode.Malformed],
    ['empty key data', 'PeterNeumann+c74f20a3+', KeyErrorCode.Malformed],
    ['empty name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', KeyErrorCode.NameInvalid],
    [
      'uppercase hex key ID',
      'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      KeyErrorCode.Malformed,
    ],
    [
      '7-digit key ID',
      'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      KeyErrorCode.Malformed,
    ],
    [
      'signed key ID',
      'PeterNeumann+-74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      KeyErrorCode.Malformed,
    ],
    [
      'URL-safe base64',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq_LDE4izWy10TW',
      KeyErrorCode.Malformed,
    ],
    ['trailing newline', `${PETER}\n`, KeyErrorCode.Malformed],
    ['trailing space', `${PETER} `, KeyErrorCode.Malformed],
    [
      'wrong key ID',
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      KeyErrorCode.IdMismatch,
    ],
    [
      'another name',
      'PeterNeumanm+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      KeyErrorCode.IdMismatch,
    ],
    [
      'a key byte changed',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TX',
      KeyErrorCode.IdMismatch,
    ],
    [
      'a signer key',
      'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
      KeyErrorCode.Malformed,
    ],
    ['a huge string', `${'a'.repeat(1_000_000)}+c74f20a3+AQ==`, KeyErrorCode.Malformed],
  ])('refuses %s', (_why, text, code) => {
    expect(errorCodeOf(() => parseVerifierKey(text as string))).toBe(code);
  });

  it.each([
    ['a space', 'Peter Neumann'],
    ['a tab', 'Peter\tNeumann'],
    ['a no-break space (U+00A0)', 'Peter\u00a0Neumann'],
    ['a next-line (U+0085)', 'Peter\u0085Neumann'],
    ['an ideographic space (U+3000)', 'Peter\u3000Neumann'],
    ['a control character', 'Peter\u0001Neumann'],
    ['a lone surrogate', 'Peter\ud800Neumann'],
  ])('refuses a name with %s even when the key ID matches', (_why, name) => {
    expect(errorCodeOf(() => parseVerifierKey(keyString(name, Uint8Array.of(1, ...PETER_KEY))))).toBe(
      KeyErrorCode.NameInvalid,
    );
  });

  it('refuses an algorithm other than Ed25519 (0x01)', () => {
    expect(
      errorCodeOf(() => parseVerifierKey(keyString('example.com/log', Uint8Array.of(2, ...PETER_KEY)))),
    ).toBe(KeyErrorCode.AlgorithmUnsupported);
  });

  it.each([31, 33, 64])('refuses a %i-byte public key', (length) => {
    const data = Uint8Array.of(1, ...new Uint8Array(length).fill(7));
    expect(errorCodeOf(() => parseVerifierKey(keyString('example.com/log', data)))).toBe(
      KeyErrorCode.Malformed,
    );
  });

  it('refuses small-order public keys, under which OpenSSL accepts forged signatures', () => {
    const zero = new Uint8Array(32);
    expect(errorCodeOf(() => parseVerifierKey(keyString('example.com/log', Uint8Array.of(1, ...zero))))).toBe(
      KeyErrorCode.PublicKeyWeak,
    );
    const identityWithSignBit = Uint8Array.of(1, ...new Uint8Array(31), 0x80);
    identityWithSignBit[1] = 1;
    expect(errorCodeOf(() => parseVerifierKey(keyString('example.com/log', identityWithSignBit)))).toBe(
      KeyErrorCode.PublicKeyWeak,
    );
  });

  it('yields only coded errors for arbitrary strings', () => {
    const codes = Object.values(KeyErrorCode);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) =>
        onlyCodedErrors(() => parseVerifierKey(s), codes),
      ),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 10 }),
        fc.string({ maxLength: 60 }),
        (a, b, c) => onlyCodedErrors(() => parseVerifierKey(`${a}+${b}+${c}`), codes),
      ),
    );
  });

  it('refuses every single-character change of a valid key', () => {
    fc.assert(
      fc.property(fc.nat(PETER.length - 1), fc.constantFrom(...'abcXYZ019+/= \n'), (at, ch) => {
        const changed = PETER.slice(0, at) + ch + PETER.slice(at + 1);
        fc.pre(changed !== PETER);
        return errorCodeOf(() => parseVerifierKey(changed)).startsWith('ERR_KEY_');
      }),
    );
  });
});

describe('Verifier.verify', () => {
  const signer = generateSigner('example.com/log');
  const verifier = parseVerifierKey(signer.verifierKey);
  const message = new TextEncoder().encode('hello\n');

  it('accepts the signer’s signature and nothing else', () => {
    const signature = signer.sign(message);
    expect(verifier.verify(message, signature)).toBe(true);
    expect(verifier.verify(new TextEncoder().encode('hello!\n'), signature)).toBe(false);
    const flipped = new Uint8Array(signature);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(verifier.verify(message, flipped)).toBe(false);
  });

  it('returns false, never throws, for signatures of the wrong shape', () => {
    expect(verifier.verify(message, new Uint8Array(0))).toBe(false);
    expect(verifier.verify(message, new Uint8Array(63))).toBe(false);
    expect(verifier.verify(message, new Uint8Array(65))).toBe(false);
    expect(verifier.verify(message, 'sig' as unknown as Uint8Array)).toBe(false);
    expect(verifier.verify('hello' as unknown as Uint8Array, signer.sign(message))).toBe(false);
  });
});

describe('verifierFromPublicKey', () => {
  it('builds the same verifier as the key string', () => {
    expect(verifierFromPublicKey('PeterNeumann', PETER_KEY).verifierKey).toBe(PETER);
  });

  it('refuses bad names and key lengths', () => {
    expect(errorCodeOf(() => verifierFromPublicKey('a+b', PETER_KEY))).toBe(KeyErrorCode.NameInvalid);
    expect(errorCodeOf(() => verifierFromPublicKey('ab', PETER_KEY.subarray(1)))).toBe(
      KeyErrorCode.Malformed,
    );
  });
});
