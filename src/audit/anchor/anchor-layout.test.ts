import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchorName, noteText, originSegment, sizeOfAnchorName } from './anchor-layout.js';

describe('originSegment', () => {
  it.each([
    ['example.com/ledger', 'example.com%2Fledger'],
    ['docket.local', 'docket.local'],
    ['a_b-c.d', 'a_b-c.d'],
    ['..', '%2E.'],
    ['.hidden', '%2Ehidden'],
    ['50%', '50%25'],
    ['a b', 'a%20b'],
    ['café', 'caf%C3%A9'],
  ])('encodes %j as %j', (origin, segment) => {
    expect(originSegment(origin)).toBe(segment);
  });

  it('is one safe path segment, and never the same for two origins', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        (a, b) => {
          const segment = originSegment(a);
          expect(segment).toMatch(/^[A-Za-z0-9_%-][A-Za-z0-9._%-]*$/);
          if (a !== b) expect(originSegment(b)).not.toBe(segment);
        },
      ),
    );
  });
});

describe('anchor names', () => {
  it('round-trip a tree size', () => {
    for (const size of [0, 1, 17, Number.MAX_SAFE_INTEGER])
      expect(sizeOfAnchorName(anchorName(size))).toBe(size);
  });

  it.each([
    '01.checkpoint',
    '-1.checkpoint',
    '1.checkpoint.tmp',
    '.1.checkpoint.abc.tmp',
    '1',
    'x.checkpoint',
    '99999999999999999.checkpoint',
  ])('refuse %j', (name) => {
    expect(sizeOfAnchorName(name)).toBeUndefined();
  });
});

describe('noteText', () => {
  it('is the text up to the blank line, or undefined without one', () => {
    expect(noteText('origin\n1\nroot\n\n\u2014 key sig\n')).toBe('origin\n1\nroot\n');
    expect(noteText('origin\n1\nroot\n')).toBeUndefined();
  });
});
