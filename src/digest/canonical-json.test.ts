import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { canonicalJson, canonicalJsonBytes, digestOfJson } from './canonical-json.js';

// RFC 8785 §3.2.2: the input, as JSON text (escapes exactly as the RFC prints them).
const RFC_3_2_2_INPUT = String.raw`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`;
// RFC 8785 §3.2.2: the canonical output.
const RFC_3_2_2_OUTPUT = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
// RFC 8785 §3.2.4: the same output as UTF-8 bytes.
const RFC_3_2_4_HEX = `
  7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
  75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
  5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
  65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
  5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
  30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`;

// RFC 8785 §3.2.3: property sorting by UTF-16 code units (the emoji, D83D DE00, sorts before U+FB33).
const RFC_3_2_3_INPUT = String.raw`{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`;
const RFC_3_2_3_ORDER = [
  'Carriage Return',
  'One',
  'Control',
  'Latin Small Letter O With Diaeresis',
  'Euro Sign',
  'Emoji: Grinning Face',
  'Hebrew Letter Dalet With Dagesh',
];

// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical spelling.
const APPENDIX_B: readonly [string, string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

function double(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

function codeOf(value: unknown): string {
  try {
    canonicalJson(value);
  } catch (err) {
    if (isDocketError(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('canonicalJson: RFC 8785 known answers', () => {
  it('§3.2.2: serializes the worked example', () => {
    expect(canonicalJson(JSON.parse(RFC_3_2_2_INPUT))).toBe(RFC_3_2_2_OUTPUT);
  });

  it('§3.2.4: produces the published UTF-8 bytes', () => {
    const bytes = canonicalJsonBytes(JSON.parse(RFC_3_2_2_INPUT));
    expect(Buffer.from(bytes).toString('hex')).toBe(RFC_3_2_4_HEX.replace(/\s/g, ''));
  });

  it('§3.2.3: sorts properties by UTF-16 code units', () => {
    const text = canonicalJson(JSON.parse(RFC_3_2_3_INPUT));
    // Read the order from the text: JSON.parse would move the integer-like key "1" first.
    expect([...text.matchAll(/":"([^"]+)"/g)].map((match) => match[1])).toEqual(RFC_3_2_3_ORDER);
    expect(text.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
  });

  it.each(APPENDIX_B)('Appendix B: 0x%s serializes as %s', (bits, expected) => {
    expect(canonicalJson(double(bits))).toBe(expected);
    expect(canonicalJson({ n: double(bits) })).toBe(`{"n":${expected}}`);
  });

  it.each(['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000'])(
    'Appendix B / §3.2.2.3: 0x%s (NaN or Infinity) is an error',
    (bits) => {
      expect(codeOf(double(bits))).toBe('ERR_CANONICAL_JSON_NON_FINITE');
      expect(codeOf({ a: [1, double(bits)] })).toBe('ERR_CANONICAL_JSON_NON_FINITE');
    },
  );

  it('digestOfJson hashes the canonical bytes', () => {
    const expected = createHash('sha256')
      .update(Buffer.from(RFC_3_2_4_HEX.replace(/\s/g, ''), 'hex'))
      .digest('hex');
    expect(digestOfJson(JSON.parse(RFC_3_2_2_INPUT))).toBe(`sha256:${expected}`);
  });
});

describe('canonicalJson: what JCS cannot represent is refused', () => {
  class Model {
    name = 'x';
  }
  const holey: number[] = [];
  holey[2] = 1;
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };

  it.each([
    ['undefined', undefined, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['an undefined member', { a: undefined }, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['an undefined element', [1, undefined], 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['an array hole', holey, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a function', { f: () => 1 }, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a toJSON method', { toJSON: () => 'x' }, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a symbol', Symbol('s'), 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a symbol key', { [Symbol('s')]: 1 }, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a BigInt', { n: 10n }, 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a Date', new Date(0), 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a Map', new Map(), 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a Uint8Array', new Uint8Array(2), 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['a class instance', new Model(), 'ERR_CANONICAL_JSON_UNSUPPORTED'],
    ['NaN', { n: Number.NaN }, 'ERR_CANONICAL_JSON_NON_FINITE'],
    ['-Infinity', [Number.NEGATIVE_INFINITY], 'ERR_CANONICAL_JSON_NON_FINITE'],
    ['a cycle', cyclic, 'ERR_CANONICAL_JSON_CYCLIC'],
    ['a lone high surrogate', { s: 'a\uD800b' }, 'ERR_CANONICAL_JSON_INVALID_STRING'],
    ['a lone low surrogate key', { '\uDC00': 1 }, 'ERR_CANONICAL_JSON_INVALID_STRING'],
  ])('%s', (_name, value, code) => {
    expect(codeOf(value)).toBe(code);
  });

  it('refuses hostile nesting instead of overflowing the stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(codeOf(deep)).toBe('ERR_CANONICAL_JSON_TOO_DEEP');
  });

  it('accepts a shared (acyclic) reference, an own "__proto__" key and a null-prototype object', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"polluted":true},"a":1}'))).toBe(
      '{"__proto__":{"polluted":true},"a":1}',
    );
    const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
    expect(canonicalJson(-0)).toBe('0');
  });
});

describe('canonicalJson: properties', () => {
  it('is a fixed point: canonicalising parsed canonical text changes nothing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        expect(JSON.parse(once)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
      { numRuns: 300 },
    );
  });

  it('throws only DocketErrors for arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withTypedArray: true }),
        (value) => {
          const code = codeOf(value);
          expect(code === 'accepted' || code.startsWith('ERR_CANONICAL_JSON_')).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
