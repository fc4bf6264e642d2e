/** A JSON value: what a parsed JSON document can hold. */
export type JsonData =
  | null
  | boolean
  | number
  | string
  | readonly JsonData[]
  | { readonly [key: string]: JsonData };

/** Bounds on the work {@link toJsonData} does for one value. */
export interface JsonDataLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly maxStringLength: number;
}

const DEFAULT_LIMITS: JsonDataLimits = { maxDepth: 32, maxNodes: 200_000, maxStringLength: 100_000 };

/** Where and why a value is not JSON data. */
export interface JsonDataIssue {
  readonly path: string;
  readonly message: string;
}

export type JsonDataResult =
  | { readonly ok: true; readonly value: JsonData }
  | { readonly ok: false; readonly issue: JsonDataIssue };

class NotJsonData extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** RFC 6901 §3: `~` is written `~0` and `/` is written `~1` inside a reference token. */
export function pointerToken(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Splits a JSON pointer into its unescaped tokens (RFC 6901 §4). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Copies a hostile value into fresh, plain JSON data, reading every property exactly once, so that what is
 * validated is what is used (no getters, proxies, prototypes, cycles, `undefined`, NaN or class instances survive).
 * Keys are defined with `Object.defineProperty`, so a `__proto__` key stays an ordinary key.
 */
export function toJsonData(value: unknown, limits: JsonDataLimits = DEFAULT_LIMITS): JsonDataResult {
  const state = { nodes: 0, ancestors: new Set<object>() };
  try {
    return { ok: true, value: copy(value, '', 0, limits, state) };
  } catch (err) {
    if (err instanceof NotJsonData) return { ok: false, issue: { path: err.path, message: err.reason } };
    // A getter or proxy trap threw, or the stack ran out: the value cannot be read as data.
    return {
      ok: false,
      issue: { path: '', message: `cannot be read as JSON data (${describeThrown(err)})` },
    };
  }
}

function copy(
  value: unknown,
  path: string,
  depth: number,
  limits: JsonDataLimits,
  state: { nodes: number; ancestors: Set<object> },
): JsonData {
  state.nodes += 1;
  if (state.nodes > limits.maxNodes) throw new NotJsonData(path, `holds more than ${limits.maxNodes} values`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotJsonData(path, `must be a finite number, not ${String(value)}`);
    return Object.is(value, -0) ? 0 : value;
  }
  if (typeof value === 'string') {
    if (value.length > limits.maxStringLength) {
      throw new NotJsonData(path, `is a string longer than ${limits.maxStringLength} characters`);
    }
    return value;
  }
  if (typeof value !== 'object') throw new NotJsonData(path, `is ${typeof value}, which is not a JSON value`);
  if (depth >= limits.maxDepth)
    throw new NotJsonData(path, `is nested deeper than ${limits.maxDepth} levels`);
  if (state.ancestors.has(value)) throw new NotJsonData(path, 'refers to itself (a cycle)');
  state.ancestors.add(value);
  try {
    return Array.isArray(value)
      ? copyArray(value, path, depth, limits, state)
      : copyObject(value, path, depth, limits, state);
  } finally {
    state.ancestors.delete(value);
  }
}

function copyArray(
  value: readonly unknown[],
  path: string,
  depth: number,
  limits: JsonDataLimits,
  state: { nodes: number; ancestors: Set<object> },
): JsonData[] {
  const length = value.length;
  if (!Number.isSafeInteger(length) || length > limits.maxNodes) {
    throw new NotJsonData(path, `holds more than ${limits.maxNodes} values`);
  }
  const out: JsonData[] = [];
  for (let index = 0; index < length; index += 1) {
    const itemPath = `${path}/${index}`;
    if (!Object.hasOwn(value, index)) throw new NotJsonData(itemPath, 'is a hole in a sparse array');
    out.push(copy(value[index], itemPath, depth + 1, limits, state));
  }
  return out;
}

function copyObject(
  value: object,
  path: string,
  depth: number,
  limits: JsonDataLimits,
  state: { nodes: number; ancestors: Set<object> },
): { [key: string]: JsonData } {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new NotJsonData(path, 'is not a plain object (class instances such as Date or Map are not JSON)');
  }
  const out: { [key: string]: JsonData } = {};
  for (const key of Object.keys(value)) {
    const keyPath = `${path}/${pointerToken(key)}`;
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined) throw new NotJsonData(keyPath, 'is undefined (omit the field instead)');
    Object.defineProperty(out, key, {
      value: copy(item, keyPath, depth + 1, limits, state),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function describeThrown(err: unknown): string {
  if (err instanceof RangeError) return 'too deeply nested';
  if (err instanceof Error) return err.name;
  return 'a non-error was thrown';
}

/** Freezes a JSON value and everything inside it; returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
