import type { MaterialityClass } from '../policy/index.js';
import type { ClassificationReason } from './types.js';

/**
 * Defensive reads of the manifest. The classifier takes a parsed manifest, but it is the last line before the
 * approval rules, so it reads as if it had not been parsed: a value that is absent is `missing`, a value of the
 * wrong form is `unparseable`, and either becomes a reason that raises the class instead of an exception.
 */
export type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: 'missing' | 'unparseable'; readonly found: string };

const MISSING = { ok: false, problem: 'missing', found: 'nothing' } as const;

/** A pointer for messages and subjects: `/comparison/psi/features/age` (RFC 6901 escaping). */
export function pointer(path: readonly string[]): string {
  return path.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The own property at `path`, or undefined if any step is absent or not a mapping. */
function at(root: unknown, path: readonly string[]): Read<unknown> {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return unparseableOrMissing(node);
    if (!Object.hasOwn(node, key)) return MISSING;
    node = (node as Record<string, unknown>)[key];
  }
  return node === undefined ? MISSING : { ok: true, value: node };
}

function unparseableOrMissing(node: unknown): Read<never> {
  return node === undefined ? MISSING : { ok: false, problem: 'unparseable', found: describe(node) };
}

/** A short description of a value that is not what was expected. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** A mapping at `path` (its own keys are read with `Object.hasOwn`, never through the prototype). */
export function readMapping(root: unknown, path: readonly string[]): Read<Readonly<Record<string, unknown>>> {
  const read = at(root, path);
  if (!read.ok) return read;
  const value = read.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: 'unparseable', found: describe(value) };
  }
  return { ok: true, value: value as Readonly<Record<string, unknown>> };
}

/** A string at `path`. */
export function readText(root: unknown, path: readonly string[]): Read<string> {
  const read = at(root, path);
  if (!read.ok) return read;
  return typeof read.value === 'string'
    ? { ok: true, value: read.value }
    : { ok: false, problem: 'unparseable', found: describe(read.value) };
}

/** A list of strings at `path`, as a sorted set (duplicates and order dropped). */
export function readNameSet(root: unknown, path: readonly string[]): Read<readonly string[]> {
  const read = at(root, path);
  if (!read.ok) return read;
  const value = read.value;
  if (!Array.isArray(value)) return { ok: false, problem: 'unparseable', found: describe(value) };
  const names: string[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const item: unknown = value[index];
    if (typeof item !== 'string')
      return { ok: false, problem: 'unparseable', found: `a list holding ${describe(item)}` };
    names.push(item);
  }
  return { ok: true, value: sortedSet(names) };
}

/** A finite number at `path`; with `nonNegative`, negative numbers are unparseable too (PSI is never negative). */
export function readMeasure(
  root: unknown,
  path: readonly string[],
  options: { nonNegative: boolean },
): Read<number> {
  const read = at(root, path);
  if (!read.ok) return read;
  const value = read.value;
  if (value === null) return { ok: false, problem: 'unparseable', found: 'null (not computed)' };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, problem: 'unparseable', found: describe(value) };
  if (options.nonNegative && value < 0)
    return { ok: false, problem: 'unparseable', found: `${value} (negative)` };
  return { ok: true, value: Object.is(value, -0) ? 0 : value };
}

/** Distinct strings in code-unit order (locale-independent, so the same everywhere). */
export function sortedSet(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(compareCodeUnits);
}

/** Orders strings by UTF-16 code units, as RFC 8785 orders keys. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The reason for evidence that is missing or unusable: it raises the class to what the evidence could have shown. */
export function evidenceReason(
  failed: { readonly problem: 'missing' | 'unparseable'; readonly found: string },
  path: readonly string[],
  raisedTo: MaterialityClass,
  what: string,
): ClassificationReason {
  const where = pointer(path);
  if (failed.problem === 'missing') {
    return {
      rule: 'evidence-missing',
      class: raisedTo,
      subject: where,
      observed: null,
      message: `evidence missing: ${what} (${where}) is absent, so the class is raised to ${raisedTo}`,
    };
  }
  return {
    rule: 'evidence-unparseable',
    class: raisedTo,
    subject: where,
    observed: failed.found,
    message: `evidence unparseable: ${what} (${where}) is ${failed.found}, so the class is raised to ${raisedTo}`,
  };
}
