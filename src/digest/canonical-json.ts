import canonicalizeModule from 'canonicalize';
import { DocketError } from '../errors/index.js';
import { type Digest, sha256Digest } from './digest.js';
import { DigestErrorCode } from './errors.js';
import { hasLoneSurrogate } from './text.js';

// canonicalize ships CommonJS (`module.exports = serialize`) with a d.ts saying `export default`; under NodeNext
// TypeScript reads that as `exports.default`, while Node hands an ESM default import the function itself.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** Deeper than any record docket writes, shallow enough that hostile nesting cannot exhaust the stack. */
const MAX_DEPTH = 512;

/**
 * The RFC 8785 (JCS) canonical text of a JSON value: sorted keys, no whitespace, ECMAScript number spelling.
 * Only JSON data is accepted: null, booleans, finite numbers, strings, arrays and plain objects. What JCS
 * cannot represent is refused rather than silently dropped or nulled as `JSON.stringify` would (an undefined
 * member that vanishes from a digested record is a record that says less than its author thought).
 *
 * @throws DocketError `ERR_CANONICAL_JSON_*`.
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(toJsonData(value, '$', 0, new Set()));
  if (typeof text !== 'string') {
    throw new DocketError(DigestErrorCode.CanonicalJsonUnsupported, 'value has no canonical JSON form');
  }
  return text;
}

/** The UTF-8 bytes of {@link canonicalJson} (RFC 8785 §3.2.4): what gets hashed and signed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/**
 * The digest of a JSON value: sha256 over its RFC 8785 canonical UTF-8 bytes.
 *
 * @example
 * digestOfJson({ mediaType: '…', files: [] }); // 'sha256:…'
 */
export function digestOfJson(value: unknown): Digest {
  return sha256Digest(canonicalJsonBytes(value));
}

// Copies `value` into fresh JSON data (null-prototype objects, dense arrays), checking every node on the way:
// the `canonicalize` package itself would turn undefined into null or nothing, call toJSON, skip array holes
// and overflow the stack on cycles. The copy also means getters run once and a "__proto__" key stays a key.
function toJsonData(value: unknown, at: string, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new DocketError(
          DigestErrorCode.CanonicalJsonNonFinite,
          `${at} is ${value}; JSON numbers are finite`,
          {
            details: { at },
          },
        );
      }
      return value;
    case 'string':
      checkString(value, at);
      return value;
    case 'object':
      if (value === null) return null;
      return copyContainer(value, at, depth, ancestors);
    default:
      throw unsupported(at, typeof value);
  }
}

function copyContainer(value: object, at: string, depth: number, ancestors: Set<object>): unknown {
  if (depth >= MAX_DEPTH) {
    throw new DocketError(
      DigestErrorCode.CanonicalJsonTooDeep,
      `${at} nests deeper than ${MAX_DEPTH} levels`,
      {
        details: { at, maxDepth: MAX_DEPTH },
      },
    );
  }
  if (ancestors.has(value)) {
    throw new DocketError(DigestErrorCode.CanonicalJsonCyclic, `${at} refers back to one of its ancestors`, {
      details: { at },
    });
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      for (let i = 0; i < value.length; i += 1) {
        if (!Object.hasOwn(value, i)) throw unsupported(`${at}[${i}]`, 'an array hole');
        copy.push(toJsonData(value[i], `${at}[${i}]`, depth + 1, ancestors));
      }
      return copy;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw unsupported(at, `an instance of ${typeof name === 'string' ? name : 'a class'}`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw unsupported(at, 'an object with symbol keys');
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value)) {
      const path = `${at}[${JSON.stringify(key.slice(0, 40))}]`;
      checkString(key, path);
      Object.defineProperty(copy, key, {
        value: toJsonData((value as Record<string, unknown>)[key], path, depth + 1, ancestors),
        enumerable: true,
      });
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

// RFC 8785 §3.1 requires I-JSON input, and I-JSON (RFC 7493 §2.1) forbids lone surrogates.
function checkString(text: string, at: string): void {
  if (hasLoneSurrogate(text)) {
    throw new DocketError(
      DigestErrorCode.CanonicalJsonInvalidString,
      `${at} contains a lone UTF-16 surrogate`,
      {
        details: { at },
      },
    );
  }
}

function unsupported(at: string, what: string): DocketError {
  return new DocketError(
    DigestErrorCode.CanonicalJsonUnsupported,
    `${at} is ${what}, which JSON cannot represent`,
    {
      details: { at, type: what },
    },
  );
}
