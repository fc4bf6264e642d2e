import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../keys/index.js';
import { errorCodeOf, onlyCodedErrors } from '../../keys/test-support/error-code.js';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { NoteErrorCode } from './errors.js';
import { MAX_NOTE_BYTES } from './note-text.js';

const EMPTY_ROOT = new Uint8Array(createHash('sha256').digest());
const ROOT = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';

/** Lines a checkpoint may hold: non-empty, no newline or other control character, well-formed UTF-16. */
const checkpointLine = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => [...s].every((c) => (c.codePointAt(0) ?? 0) >= 0x20));

describe('parseCheckpoint', () => {
  it('parses the C2SP tlog-checkpoint example text', () => {
    const checkpoint = parseCheckpoint(`example.com/behind-the-sofa\n20852163\n${ROOT}\n`);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163);
    expect(encodeBase64(checkpoint.rootHash)).toBe(ROOT);
    expect(checkpoint.extensions).toEqual([]);
  });

  it('keeps extension lines, and accepts the largest safe size and the empty tree', () => {
    const text = `o\n9007199254740991\n${ROOT}\next one\n— ext two\n`;
    expect(parseCheckpoint(text)).toMatchObject({
      size: Number.MAX_SAFE_INTEGER,
      extensions: ['ext one', '— ext two'],
    });
    expect(parseCheckpoint(`o\n0\n${encodeBase64(EMPTY_ROOT)}\n`).size).toBe(0);
  });

  it.each([
    ['a plus sign', '+5'],
    ['a minus sign', '-5'],
    ['a leading zero', '05'],
    ['two zeros', '00'],
    ['a leading space', ' 5'],
    ['a trailing space', '5 '],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['a fraction', '1.0'],
    ['fullwidth digits', '\uff11'],
    ['MAX_SAFE_INTEGER + 1', '9007199254740992'],
    ['17 digits', '10000000000000000'],
    ['a huge number', '9'.repeat(400)],
    ['nothing', ''],
  ])('refuses a tree size with %s', (_why, size) => {
    expect(fieldOf(() => parseCheckpoint(`o\n${size}\n${ROOT}\n`))).toBe('size');
  });

  it.each([
    ['31 bytes', encodeBase64(new Uint8Array(31))],
    ['33 bytes', encodeBase64(new Uint8Array(33))],
    ['no padding', ROOT.slice(0, -1)],
    ['URL-safe base64', ROOT.replace('/', '_')],
    ['non-zero pad bits', `${ROOT.slice(0, -2)}J=`],
    ['hex', Buffer.from(EMPTY_ROOT).toString('hex')],
  ])('refuses a root hash of %s', (_why, root) => {
    expect(fieldOf(() => parseCheckpoint(`o\n1\n${root}\n`))).toBe('rootHash');
  });

  it.each([
    ['an empty origin', `\n1\n${ROOT}\n`, 'origin'],
    ['two lines', 'o\n1\n', 'text'],
    ['no final newline', `o\n1\n${ROOT}`, 'text'],
    ['an empty extension line', `o\n1\n${ROOT}\n\next\n`, 'extension'],
    ['a trailing blank line', `o\n1\n${ROOT}\n\n`, 'extension'],
    ['CRLF', `o\r\n1\r\n${ROOT}\r\n`, 'text'],
    ['not a string', 7, 'text'],
    ['too much text', `o\n1\n${ROOT}\n${'x'.repeat(MAX_NOTE_BYTES)}\n`, 'text'],
  ])('refuses %s', (_why, text, field) => {
    expect(errorCodeOf(() => parseCheckpoint(text as string))).toBe(NoteErrorCode.CheckpointMalformed);
    expect(fieldOf(() => parseCheckpoint(text as string))).toBe(field);
  });

  it('yields only ERR_CHECKPOINT_MALFORMED for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) =>
        onlyCodedErrors(() => parseCheckpoint(s), [NoteErrorCode.CheckpointMalformed]),
      ),
    );
    const lineLike = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('0', '1', '01', ROOT, ''));
    fc.assert(
      fc.property(fc.array(lineLike, { maxLength: 6 }), (lines) =>
        onlyCodedErrors(() => parseCheckpoint(`${lines.join('\n')}\n`), [NoteErrorCode.CheckpointMalformed]),
      ),
    );
  });
});

describe('formatCheckpoint', () => {
  it('writes origin, size and base64 root hash, each line ending in a newline', () => {
    expect(formatCheckpoint({ origin: 'example.com/log', size: 0, rootHash: EMPTY_ROOT })).toBe(
      'example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
    );
    expect(formatCheckpoint({ origin: 'o', size: 12, rootHash: EMPTY_ROOT, extensions: ['x'] })).toMatch(
      /\n12\n.*\nx\n$/,
    );
  });

  it.each([
    ['a negative size', { size: -1 }, 'size'],
    ['a fractional size', { size: 1.5 }, 'size'],
    ['NaN', { size: Number.NaN }, 'size'],
    ['an unsafe size', { size: Number.MAX_SAFE_INTEGER + 1 }, 'size'],
    ['a bigint size', { size: 1n }, 'size'],
    ['an empty origin', { origin: '' }, 'origin'],
    ['an origin with a newline', { origin: 'a\nb' }, 'origin'],
    ['an origin with CR', { origin: 'a\r' }, 'origin'],
    ['a 31-byte root', { rootHash: new Uint8Array(31) }, 'rootHash'],
    ['a root that is not bytes', { rootHash: 'abc' }, 'rootHash'],
    ['an empty extension', { extensions: [''] }, 'extension'],
    ['an extension with a newline', { extensions: ['a\nb'] }, 'extension'],
    ['extensions that are not an array', { extensions: 'x' }, 'extension'],
  ])('refuses %s', (_why, change, field) => {
    const checkpoint = { origin: 'o', size: 1, rootHash: EMPTY_ROOT, ...change } as unknown as Checkpoint;
    expect(fieldOf(() => formatCheckpoint(checkpoint))).toBe(field);
  });

  it('round-trips through parseCheckpoint', () => {
    fc.assert(
      fc.property(
        checkpointLine,
        fc.maxSafeNat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(checkpointLine, { maxLength: 3 }),
        (origin, size, rootHash, extensions) => {
          const parsed = parseCheckpoint(formatCheckpoint({ origin, size, rootHash, extensions }));
          expect(parsed).toEqual({ origin, size, rootHash, extensions });
        },
      ),
    );
  });
});

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (
      err instanceof Error &&
      'details' in err &&
      (err as { code?: string }).code === NoteErrorCode.CheckpointMalformed
    ) {
      return (err.details as Record<string, unknown>).field;
    }
    throw err;
  }
  throw new Error('nothing thrown');
}
