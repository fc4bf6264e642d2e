import { describe, expect, it } from 'vitest';
import { generateSigner, parseSignerKey, parseVerifierKey, type Signer } from '../../keys/index.js';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { knownAnswers, signedNoteVectors } from '../../keys/test-support/signed-note-vectors.js';
import { hasShared } from '../../test-support/shared.js';
import { NoteErrorCode } from './errors.js';
import { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './note-text.js';
import { openNote } from './open-note.js';
import { signNote } from './sign-note.js';

describe.skipIf(!hasShared)(knownAnswers('signNote known answers'), () => {
  it('reproduces the golang.org/x/mod/sumdb/note signed note byte for byte (Ed25519 is deterministic)', () => {
    for (const vector of signedNoteVectors().notes) {
      expect(signNote(vector.text, [parseSignerKey(vector.signerKey)]), vector.source).toBe(
        vector.signedNote,
      );
    }
  });
});

describe('signNote', () => {
  const log = generateSigner('example.com/log');
  const witness = generateSigner('witness.example/w1');

  it('writes the text, a blank line and one signature line per signer, in order', () => {
    const note = signNote('hello\n', [log, witness]);
    const lines = note.split('\n');
    expect(lines.slice(0, 2)).toEqual(['hello', '']);
    expect(lines[2]).toMatch(/^\u2014 example\.com\/log [A-Za-z0-9+/]{91}=$/);
    expect(lines[3]).toMatch(/^\u2014 witness\.example\/w1 [A-Za-z0-9+/]{91}=$/);
    expect(lines[4]).toBe('');
    const opened = openNote(note, [parseVerifierKey(log.verifierKey), parseVerifierKey(witness.verifierKey)]);
    expect(opened.signatures.map((s) => s.name)).toEqual(['example.com/log', 'witness.example/w1']);
  });

  it.each([
    ['a lone newline', '\n'],
    ['blank lines inside', 'a\n\nb\n\n'],
    ['non-ASCII text', 'Ognuno sta solo sul cuor della terra\ned è subito sera. 🌇\n'],
  ])('round-trips text with %s', (_why, text) => {
    expect(openNote(signNote(text, [log]), [parseVerifierKey(log.verifierKey)]).text).toBe(text);
  });

  it.each([
    ['no final newline', 'hello'],
    ['an empty text', ''],
    ['a CRLF', 'hello\r\n'],
    ['a NUL', 'hel\u0000lo\n'],
    ['a tab', 'a\tb\n'],
    ['a lone surrogate', 'a\ud800b\n'],
    ['not a string', 42],
  ])('refuses text with %s', (_why, text) => {
    expect(errorCodeOf(() => signNote(text as string, [log]))).toBe(NoteErrorCode.Malformed);
  });

  it('refuses text that would make a note over the size limit', () => {
    expect(errorCodeOf(() => signNote(`${'a'.repeat(MAX_NOTE_BYTES)}\n`, [log]))).toBe(
      NoteErrorCode.TooLarge,
    );
    expect(errorCodeOf(() => signNote(`${'a'.repeat(MAX_NOTE_BYTES - 50)}\n`, [log]))).toBe(
      NoteErrorCode.TooLarge,
    );
    expect(errorCodeOf(() => signNote(`${'é'.repeat(MAX_NOTE_BYTES / 2)}\n`, [log]))).toBe(
      NoteErrorCode.TooLarge,
    );
  });

  it('refuses no signers, too many, and signers that cannot sign', () => {
    expect(errorCodeOf(() => signNote('a\n', []))).toBe(NoteErrorCode.SignerInvalid);
    expect(errorCodeOf(() => signNote('a\n', Array(MAX_NOTE_SIGNATURES + 1).fill(log)))).toBe(
      NoteErrorCode.TooManySignatures,
    );
    const badName: Signer = { ...log, name: 'two words' };
    expect(errorCodeOf(() => signNote('a\n', [badName]))).toBe(NoteErrorCode.SignerInvalid);
    const badId: Signer = { ...log, keyId: new Uint8Array(3) };
    expect(errorCodeOf(() => signNote('a\n', [badId]))).toBe(NoteErrorCode.SignerInvalid);
    const mute: Signer = { ...log, sign: () => 'sig' as unknown as Uint8Array };
    expect(errorCodeOf(() => signNote('a\n', [mute]))).toBe(NoteErrorCode.SignerInvalid);
    expect(errorCodeOf(() => signNote('a\n', [null as unknown as Signer]))).toBe(NoteErrorCode.SignerInvalid);
  });
});
