import { resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { checkManifestPath, compareUtf8 } from './manifest-path.js';

function verdict(path: string): string {
  try {
    checkManifestPath(path);
    return 'ok';
  } catch (err) {
    if (isDocketError(err)) return err.code;
    throw err;
  }
}

describe('checkManifestPath', () => {
  it.each([
    'model.onnx',
    'weights/layer-1.safetensors',
    '.hidden/config.json',
    'a..b/..c/d..',
    'ünïcödé/日本語/😀.bin',
    'name:with:colons',
    `${'a'.repeat(255)}/b`,
  ])('accepts %j', (path) => {
    expect(verdict(path)).toBe('ok');
  });

  it.each([
    ['../escape', 'ERR_DIGEST_PATH_ESCAPES'],
    ['a/../../escape', 'ERR_DIGEST_PATH_ESCAPES'],
    ['a/..', 'ERR_DIGEST_PATH_ESCAPES'],
    ['..', 'ERR_DIGEST_PATH_ESCAPES'],
    ['/etc/passwd', 'ERR_DIGEST_PATH_ESCAPES'],
    ['//server/share', 'ERR_DIGEST_PATH_ESCAPES'],
    ['..\\..\\windows', 'ERR_DIGEST_PATH_ESCAPES'],
    ['a\\b', 'ERR_DIGEST_PATH_ESCAPES'],
    ['', 'ERR_DIGEST_PATH_INVALID'],
    ['.', 'ERR_DIGEST_PATH_INVALID'],
    ['./a', 'ERR_DIGEST_PATH_INVALID'],
    ['a/./b', 'ERR_DIGEST_PATH_INVALID'],
    ['a//b', 'ERR_DIGEST_PATH_INVALID'],
    ['a/', 'ERR_DIGEST_PATH_INVALID'],
    ['a\u0000b', 'ERR_DIGEST_PATH_INVALID'],
    ['a\nb', 'ERR_DIGEST_PATH_INVALID'],
    ['a\u001b[31mred', 'ERR_DIGEST_PATH_INVALID'],
    ['a\u007f', 'ERR_DIGEST_PATH_INVALID'],
    ['a\u0085', 'ERR_DIGEST_PATH_INVALID'],
    ['a\uD800', 'ERR_DIGEST_PATH_INVALID'],
    ['a'.repeat(256), 'ERR_DIGEST_PATH_INVALID'],
    [Array.from({ length: 20 }, () => 'x'.repeat(250)).join('/'), 'ERR_DIGEST_PATH_INVALID'],
  ])('refuses %j with %s', (path, code) => {
    expect(verdict(path)).toBe(code);
  });

  it('accepts only paths that stay strictly inside any root they are joined to', () => {
    const root = resolve('/restore/root');
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '', 'a', 'b', '\\', '..\\', '/', '\u0000'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 6 }),
        fc.constantFrom('/', '\\', ''),
        (segments, separator) => {
          const path = segments.join(separator);
          if (verdict(path) !== 'ok') return;
          const target = resolve(root, path);
          expect(target.startsWith(`${root}${sep}`)).toBe(true);
          expect(target.slice(root.length + 1)).toBe(path);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('compareUtf8', () => {
  it('orders by code point, unlike UTF-16 string comparison', () => {
    // U+FB33 is EF AC B3 in UTF-8 and U+1F600 is F0 9F 98 80, while in UTF-16 the emoji's D83D comes first.
    expect(compareUtf8('\uFB33', '😀')).toBeLessThan(0);
    expect('\uFB33' < '😀').toBe(false);
    expect(compareUtf8('a-b', 'a/b')).toBeLessThan(0);
    expect(compareUtf8('a', 'a')).toBe(0);
  });
});
