import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import {
  DIRECTORY_MANIFEST_MEDIA_TYPE,
  manifestDigest,
  parseDirectoryManifest,
} from './directory-manifest.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const manifestOf = (files: unknown): unknown => ({ mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files });
const file = (path: unknown, size: unknown = 1, digest: unknown = D1): unknown => ({ path, size, digest });

function codeOf(input: unknown): string {
  try {
    parseDirectoryManifest(input);
    return 'ok';
  } catch (err) {
    if (isDocketError(err)) return err.code;
    throw err;
  }
}

describe('parseDirectoryManifest', () => {
  it('returns a frozen copy of a valid manifest', () => {
    const input = manifestOf([file('a/b.bin', 10, D1), file('a/c.bin', 0, D2), file('z', 3)]);
    const parsed = parseDirectoryManifest(input);
    expect(parsed).toEqual(input);
    expect(parsed).not.toBe(input);
    expect(Object.isFrozen(parsed.files)).toBe(true);
    expect(parseDirectoryManifest(manifestOf([])).files).toEqual([]);
  });

  it.each([
    ['a parent segment', [file('../evil')], 'ERR_DIGEST_PATH_ESCAPES'],
    ['a parent segment deeper down', [file('a/../../evil')], 'ERR_DIGEST_PATH_ESCAPES'],
    ['an absolute path', [file('/etc/cron.d/evil')], 'ERR_DIGEST_PATH_ESCAPES'],
    ['a backslash path', [file('..\\evil')], 'ERR_DIGEST_PATH_ESCAPES'],
    ['a dot segment', [file('./a')], 'ERR_DIGEST_PATH_INVALID'],
    ['an empty segment', [file('a//b')], 'ERR_DIGEST_PATH_INVALID'],
    ['an empty path', [file('')], 'ERR_DIGEST_PATH_INVALID'],
    ['a NUL', [file('a\u0000.bin')], 'ERR_DIGEST_PATH_INVALID'],
    ['a duplicate path', [file('a'), file('a')], 'ERR_DIGEST_PATH_CONFLICT'],
    ['a file that is also a directory', [file('a'), file('a/b')], 'ERR_DIGEST_PATH_CONFLICT'],
    ['a file that is a deeper directory', [file('a/b'), file('a/b/c/d')], 'ERR_DIGEST_PATH_CONFLICT'],
    ['unsorted paths', [file('b'), file('a')], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['UTF-16 instead of UTF-8 order', [file('😀'), file('\uFB33')], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['a non-string path', [file(7)], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['a negative size', [file('a', -1)], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['a fractional size', [file('a', 1.5)], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['an unsafe size', [file('a', 2 ** 53)], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['a string size', [file('a', '1')], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['an uppercase digest', [file('a', 1, D1.toUpperCase())], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['a missing digest', [{ path: 'a', size: 1 }], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    [
      'an extra entry key',
      [{ path: 'a', size: 1, digest: D1, mode: 0o755 }],
      'ERR_DIGEST_MANIFEST_MALFORMED',
    ],
    ['a null entry', [null], 'ERR_DIGEST_MANIFEST_MALFORMED'],
    ['an array entry', [['a', 1, D1]], 'ERR_DIGEST_MANIFEST_MALFORMED'],
  ])('refuses %s', (_name, files, code) => {
    expect(codeOf(manifestOf(files))).toBe(code);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', '{}'],
    ['another media type', { mediaType: 'application/json', files: [] }],
    ['no files', { mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE }],
    ['files as an object', { mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files: {} }],
    ['an extra key', { mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files: [], symlinks: [] }],
  ])('refuses %s at the top level', (_name, input) => {
    expect(codeOf(input)).toBe('ERR_DIGEST_MANIFEST_MALFORMED');
  });

  it('turns a hostile Proxy into a coded error', () => {
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('gotcha');
        },
      },
    );
    expect(codeOf(trap)).toBe('ERR_DIGEST_MANIFEST_MALFORMED');
  });

  it('throws only DocketErrors for arbitrary input', () => {
    const hostilePath = fc.oneof(
      fc.string(),
      fc.constantFrom('..', '../a', '/a', 'a/..', 'a\\b', 'a//b', '.', 'a\u0000'),
      fc.array(fc.constantFrom('a', '..', '.', '', '\\'), { maxLength: 4 }).map((parts) => parts.join('/')),
    );
    const entry = fc.oneof(
      fc.record({
        path: hostilePath,
        size: fc.oneof(fc.nat(), fc.double()),
        digest: fc.constantFrom(D1, 'x'),
      }),
      fc.anything(),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.array(entry, { maxLength: 5 }).map(manifestOf), fc.jsonValue()),
        (input) => {
          const code = codeOf(input);
          expect(code === 'ok' || code.startsWith('ERR_DIGEST_')).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('manifestDigest', () => {
  it('is sha256 of the RFC 8785 bytes, keys sorted files-then-mediaType', () => {
    const manifest = parseDirectoryManifest(manifestOf([file('a.txt', 6, D1)]));
    const text = `{"files":[{"digest":"${D1}","path":"a.txt","size":6}],"mediaType":"${DIRECTORY_MANIFEST_MEDIA_TYPE}"}`;
    expect(manifestDigest(manifest)).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
  });
});
