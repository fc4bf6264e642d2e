import { DocketError } from '../../errors/index.js';
import { encodeBase64, isValidKeyName, type Signer } from '../../keys/index.js';
import { NoteErrorCode } from './errors.js';
import { assertNoteCharacters, encodeUtf8, MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './note-text.js';

function signatureLine(signer: Signer, textBytes: Uint8Array): string {
  if (!isValidKeyName(signer?.name) || !(signer.keyId instanceof Uint8Array) || signer.keyId.length !== 4) {
    throw new DocketError(NoteErrorCode.SignerInvalid, 'a signer needs a valid key name and a 4-byte key ID');
  }
  const signature = signer.sign(textBytes);
  if (!(signature instanceof Uint8Array) || signature.length === 0) {
    throw new DocketError(NoteErrorCode.SignerInvalid, `signer ${signer.name} returned no signature`);
  }
  return `\u2014 ${signer.name} ${encodeBase64(Uint8Array.of(...signer.keyId, ...signature))}\n`;
}

/**
 * Signs `text` with each signer and returns the C2SP signed note: the text, a blank line, and one signature line
 * `— <name> <base64(key ID || signature)>` per signer. The text must end in a newline and hold no control
 * character other than newline, so that whatever this returns opens again.
 *
 * @example
 * const note = signNote('example.com/log\n5\nq2r…=\n', [signer]);
 */
// C2SP signed-note §Format
export function signNote(text: string, signers: readonly Signer[]): string {
  if (typeof text !== 'string' || !text.endsWith('\n')) {
    throw new DocketError(NoteErrorCode.Malformed, 'note text must be a string ending in a newline');
  }
  if (text.length > MAX_NOTE_BYTES) {
    throw new DocketError(NoteErrorCode.TooLarge, `the note is larger than ${MAX_NOTE_BYTES} bytes`);
  }
  assertNoteCharacters(text, NoteErrorCode.Malformed, 'the note text');
  if (!Array.isArray(signers) || signers.length === 0) {
    throw new DocketError(NoteErrorCode.SignerInvalid, 'a note needs at least one signer');
  }
  if (signers.length > MAX_NOTE_SIGNATURES) {
    throw new DocketError(
      NoteErrorCode.TooManySignatures,
      `a note has at most ${MAX_NOTE_SIGNATURES} signatures`,
    );
  }
  const textBytes = encodeUtf8(text);
  const note = `${text}\n${signers.map((signer) => signatureLine(signer, textBytes)).join('')}`;
  const size = Buffer.byteLength(note, 'utf8');
  if (size > MAX_NOTE_BYTES) {
    throw new DocketError(NoteErrorCode.TooLarge, `the signed note is larger than ${MAX_NOTE_BYTES} bytes`, {
      details: { size, limit: MAX_NOTE_BYTES },
    });
  }
  return note;
}
