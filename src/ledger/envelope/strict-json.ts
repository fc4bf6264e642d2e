import { DocketError } from '../../errors/index.js';
import type { EnvelopeErrorCode } from './errors.js';

/** Deepest nesting of arrays and objects accepted in JSON docket reads (and writes, see canonical-json). */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index just past the string token that starts at `start` (a '"'), in text already known to be valid JSON. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    if (unit === BACKSLASH) i += 2;
    else if (unit === QUOTE) return i + 1;
    else i++;
  }
  return text.length;
}

/**
 * Why valid JSON `text` is unacceptable, or undefined: a key repeated in one object (JSON.parse silently keeps the
 * last, so two parsers could read two different documents; RFC 8259 §4 leaves duplicates undefined, RFC 7493
 * I-JSON §2.3 forbids them), or nesting deeper than `maxDepth`. Keys are compared after unescaping, so
 * "payload" and "p\u0061yload" are the same key. One pass, no recursion.
 */
function structuralProblem(text: string, maxDepth: number): string | undefined {
  const open: (Set<string> | undefined)[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    if (unit === QUOTE) {
      const end = endOfString(text, i);
      const keys = open.at(-1);
      if (keys !== undefined && expectKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (keys.has(key)) return `duplicate key ${JSON.stringify(key.slice(0, 64))}`;
        keys.add(key);
        expectKey = false;
      }
      i = end;
      continue;
    }
    if (unit === 0x7b || unit === 0x5b) {
      if (open.length >= maxDepth) return `nesting deeper than ${maxDepth}`;
      open.push(unit === 0x7b ? new Set() : undefined);
      expectKey = unit === 0x7b;
    } else if (unit === 0x7d || unit === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (unit === 0x2c) {
      expectKey = open.at(-1) !== undefined;
    }
    i++;
  }
  return undefined;
}

/**
 * JSON.parse for hostile input: a syntax error, a duplicate key or excessive nesting is a DocketError of `code`.
 *
 * @example
 * parseStrictJson('{"a":1,"a":2}', EnvelopeErrorCode.Malformed) // throws: duplicate key "a"
 */
export function parseStrictJson(text: string, code: EnvelopeErrorCode, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DocketError(code, `${what} is not valid JSON`, { cause, details: { reason: 'syntax' } });
  }
  const problem = structuralProblem(text, MAX_JSON_DEPTH);
  if (problem !== undefined) {
    throw new DocketError(code, `${what} is not acceptable JSON: ${problem}`, {
      details: { reason: problem },
    });
  }
  return value;
}
