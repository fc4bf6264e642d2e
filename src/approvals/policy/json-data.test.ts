import { describe, expect, test } from 'vitest';
import { deepFreeze, pointerToken, pointerTokens, toJsonData } from './json-data.js';

describe('toJsonData', () => {
  test('copies plain JSON data', () => {
    const input = { a: [1, 'x', null, true, { b: -0 }] };
    const result = toJsonData(input);
    expect(result).toEqual({ ok: true, value: { a: [1, 'x', null, true, { b: 0 }] } });
    if (result.ok) expect(result.value).not.toBe(input);
  });

  test('keeps a __proto__ key as an own, ordinary key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
    const result = toJsonData(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test('accepts null-prototype objects', () => {
    expect(toJsonData(Object.assign(Object.create(null), { a: 1 })).ok).toBe(true);
  });

  test.each<[string, unknown, string, string]>([
    ['NaN', { a: Number.NaN }, '/a', 'finite number'],
    ['a symbol', { a: Symbol('x') }, '/a', 'symbol'],
    ['a Map', { a: new Map() }, '/a', 'not a plain object'],
    ['a class instance', { a: new (class Thing {})() }, '/a', 'not a plain object'],
    ['a key needing escapes', { 'x/y~z': undefined }, '/x~1y~0z', 'undefined'],
    [
      'too deep',
      JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`),
      '/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0',
      'deeper than 32',
    ],
  ])('refuses %s', (_name, value, path, fragment) => {
    const result = toJsonData(value);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue.path).toBe(path);
    expect(result.issue.message).toContain(fragment);
  });

  test('bounds the work: too many values and too long strings', () => {
    expect(toJsonData(new Array(20).fill(0), { maxDepth: 4, maxNodes: 10, maxStringLength: 5 }).ok).toBe(
      false,
    );
    expect(toJsonData('abcdef', { maxDepth: 4, maxNodes: 10, maxStringLength: 5 }).ok).toBe(false);
  });

  test('a shared (non-cyclic) reference is fine', () => {
    const shared = { x: 1 };
    expect(toJsonData({ a: shared, b: shared }).ok).toBe(true);
  });

  test('a throwing proxy becomes an issue, not an exception', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(toJsonData(hostile)).toEqual({
      ok: false,
      issue: { path: '', message: expect.stringContaining('cannot be read') },
    });
  });
});

describe('JSON pointers (RFC 6901)', () => {
  test.each([
    ['a/b', 'a~1b'],
    ['m~n', 'm~0n'],
    ['~/', '~0~1'],
  ])('%s <-> %s', (raw, escaped) => {
    expect(pointerToken(raw)).toBe(escaped);
    expect(pointerTokens(`/${escaped}/x`)).toEqual([raw, 'x']);
  });

  test('the root pointer has no tokens', () => {
    expect(pointerTokens('')).toEqual([]);
  });
});

describe('deepFreeze', () => {
  test('freezes nested objects and arrays', () => {
    const value = deepFreeze({ a: [{ b: 1 }] });
    expect(Object.isFrozen(value.a[0])).toBe(true);
  });
});
