import { describe, expect, it } from 'vitest';
import {
  encodeBase64,
  generateSigner,
  parseSignerKey,
  parseVerifierKey,
  type Verifier,
} from '../../keys/index.js';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { knownAnswers, signedNoteVectors } from '../../keys/test-support/signed-note-vectors.js';
import { hasShared } from '../../test-support/shared.js';
import { NoteErrorCode } from './errors.js';
import { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './note-text.js';
import { openNote } from './open-note.js';
import { signNote } from './sign-note.js';

describe.skipIf(!hasShared)(knownAnswers('openNote known answers'), () => {
  it('opens the golang.org/x/mod/sumdb/note signed note with its verifier key, as text or bytes', () => {
    for (const vector of signedNoteVectors().notes) {
      const verifier = parseVerifierKey(vector.verifierKey);
      for (const input of [vector.signedNote, new TextEncoder().encode(vector.signedNote)]) {
        const opened = openNote(input, [verifier]);
        expect(opened.text).toBe(vector.text);
        expect(opened.signatures).toEqual([
          { name: verifier.name, keyIdHex: verifier.keyIdHex, base64: expect.any(String) },
        ]);
        expect(opened.unverifiedSignatures).toEqual([]);
      }
      // Re-signing the opened text reproduces the note.
      expect(signNote(openNote(vector.signedNote, [verifier]).text, [parseSignerKey(vector.signerKey)])).toBe(
        vector.signedNote,
      );
    }
  });
});

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function flipLowBit(letter: string): string {
  return BASE64_ALPHABET[BASE64_ALPHABET.indexOf(letter) ^ 1] ?? '';
}

describe('openNote', () => {
  const log = generateSigner('example.com/log');
  const logVerifier = parseVerifierKey(log.verifierKey);
  const other = generateSigner('example.com/other');
  const text = 'example.com/log\n3\nsome text\n';
  const note = signNote(text, [log]);
  const [, signatureLine = ''] = note.split('\n\n');
  const base64 = signatureLine.slice(`\u2014 ${log.name} `.length, -1);

  /** A signature line by `name` with key ID `keyId` carrying `signature` (default: the log's real one). */
  function line(
    name: string,
    keyId: Uint8Array,
    signature: Uint8Array = Buffer.from(base64, 'base64').subarray(4),
  ): string {
    return `\u2014 ${name} ${encodeBase64(Uint8Array.of(...keyId, ...signature))}\n`;
  }

  it('opens a note and reports unknown signatures without checking them', () => {
    const witnessed = `${note}${line('witness.example', Uint8Array.of(1, 2, 3, 4))}`;
    const opened = openNote(witnessed, [logVerifier]);
    expect(opened.text).toBe(text);
    expect(opened.signatures.map((s) => s.keyIdHex)).toEqual([log.keyIdHex]);
    expect(opened.unverifiedSignatures).toEqual([
      { name: 'witness.example', keyIdHex: '01020304', base64: expect.any(String) },
    ]);
  });

  it('lists a repeated valid signature once', () => {
    expect(openNote(`${note}${signatureLine}`, [logVerifier]).signatures).toHaveLength(1);
  });

  it('refuses every truncation of a valid note', () => {
    for (let end = 0; end < note.length; end++) {
      expect(
        errorCodeOf(() => openNote(note.slice(0, end), [logVerifier])),
        `cut at ${end}`,
      ).toBe(NoteErrorCode.Malformed);
    }
  });

  it.each([
    [
      'a garbled base64 character',
      (n: string) => n.replace(base64, `${base64.slice(0, 10)}!${base64.slice(11)}`),
    ],
    ['URL-safe base64', (n: string) => n.replace(base64, base64.replaceAll('+', '-').replaceAll('/', '_'))],
    ['base64 without padding', (n: string) => n.replace(base64, base64.replace(/=+$/, ''))],
    [
      'non-zero base64 pad bits',
      // 68 bytes end in one '=': the last letter carries two pad bits; setting the lowest one keeps the data.
      (n: string) => n.replace(`${base64.slice(-2)}\n`, `${flipLowBit(base64.at(-2) ?? '')}=\n`),
    ],
    ['no blank line before the signatures', (n: string) => n.replace('\n\n', '\n')],
    ['CRLF line endings', (n: string) => n.replaceAll('\n', '\r\n')],
    ['a hyphen instead of the em dash', (n: string) => n.replace('\u2014', '-')],
    ['two spaces after the name', (n: string) => n.replace(`${log.name} `, `${log.name}  `)],
    ['no signature', (n: string) => n.replace(signatureLine, '')],
    ['an empty signature line', (n: string) => `${n}\n`],
    ['text after the signatures', (n: string) => `${n}more`],
    ['a signature shorter than 5 bytes', (n: string) => n.replace(base64, 'AAAAAA==')],
    ['a key name with a plus', (n: string) => n.replace(`${log.name} `, 'a+b ')],
    ['a NUL in the text', (n: string) => n.replace('some', 'so\u0000me')],
    ['a lone surrogate', (n: string) => n.replace('some', 'so\ud800me')],
  ])('refuses a note with %s', (_why, mutate) => {
    const mutated = mutate(note);
    expect(mutated).not.toBe(note);
    expect(errorCodeOf(() => openNote(mutated, [logVerifier]))).toBe(NoteErrorCode.Malformed);
  });

  it('refuses bytes that are not UTF-8, and inputs that are neither string nor bytes', () => {
    const bytes = new TextEncoder().encode(note);
    bytes[2] = 0xff;
    expect(errorCodeOf(() => openNote(bytes, [logVerifier]))).toBe(NoteErrorCode.Malformed);
    expect(errorCodeOf(() => openNote(42 as unknown as string, [logVerifier]))).toBe(NoteErrorCode.Malformed);
  });

  it('does not drop a byte-order mark: a BOM added in front changes the signed text', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, ...new TextEncoder().encode(note));
    expect(errorCodeOf(() => openNote(bytes, [logVerifier]))).toBe(NoteErrorCode.SignatureInvalid);
  });

  it('skips a signature whose key ID is not the known key’s, so the note is unverified', () => {
    const wrongId = note.replace(signatureLine, line(log.name, Uint8Array.of(0xde, 0xad, 0xbe, 0xef)));
    expect(errorCodeOf(() => openNote(wrongId, [logVerifier]))).toBe(NoteErrorCode.Unverified);
  });

  it('skips a signature by a key with the known key ID but another name', () => {
    const renamed = note.replace(`${log.name} `, 'example.com/impostor ');
    expect(errorCodeOf(() => openNote(renamed, [logVerifier]))).toBe(NoteErrorCode.Unverified);
  });

  it('refuses a note validly signed only by another key', () => {
    expect(errorCodeOf(() => openNote(signNote(text, [other]), [logVerifier]))).toBe(
      NoteErrorCode.Unverified,
    );
    expect(errorCodeOf(() => openNote(note, []))).toBe(NoteErrorCode.Unverified);
  });

  it('refuses a note whose known-key signature fails, even beside a valid one', () => {
    const tampered = note.replace('3\n', '4\n');
    expect(errorCodeOf(() => openNote(tampered, [logVerifier]))).toBe(NoteErrorCode.SignatureInvalid);
    const forged = line(log.name, log.keyId, new Uint8Array(64));
    expect(errorCodeOf(() => openNote(`${note}${forged}`, [logVerifier]))).toBe(
      NoteErrorCode.SignatureInvalid,
    );
    expect(errorCodeOf(() => openNote(`${note}${forged}${signatureLine}`, [logVerifier]))).toBe(
      NoteErrorCode.SignatureInvalid,
    );
  });

  it('accepts 100 signature lines and refuses 101', () => {
    const unknown = (i: number) => line(`w${i}.example`, Uint8Array.of(0, 0, 0, i));
    const lines = Array.from({ length: MAX_NOTE_SIGNATURES }, (_, i) => unknown(i));
    expect(openNote(`${note}${lines.slice(1).join('')}`, [logVerifier]).unverifiedSignatures).toHaveLength(
      99,
    );
    expect(errorCodeOf(() => openNote(`${note}${lines.join('')}`, [logVerifier]))).toBe(
      NoteErrorCode.TooManySignatures,
    );
  });

  it('refuses a note over the size limit, as text or bytes', () => {
    const huge = `${'a'.repeat(MAX_NOTE_BYTES)}\n${signatureLine}\n`;
    expect(errorCodeOf(() => openNote(huge, [logVerifier]))).toBe(NoteErrorCode.TooLarge);
    expect(errorCodeOf(() => openNote(new TextEncoder().encode(huge), [logVerifier]))).toBe(
      NoteErrorCode.TooLarge,
    );
    const wide = `${'é'.repeat(MAX_NOTE_BYTES / 2)}\n${signatureLine}\n`;
    expect(errorCodeOf(() => openNote(wide, [logVerifier]))).toBe(NoteErrorCode.TooLarge);
  });

  it('refuses two different verifiers under one name and key ID', () => {
    const impostor: Verifier = { ...logVerifier, publicKey: other.publicKey, verify: () => true };
    expect(errorCodeOf(() => openNote(note, [logVerifier, impostor]))).toBe(NoteErrorCode.VerifierAmbiguous);
    expect(openNote(note, [logVerifier, parseVerifierKey(log.verifierKey)]).text).toBe(text);
  });
});
