import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../digest/index.js';
import { blobKey, copySource, isKeyPrefix, isTempName, keyMeaning, tempKey } from './layout.js';
import { basePartSize, copyRanges, MAX_PART_BYTES, partSizeFor } from './part-size.js';

const MiB = 1024 * 1024;
const abc = sha256Digest(new TextEncoder().encode('abc'));
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('S3 key layout', () => {
  it('names blobs and temporaries under the prefix', () => {
    expect(blobKey('', abc)).toBe(`blobs/sha256/${ABC_HEX}`);
    expect(blobKey('team/docket/', abc)).toBe(`team/docket/blobs/sha256/${ABC_HEX}`);
    expect(tempKey('p/', 'x.tmp')).toBe('p/tmp/x.tmp');
  });

  it('reads keys back as blobs, temporaries or misnamed objects', () => {
    expect(keyMeaning('p/', `p/blobs/sha256/${ABC_HEX}`)).toEqual({ kind: 'blob', digest: abc });
    expect(keyMeaning('p/', 'p/tmp/x.tmp')).toEqual({ kind: 'temp', name: 'x.tmp' });
    for (const name of [
      `blobs/sha256/${ABC_HEX.toUpperCase()}`,
      `blobs/sha256/${ABC_HEX}/x`,
      'tmp/a/b',
      'tmp/',
      'x',
    ]) {
      expect(keyMeaning('p/', `p/${name}`)).toEqual({ kind: 'misnamed', name });
    }
  });

  it('accepts only plain key prefixes and temporary names', () => {
    for (const ok of ['', 'a/', 'a/b-c_d.e/']) expect(isKeyPrefix(ok)).toBe(true);
    for (const bad of ['a', '/', '/a/', 'a//', './', 'a/../', 'a b/', 'ä/'])
      expect(isKeyPrefix(bad)).toBe(false);
    expect(isTempName('0f2c.tmp')).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', 'a b']) expect(isTempName(bad)).toBe(false);
  });

  it('URL-encodes a copy source and pins its version', () => {
    expect(copySource('b', 'p q/tmp/x.tmp', undefined)).toBe('b/p%20q/tmp/x.tmp');
    expect(copySource('b', 'tmp/x', 'v+1')).toBe('b/tmp/x?versionId=v%2B1');
  });
});

// Limits from AWS "Amazon S3 multipart upload limits": 10,000 parts, 5 MiB to 5 GiB each (but the last).
describe('part sizes', () => {
  it('double every 1,000 parts so a stream of unknown length reaches 5 TiB within 10,000 parts', () => {
    expect(partSizeFor(1, 8 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(1000, 8 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(1001, 8 * MiB)).toBe(16 * MiB);
    let total = 0;
    for (let part = 1; part <= 10_000; part += 1) total += partSizeFor(part, 8 * MiB);
    expect(total).toBeGreaterThan(5 * 1024 ** 4);
    expect(partSizeFor(10_000, 1024 * MiB)).toBe(MAX_PART_BYTES);
  });

  it('grow the base for a large size hint', () => {
    expect(basePartSize(8 * MiB, undefined)).toBe(8 * MiB);
    expect(basePartSize(8 * MiB, 100 * MiB)).toBe(8 * MiB);
    expect(basePartSize(8 * MiB, 100 * 1024 * MiB)).toBe(103 * MiB);
  });

  it('copy in inclusive byte ranges (RFC 9110 §14.1.2), or whole when one part holds it', () => {
    expect(copyRanges(10, 5 * MiB)).toEqual([undefined]);
    expect(copyRanges(12 * MiB, 5 * MiB)).toEqual([
      `bytes=0-${5 * MiB - 1}`,
      `bytes=${5 * MiB}-${10 * MiB - 1}`,
      `bytes=${10 * MiB}-${12 * MiB - 1}`,
    ]);
    expect(copyRanges(5 * 1024 ** 4, 256 * MiB).length).toBeLessThanOrEqual(10_000);
  });
});
