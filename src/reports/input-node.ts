import { canonicalJson, type Digest, isDigest, sha256Digest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import { REPORT_ERRORS, type ReportErrorCode } from './errors.js';

// Names shown to the approver: what schemas/change-manifest.schema.json allows for a name (no control,
// bidirectional-override or zero-width characters: they make two different names look the same).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const NAME = /^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]{1,256}$/;
// Free text: tabs and line breaks allowed, other control and bidirectional-override characters are not.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{1,20000}$/;
const MAX_SHOWN_VALUE = 60;

/** RFC 6901 §3: `~` is written `~0` and `/` is written `~1` inside a reference token. */
function pointerToken(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A report error naming the input file and the field (a JSON pointer) it is about. */
export function reportInputError(
  code: ReportErrorCode,
  file: string,
  field: string,
  message: string,
  cause?: unknown,
  extra: Readonly<Record<string, unknown>> = {},
): DocketError<ReportErrorCode> {
  const where = field === '' ? file : `${file}: ${field}`;
  return new DocketError(code, `${where}: ${message}`, {
    details: { ...extra, file, field },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * One value of a hostile JSON input and where it sits (file and JSON pointer), so that every refusal names the
 * file and field. Readers narrow it to the types the renderers use and throw ERR_REPORT_INPUT_INVALID otherwise.
 */
export class InputNode {
  private constructor(
    readonly file: string,
    readonly pointer: string,
    readonly value: unknown,
  ) {}

  /**
   * The root of an input document, copied through RFC 8785 canonical JSON: getters run once, proxies, cycles,
   * NaN and class instances are refused, and the digest of the canonical text identifies the content whatever
   * its key order or layout.
   */
  static root(value: unknown, file: string): { node: InputNode; contentDigest: Digest } {
    let text: string;
    try {
      text = canonicalJson(value);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw reportInputError(REPORT_ERRORS.INPUT_INVALID, file, '', `is not JSON data (${reason})`, cause);
    }
    const contentDigest = sha256Digest(new TextEncoder().encode(text));
    return { node: new InputNode(file, '', JSON.parse(text) as unknown), contentDigest };
  }

  /** Refuses this field with `message`. */
  fail(message: string): never {
    throw reportInputError(REPORT_ERRORS.INPUT_INVALID, this.file, this.pointer, message);
  }

  /**
   * The `[key, node]` pairs of an object, at most `maxMembers`, in the document's order (callers sort where the
   * order is shown). Keys are names shown to the approver (features, metrics, segments), so they are checked too.
   */
  members(maxMembers: number): [string, InputNode][] {
    const record = this.record();
    const keys = Object.keys(record);
    if (keys.length > maxMembers) this.fail(`has ${keys.length} members; at most ${maxMembers} are accepted`);
    return keys.map((key) => {
      const member = this.at(key, record[key]);
      if (!NAME.test(key)) {
        member.fail(
          'is named by a key that is not a name of 1 to 256 characters without control, bidirectional-override or zero-width characters',
        );
      }
      return [key, member];
    });
  }

  /** A required member of an object. */
  get(key: string): InputNode {
    const record = this.record();
    if (!Object.hasOwn(record, key)) this.at(key, undefined).fail('is required but missing');
    return this.at(key, record[key]);
  }

  /** An optional member of an object (absent or null gives undefined). */
  optional(key: string): InputNode | undefined {
    const record = this.record();
    if (!Object.hasOwn(record, key) || record[key] === null) return undefined;
    return this.at(key, record[key]);
  }

  /** The items of an array of at least `min` and at most `max` items. */
  items(min: number, max: number): InputNode[] {
    if (!Array.isArray(this.value)) this.fail(`must be an array, not ${describe(this.value)}`);
    const list = this.value as unknown[];
    if (list.length < min) this.fail(`must hold at least ${min} item${min === 1 ? '' : 's'}`);
    if (list.length > max) this.fail(`holds ${list.length} items; at most ${max} are accepted`);
    return list.map((item, index) => this.at(index, item));
  }

  /** A name shown to the approver (feature, metric, segment, model): 1 to 256 printable characters. */
  name(): string {
    const text = this.string();
    if (!NAME.test(text)) {
      this.fail(
        'must be a name of 1 to 256 characters without control, bidirectional-override or zero-width characters',
      );
    }
    return text;
  }

  /** Free text (a method, a definition): up to 20,000 characters, tabs and line breaks allowed. */
  text(): string {
    const text = this.string();
    if (!TEXT.test(text)) {
      this.fail('must be text of 1 to 20000 characters without control or bidirectional-override characters');
    }
    return text;
  }

  /** A `sha256:` digest. */
  digest(): Digest {
    const text = this.string();
    if (!isDigest(text))
      this.fail(`must be a sha256 digest ("sha256:" and 64 lowercase hex), not ${show(text)}`);
    return text;
  }

  /** A finite number within `[min, max]`. */
  number(range: { readonly min?: number; readonly max?: number } = {}): number {
    if (typeof this.value !== 'number') this.fail(`must be a number, not ${describe(this.value)}`);
    const value = this.value as number;
    if (range.min !== undefined && value < range.min)
      this.fail(`is ${value}; it must be at least ${range.min}`);
    if (range.max !== undefined && value > range.max)
      this.fail(`is ${value}; it must be at most ${range.max}`);
    return value;
  }

  /** A number within `[min, max]`, or null (not computed, e.g. NaN at the source). */
  nullableNumber(range: { readonly min?: number; readonly max?: number } = {}): number | null {
    return this.value === null ? null : this.number(range);
  }

  /** A whole number within `[min, max]`. */
  integer(min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    const value = this.number({ min, max });
    if (!Number.isInteger(value)) this.fail(`is ${value}; it must be a whole number`);
    return value;
  }

  /** The document's format version: only `1` is understood. */
  formatVersion(): 1 {
    if (this.value !== 1) this.fail(`is ${show(this.value)}; only format version 1 is understood`);
    return 1;
  }

  /** One of `allowed`. */
  oneOf<T extends string>(allowed: readonly T[]): T {
    const text = this.string();
    if (!(allowed as readonly string[]).includes(text)) {
      this.fail(`is ${show(text)}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return text as T;
  }

  private string(): string {
    if (typeof this.value !== 'string') this.fail(`must be a string, not ${describe(this.value)}`);
    return this.value as string;
  }

  private record(): Readonly<Record<string, unknown>> {
    const value = this.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(`must be an object, not ${describe(value)}`);
    }
    return value as Readonly<Record<string, unknown>>;
  }

  private at(key: string | number, value: unknown): InputNode {
    return new InputNode(this.file, `${this.pointer}/${pointerToken(key)}`, value);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${show(value)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}...` : text;
}
