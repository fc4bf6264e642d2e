import canonicalizeModule from 'canonicalize';
import { DocketError } from '../../errors/index.js';
import { EnvelopeErrorCode } from './errors.js';
import { MAX_JSON_DEPTH } from './strict-json.js';

// Interim: src/digest/ will hold the project-wide RFC 8785 canonical JSON; switch to it when it lands.

type Serialize = (input: unknown) => string | undefined;
// canonicalize is CommonJS (`module.exports = serialize`) but its .d.ts declares an ES default export, so under
// NodeNext TypeScript types the default import as the module object; at run time it is the function itself.
const canonicalize: Serialize =
  typeof canonicalizeModule === 'function'
    ? (canonicalizeModule as Serialize)
    : (canonicalizeModule as unknown as { default: Serialize }).default;

/** Most values walked in one document; bounds the work on shared sub-objects (a DAG can be exponential). */
const MAX_JSON_VALUES = 1_000_000;
const LONE_SURROGATE = /\p{Cs}/u;

function notJson(code: EnvelopeErrorCode, path: string, why: string): DocketError {
  return new DocketError(code, `${path} is not JSON data: ${why}`, { details: { path } });
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Throws `code` unless `value` is plain JSON data that RFC 8785 serialises without loss: null, booleans, finite
 * numbers, strings of valid Unicode (I-JSON, RFC 7493 §2.1), dense arrays and plain objects without undefined
 * values, at most MAX_JSON_DEPTH deep. Classes (Date, Map, Buffer…) and functions are refused rather than
 * converted, and a cycle ends at the depth bound.
 */
export function assertJsonData(value: unknown, code: EnvelopeErrorCode, root = '$'): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  for (let visited = 0; stack.length > 0; visited++) {
    if (visited > MAX_JSON_VALUES) throw notJson(code, root, `more than ${MAX_JSON_VALUES} values`);
    const { value: v, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw notJson(code, path, 'a number that is not finite');
      continue;
    }
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) throw notJson(code, path, 'a string with a lone surrogate');
      continue;
    }
    if (typeof v !== 'object') throw notJson(code, path, `a value of type ${typeof v}`);
    if (depth >= MAX_JSON_DEPTH) throw notJson(code, path, `nesting deeper than ${MAX_JSON_DEPTH}`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw notJson(code, `${path}[${i}]`, 'a hole in an array');
        stack.push({ value: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    if (!isPlainObject(v)) throw notJson(code, path, 'an object that is not a plain object');
    for (const [key, member] of Object.entries(v)) {
      if (LONE_SURROGATE.test(key)) throw notJson(code, path, 'a key with a lone surrogate');
      if (member === undefined) throw notJson(code, `${path}.${key}`, 'undefined');
      stack.push({ value: member, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
}

/**
 * RFC 8785 (JCS) canonical JSON of plain JSON data: sorted keys, no whitespace, ECMAScript number formatting.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown, code: EnvelopeErrorCode = EnvelopeErrorCode.Malformed): string {
  assertJsonData(value, code);
  const text = canonicalize(value);
  if (text === undefined) throw notJson(code, '$', 'nothing to serialise');
  return text;
}
