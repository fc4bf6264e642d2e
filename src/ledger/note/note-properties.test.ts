// Properties of signNote/openNote/openCheckpoint over arbitrary and mutated input (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigner, parseVerifierKey } from '../../keys/index.js';
import { onlyCodedErrors } from '../../keys/test-support/error-code.js';
import { NoteErrorCode } from './errors.js';
import { openNote } from './open-note.js';
import { signNote } from './sign-note.js';
import { openCheckpoint, signCheckpoint } from './signed-checkpoint.js';

const codes = Object.values(NoteErrorCode);
const log = generateSigner('example.com/log');
const logVerifier = parseVerifierKey(log.verifierKey);
const witness = generateSigner('witness.example');

/** Note text: lines of printable text (any script, emoji), possibly blank, each ending in a newline. */
const noteText = fc
  .array(
    fc
      .string({ unit: 'grapheme', maxLength: 30 })
      .map((s) => [...s].filter((c) => (c.codePointAt(0) ?? 0) >= 0x20).join('')),
    { minLength: 1, maxLength: 6 },
  )
  .map((lines) => `${lines.join('\n')}\n`);

/** Strings near the note grammar, to reach past the first checks. */
const noteLike = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.array(
      fc.tuple(
        fc.constantFrom('\u2014 ', '- ', '\u2014', ''),
        fc.constantFrom(log.name, 'x', ''),
        fc.constantFrom(' ', '  '),
        fc.base64String({ maxLength: 100 }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([text, lines]) => `${text}\n\n${lines.map((parts) => `${parts.join('')}\n`).join('')}`);

describe('openNote on hostile input', () => {
  it('yields only coded errors for arbitrary strings, bytes and note-shaped strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) =>
        onlyCodedErrors(() => openNote(s, [logVerifier]), codes),
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) =>
        onlyCodedErrors(() => openNote(b, [logVerifier]), codes),
      ),
    );
    fc.assert(fc.property(noteLike, (s) => onlyCodedErrors(() => openNote(s, [logVerifier]), codes)));
  });

  it('never accepts a changed note with a different text', () => {
    const note = signNote('example.com/log\n7\nroot\n', [log]);
    fc.assert(
      fc.property(
        fc.nat(note.length - 1),
        fc.string({ unit: 'binary', maxLength: 2 }),
        fc.nat(2),
        (at, insert, cut) => {
          const mutated = note.slice(0, at) + insert + note.slice(at + cut);
          fc.pre(mutated !== note);
          try {
            const opened = openNote(mutated, [logVerifier]);
            return opened.text === 'example.com/log\n7\nroot\n';
          } catch (err) {
            return onlyCodedErrors(() => {
              throw err;
            }, codes);
          }
        },
      ),
    );
  });

  it('yields only coded errors from openCheckpoint for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) =>
        onlyCodedErrors(() => openCheckpoint(s, logVerifier, { origin: log.name }), codes),
      ),
    );
  });
});

describe('signNote then openNote', () => {
  it('round-trips any valid text, with any set of signers', () => {
    fc.assert(
      fc.property(noteText, fc.subarray([log, witness], { minLength: 1 }), (text, signers) => {
        const opened = openNote(signNote(text, signers), [
          logVerifier,
          parseVerifierKey(witness.verifierKey),
        ]);
        expect(opened.text).toBe(text);
        expect(opened.signatures.map((s) => s.name)).toEqual(signers.map((s) => s.name));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips checkpoints through signCheckpoint and openCheckpoint', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), (size, rootHash) => {
        const note = signCheckpoint({ origin: log.name, size, rootHash }, log);
        expect(openCheckpoint(note, logVerifier, { origin: log.name })).toEqual({
          origin: log.name,
          size,
          rootHash,
          extensions: [],
        });
      }),
      { numRuns: 200 },
    );
  });
});
