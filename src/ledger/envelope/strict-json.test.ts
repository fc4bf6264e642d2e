import { describe, expect, it } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { EnvelopeErrorCode } from './errors.js';
import { MAX_JSON_DEPTH, parseStrictJson } from './strict-json.js';

const parse = (text: string) => parseStrictJson(text, EnvelopeErrorCode.Malformed, 'input');

function reasonOf(text: string): unknown {
  try {
    parse(text);
  } catch (err) {
    if (isDocketError(err, EnvelopeErrorCode.Malformed)) return err.details.reason;
    throw err;
  }
  return undefined;
}

describe('parseStrictJson', () => {
  it('parses JSON that JSON.parse parses, whitespace and all', () => {
    expect(parse(' { "a" : [1, {"b": "}\\"{"}], "c": {"a": 2} } ')).toEqual({
      a: [1, { b: '}"{' }],
      c: { a: 2 },
    });
  });

  it.each([
    ['a repeated key', '{"a":1,"a":2}'],
    ['a repeated key spelled with an escape', '{"payload":"x","p\\u0061yload":"y"}'],
    ['a repeated key in a nested object', '{"x":[{"k":1,"k":1}]}'],
    ['a repeated key after a nested object', '{"a":{"b":1},"a":2}'],
    ['a repeated __proto__', '{"__proto__":1,"__proto__":2}'],
  ])('refuses %s', (_why, text) => {
    expect(String(reasonOf(text))).toMatch(/^duplicate key/);
  });

  it('does not mistake values or keys of other objects for repeated keys', () => {
    expect(parse('{"a":"a","b":{"a":"b"},"c":["a","a"]}')).toBeTruthy();
    expect(parse('{"k":"\\\\","k2":"\\""}')).toEqual({ k: '\\', k2: '"' });
  });

  it('accepts nesting up to MAX_JSON_DEPTH and refuses deeper', () => {
    expect(parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeTruthy();
    expect(String(reasonOf(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`))).toMatch(
      /nesting/,
    );
    expect(String(reasonOf(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`))).toMatch(/nesting/);
  });

  it.each(['', '{', '{"a":1,}', "{'a':1}", 'NaN', '\ufeff{}', '{"a":1} x'])(
    'refuses invalid JSON %j',
    (text) => {
      expect(reasonOf(text)).toBe('syntax');
    },
  );
});
