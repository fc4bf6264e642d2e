import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { canonicalJson } from './canonical-json.js';
import { EnvelopeErrorCode } from './errors.js';
import { MAX_JSON_DEPTH } from './strict-json.js';

/** [1, <hole>, 2]: index 1 is absent, not undefined. */
const holey: unknown[] = [];
holey[0] = 1;
holey[2] = 2;

describe('canonicalJson', () => {
  it('reproduces the RFC 8785 §3.2.3 sample', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 sorting example)', () => {
    const input = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    expect(canonicalJson(input)).toBe(
      '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}',
    );
  });

  it.each([
    ['undefined', { a: undefined }],
    ['NaN', { a: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', { a: 1n }],
    ['a function', { toJSON: () => 'x' }],
    ['a symbol', [Symbol('s')]],
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map()],
    ['a Uint8Array', new Uint8Array(1)],
    ['an array with a hole', holey],
    ['a lone surrogate in a string', { a: '\ud800' }],
    ['a lone surrogate in a key', { '\udc00': 1 }],
    ['nesting too deep', JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)],
  ])('refuses %s', (_why, value) => {
    expect(errorCodeOf(() => canonicalJson(value))).toBe(EnvelopeErrorCode.Malformed);
  });

  it('refuses a cycle without overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorCodeOf(() => canonicalJson(cyclic, EnvelopeErrorCode.StatementMalformed))).toBe(
      EnvelopeErrorCode.StatementMalformed,
    );
  });

  it('refuses an exponentially shared structure quickly', () => {
    let value: unknown = 0;
    for (let i = 0; i < 40; i++) value = [value, value];
    expect(errorCodeOf(() => canonicalJson(value))).toBe(EnvelopeErrorCode.Malformed);
  });
});
