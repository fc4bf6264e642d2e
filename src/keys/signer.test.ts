import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasShared } from '../test-support/shared.js';
import { decodeCanonicalBase64 } from './base64.js';
import { KeyErrorCode } from './errors.js';
import { isValidKeyName, MAX_KEY_NAME_LENGTH } from './key-name.js';
import { formatSignerKey, generateSigner, parseSignerKey, type Signer } from './signer.js';
import { errorCodeOf, onlyCodedErrors } from './test-support/error-code.js';
import { knownAnswers, signedNoteVectors } from './test-support/signed-note-vectors.js';
import { parseVerifierKey } from './verifier.js';

const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_SEED_B64 = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';

describe.skipIf(!hasShared)(knownAnswers('parseSignerKey known answers'), () => {
  it("derives each note's verifier key from its signer key and reproduces its Ed25519 signature", () => {
    for (const vector of signedNoteVectors().notes) {
      const signer = parseSignerKey(vector.signerKey);
      expect(signer.verifierKey, vector.source).toBe(vector.verifierKey);
      expect(formatSignerKey(signer)).toBe(vector.signerKey);
      // The note's single signature line is "— <name> <base64(keyid || sig)>"; Ed25519 is deterministic.
      const line = vector.signedNote.slice(vector.text.length + 1).trimEnd();
      const raw = decodeCanonicalBase64(line.split(' ')[2] ?? '');
      expect(raw?.subarray(0, 4)).toEqual(signer.keyId);
      expect(signer.sign(new TextEncoder().encode(vector.text))).toEqual(raw?.subarray(4));
    }
  });
});

describe('generateSigner', () => {
  it('makes a fresh key whose verifier key parses and whose signatures verify', () => {
    const signer = generateSigner('example.com/ledger');
    const other = generateSigner('example.com/ledger');
    expect(signer.keyId).toHaveLength(4);
    expect(signer.keyIdHex).toMatch(/^[0-9a-f]{8}$/);
    expect(signer.publicKey).toHaveLength(32);
    expect(signer.publicKey).not.toEqual(other.publicKey);
    const verifier = parseVerifierKey(signer.verifierKey);
    expect(verifier.keyIdHex).toBe(signer.keyIdHex);
    const message = new TextEncoder().encode('checkpoint\n');
    expect(verifier.verify(message, signer.sign(message))).toBe(true);
    expect(parseVerifierKey(other.verifierKey).verify(message, signer.sign(message))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['with a plus', 'a+b'],
    ['with a space', 'a b'],
    ['with a newline', 'a\nb'],
    ['too long', 'a'.repeat(MAX_KEY_NAME_LENGTH + 1)],
    ['not a string', 7],
  ])('refuses a name %s', (_why, name) => {
    expect(errorCodeOf(() => generateSigner(name as string))).toBe(KeyErrorCode.NameInvalid);
  });

  it('keeps the private key off the object', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(JSON.stringify(signer)).not.toContain(PETER_SEED_B64);
    expect(Object.isFrozen(signer)).toBe(true);
  });

  it('round-trips any valid name through the signer key string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter(isValidKeyName),
        (name) => {
          const signer = generateSigner(name);
          const again = parseSignerKey(formatSignerKey(signer));
          return (
            again.verifierKey === signer.verifierKey && parseVerifierKey(signer.verifierKey).name === name
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('parseSignerKey', () => {
  it.each([
    [
      'a verifier key',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      KeyErrorCode.Malformed,
    ],
    ['a lowercase prefix', PETER_SKEY.replace('PRIVATE+KEY', 'private+key'), KeyErrorCode.Malformed],
    ['a wrong key ID', PETER_SKEY.replace('c74f20a3', 'c74f20a4'), KeyErrorCode.IdMismatch],
    ['another name', PETER_SKEY.replace('PeterNeumann', 'PeterNeumanm'), KeyErrorCode.IdMismatch],
    [
      'a short seed',
      'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDE=',
      KeyErrorCode.Malformed,
    ],
    ['an unknown algorithm', PETER_SKEY.replace('+AYEK', '+AoEK'), KeyErrorCode.AlgorithmUnsupported],
    ['a trailing newline', `${PETER_SKEY}\n`, KeyErrorCode.Malformed],
    ['not a string', null, KeyErrorCode.Malformed],
  ])('refuses %s', (_why, text, code) => {
    expect(errorCodeOf(() => parseSignerKey(text as string))).toBe(code);
  });

  it('never echoes the secret in an error', () => {
    for (const text of [
      PETER_SKEY.replace('c74f20a3', 'c74f20a4'),
      `${PETER_SKEY}x`,
      `${PETER_SKEY.slice(0, -1)}_`,
    ]) {
      try {
        parseSignerKey(text);
        expect.unreachable();
      } catch (err) {
        expect(JSON.stringify(err)).not.toContain(PETER_SEED_B64.slice(4, 20));
        expect(String(err)).not.toContain(PETER_SEED_B64.slice(4, 20));
      }
    }
  });

  it('yields only coded errors for arbitrary strings', () => {
    const codes = Object.values(KeyErrorCode);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) =>
        onlyCodedErrors(() => parseSignerKey(`PRIVATE+KEY+${s}`), codes),
      ),
    );
  });
});

describe('formatSignerKey', () => {
  it('refuses a signer docket did not make (it holds no private key to write)', () => {
    const real = generateSigner('example.com/ledger');
    const foreign: Signer = { ...real, sign: real.sign };
    expect(errorCodeOf(() => formatSignerKey(foreign))).toBe(KeyErrorCode.NotExportable);
  });
});
