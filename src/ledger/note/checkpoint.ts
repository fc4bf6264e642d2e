import { DocketError } from '../../errors/index.js';
import { decodeCanonicalBase64, encodeBase64 } from '../../keys/index.js';
import { NoteErrorCode } from './errors.js';
import { assertNoteCharacters, MAX_NOTE_BYTES } from './note-text.js';

/** The tree head a log commits to (C2SP tlog-checkpoint): origin, tree size, RFC 6962 root hash. */
export interface Checkpoint {
  /** The log's identity; docket signs with a key of the same name. */
  readonly origin: string;
  /** Number of leaves, an integer in [0, Number.MAX_SAFE_INTEGER]. */
  readonly size: number;
  /** The 32-byte RFC 6962 / RFC 9162 Merkle tree hash at `size`. */
  readonly rootHash: Uint8Array;
  /** Opaque, non-empty lines after the root hash (C2SP: NOT RECOMMENDED). */
  readonly extensions?: readonly string[];
}

const ROOT_HASH_BYTES = 32;
// C2SP tlog-checkpoint §Note text: "ASCII decimal … with no leading zeroes (unless the tree is empty …)".
const TREE_SIZE = /^(?:0|[1-9][0-9]{0,15})$/;

function malformed(field: string, message: string): DocketError {
  return new DocketError(NoteErrorCode.CheckpointMalformed, message, { details: { field } });
}

/** Throws unless `line` can be one line of a checkpoint: non-empty, no newline, only note characters. */
function assertLine(line: unknown, field: string): asserts line is string {
  if (typeof line !== 'string' || line.length === 0 || line.includes('\n')) {
    throw malformed(field, `checkpoint ${field} must be a non-empty single line`);
  }
  try {
    assertNoteCharacters(line, NoteErrorCode.CheckpointMalformed, `checkpoint ${field}`);
  } catch (err) {
    throw malformed(field, (err as Error).message);
  }
}

/**
 * The note text of a checkpoint: origin, decimal tree size, base64 root hash, then any extension lines, each
 * ending in a newline.
 *
 * @example
 * formatCheckpoint({ origin: 'example.com/log', size: 0, rootHash: EMPTY_ROOT })
 * // 'example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'
 */
// C2SP tlog-checkpoint §Note text
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint ?? {};
  assertLine(origin, 'origin');
  if (!Number.isSafeInteger(size) || size < 0) {
    throw malformed('size', 'checkpoint size must be an integer in [0, Number.MAX_SAFE_INTEGER]');
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_BYTES) {
    throw malformed('rootHash', `checkpoint root hash must be ${ROOT_HASH_BYTES} bytes`);
  }
  if (!Array.isArray(extensions)) {
    throw malformed('extension', 'checkpoint extensions must be an array of lines');
  }
  for (const line of extensions) assertLine(line, 'extension');
  return [origin, String(size), encodeBase64(rootHash), ...extensions, ''].join('\n');
}

/**
 * Parses checkpoint note text strictly: at least three non-empty lines, each ending in a newline; tree size in
 * canonical decimal within Number.MAX_SAFE_INTEGER; root hash canonical base64 of exactly 32 bytes.
 *
 * @example
 * parseCheckpoint('example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n').size // 0
 */
// C2SP tlog-checkpoint §Note text
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || text.length > MAX_NOTE_BYTES) {
    throw malformed('text', 'checkpoint text must be a string of at most MAX_NOTE_BYTES');
  }
  try {
    assertNoteCharacters(text, NoteErrorCode.CheckpointMalformed, 'checkpoint text');
  } catch (err) {
    throw malformed('text', (err as Error).message);
  }
  if (!text.endsWith('\n')) throw malformed('text', 'checkpoint text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || size === undefined || root === undefined) {
    throw malformed('text', 'a checkpoint has at least three lines: origin, tree size, root hash');
  }
  if (origin.length === 0) throw malformed('origin', 'checkpoint origin is empty');
  if (!TREE_SIZE.test(size) || Number(size) > Number.MAX_SAFE_INTEGER) {
    throw malformed(
      'size',
      'checkpoint tree size must be decimal, without sign or leading zeros, and fit 2^53 - 1',
    );
  }
  const rootHash = decodeCanonicalBase64(root);
  if (rootHash === undefined || rootHash.length !== ROOT_HASH_BYTES) {
    throw malformed('rootHash', `checkpoint root hash must be canonical base64 of ${ROOT_HASH_BYTES} bytes`);
  }
  if (extensions.some((line) => line.length === 0)) {
    throw malformed('extension', 'checkpoint extension lines must be non-empty');
  }
  return Object.freeze({ origin, size: Number(size), rootHash, extensions: Object.freeze(extensions) });
}
