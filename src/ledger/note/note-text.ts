import { DocketError } from '../../errors/index.js';
import { NoteErrorCode } from './errors.js';

/** Largest signed note docket reads or writes (C2SP lets verifiers bound the size of a note). */
export const MAX_NOTE_BYTES = 1024 * 1024;

/** Most signature lines in a note; golang.org/x/mod/sumdb/note refuses a note with more (C2SP requires >= 16). */
export const MAX_NOTE_SIGNATURES = 100;

const LONE_SURROGATE = /\p{Cs}/u;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/**
 * Throws `code` unless `text` could appear in a signed note: valid UTF-8 (no lone surrogates) and no ASCII
 * control character other than newline (C2SP signed-note §Format). CR is a control character, so CRLF is refused.
 */
export function assertNoteCharacters(text: string, code: NoteErrorCode, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 && unit !== 0x0a) {
      throw new DocketError(
        code,
        `${what} contains control character U+${unit.toString(16).padStart(4, '0')}`,
        {
          details: { offset: i },
        },
      );
    }
  }
  if (LONE_SURROGATE.test(text)) throw new DocketError(code, `${what} is not valid UTF-8 (a lone surrogate)`);
}

/**
 * A note read from hostile input, as text checked for size and characters. Decoding is fatal on bad UTF-8 and
 * keeps a BOM, so encoding the text again gives back exactly the bytes that were signed.
 */
export function decodeNote(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    // A UTF-16 unit is at least one UTF-8 byte, so this bounds the work before counting bytes.
    if (input.length > MAX_NOTE_BYTES) throw tooLarge(input.length);
    const size = Buffer.byteLength(input, 'utf8');
    if (size > MAX_NOTE_BYTES) throw tooLarge(size);
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.length > MAX_NOTE_BYTES) throw tooLarge(input.length);
    try {
      text = utf8Decoder.decode(input);
    } catch (cause) {
      throw new DocketError(NoteErrorCode.Malformed, 'the note is not valid UTF-8', { cause });
    }
  } else {
    throw new DocketError(NoteErrorCode.Malformed, 'a note must be a string or bytes');
  }
  assertNoteCharacters(text, NoteErrorCode.Malformed, 'the note');
  return text;
}

function tooLarge(size: number): DocketError {
  return new DocketError(NoteErrorCode.TooLarge, `the note is larger than ${MAX_NOTE_BYTES} bytes`, {
    details: { size, limit: MAX_NOTE_BYTES },
  });
}
