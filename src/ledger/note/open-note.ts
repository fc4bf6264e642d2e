import { DocketError } from '../../errors/index.js';
import { decodeCanonicalBase64, isValidKeyName, keyIdHex, type Verifier } from '../../keys/index.js';
import { NoteErrorCode } from './errors.js';
import { decodeNote, encodeUtf8, MAX_NOTE_SIGNATURES } from './note-text.js';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyIdHex: string;
  /** The line's base64 field: base64(key ID || signature). */
  readonly base64: string;
}

/** A note whose signatures were checked: its text (ending in '\n') and who signed it. */
export interface OpenedNote {
  readonly text: string;
  /** Signatures by the verifiers given, all valid; never empty. */
  readonly signatures: readonly NoteSignature[];
  /** Signatures by keys not given (witnesses, rotated keys), not checked. */
  readonly unverifiedSignatures: readonly NoteSignature[];
}

const SIGNATURE_PREFIX = '\u2014 ';

function malformed(message: string, details: Record<string, unknown> = {}): DocketError {
  return new DocketError(NoteErrorCode.Malformed, message, { details });
}

/** Verifiers by "<name> <key ID hex>" (a name holds no space); two different keys under one pair are refused. */
function indexVerifiers(verifiers: readonly Verifier[]): Map<string, Verifier> {
  if (!Array.isArray(verifiers)) {
    throw new DocketError(NoteErrorCode.Unverified, 'verifiers must be an array');
  }
  const byId = new Map<string, Verifier>();
  for (const verifier of verifiers) {
    const id = `${verifier.name} ${verifier.keyIdHex}`;
    const known = byId.get(id);
    if (known !== undefined && Buffer.compare(known.publicKey, verifier.publicKey) !== 0) {
      throw new DocketError(
        NoteErrorCode.VerifierAmbiguous,
        `two different keys are named ${id.replace(' ', '+')}`,
        {
          details: { name: verifier.name, keyId: verifier.keyIdHex },
        },
      );
    }
    byId.set(id, verifier);
  }
  return byId;
}

// C2SP signed-note §Format: "— <key name> <base64(key ID || signature)>"
function parseSignatureLine(line: string, index: number): NoteSignature & { signature: Uint8Array } {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw malformed(`signature line ${index + 1} does not start with an em dash and a space`, {
      line: index + 1,
    });
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = rest.slice(0, space);
  const base64 = rest.slice(space + 1);
  const raw = space < 0 ? undefined : decodeCanonicalBase64(base64);
  if (!isValidKeyName(name) || raw === undefined || raw.length < 5) {
    throw malformed(`signature line ${index + 1} is not "— <name> <base64(key ID || signature)>"`, {
      line: index + 1,
    });
  }
  return { name, keyIdHex: keyIdHex(raw.subarray(0, 4)), base64, signature: raw.subarray(4) };
}

/**
 * Opens a C2SP signed note: checks its syntax and the signatures of the known `verifiers`. Signatures by unknown
 * keys (name or key ID not both matching a verifier) are skipped; every signature by a known key is checked
 * and one that fails is ERR_NOTE_SIGNATURE_INVALID; at least one must verify (ERR_NOTE_UNVERIFIED).
 *
 * @example
 * const { text } = openNote(noteBytes, [parseVerifierKey(vkey)]);
 */
// C2SP signed-note §Format and §Signatures
export function openNote(note: string | Uint8Array, verifiers: readonly Verifier[]): OpenedNote {
  const byId = indexVerifiers(verifiers);
  const message = decodeNote(note);
  // The text is separated from the signatures by the last blank line; the text keeps its final newline.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('the note has no blank line before its signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) {
    throw malformed('the note has no signature lines ending in a newline');
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new DocketError(
      NoteErrorCode.TooManySignatures,
      `the note has more than ${MAX_NOTE_SIGNATURES} signatures`,
      {
        details: { count: lines.length, limit: MAX_NOTE_SIGNATURES },
      },
    );
  }
  const parsed = lines.map(parseSignatureLine);

  const textBytes = encodeUtf8(text);
  const signatures: NoteSignature[] = [];
  const unverifiedSignatures: NoteSignature[] = [];
  const seenKeys = new Set<string>();
  const seenLines = new Set<string>();
  for (const [i, { name, keyIdHex: id, base64, signature }] of parsed.entries()) {
    const key = `${name} ${id}`;
    const verifier = byId.get(key);
    if (verifier === undefined) {
      // Unknown key: skipped, and listed once however often it repeats.
      if (!seenLines.has(lines[i] as string)) unverifiedSignatures.push({ name, keyIdHex: id, base64 });
      seenLines.add(lines[i] as string);
    } else if (!verifier.verify(textBytes, signature)) {
      // Every known-key signature is checked, repeats included (sumdb/note checks only the first).
      throw new DocketError(
        NoteErrorCode.SignatureInvalid,
        `the signature by ${name}+${id} does not verify`,
        {
          details: { name, keyId: id },
        },
      );
    } else if (!seenKeys.has(key)) {
      seenKeys.add(key);
      signatures.push({ name, keyIdHex: id, base64 });
    }
  }
  if (signatures.length === 0) {
    throw new DocketError(NoteErrorCode.Unverified, 'the note has no valid signature by a known key', {
      details: { signers: unverifiedSignatures.map((s) => `${s.name}+${s.keyIdHex}`) },
    });
  }
  return Object.freeze({ text, signatures, unverifiedSignatures });
}
