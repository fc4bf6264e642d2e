import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { EnvelopeErrorCode } from './errors.js';
import {
  encodeStatement,
  MAX_STATEMENT_BYTES,
  MAX_SUBJECTS,
  makeStatement,
  parseStatement,
  STATEMENT_TYPE,
  type StatementInput,
} from './statement.js';
import { MAX_JSON_DEPTH } from './strict-json.js';

const SHA = createHash('sha256').update('model').digest('hex');
const input: StatementInput = {
  subject: [{ name: 'model', digest: { sha256: SHA } }],
  predicateType: 'https://docket.dev/promotion/v1',
  predicate: { approver: 'alice', class: 1 },
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (value: unknown) => utf8(JSON.stringify(value));
const raw = { _type: STATEMENT_TYPE, ...input };

describe('makeStatement / encodeStatement', () => {
  it('builds an in-toto Statement v1 and encodes it as RFC 8785 canonical JSON', () => {
    const statement = makeStatement(input);
    expect(statement).toEqual(raw);
    expect(Buffer.from(encodeStatement(statement)).toString('utf8')).toBe(
      `{"_type":"https://in-toto.io/Statement/v1","predicate":{"approver":"alice","class":1},"predicateType":"https://docket.dev/promotion/v1","subject":[{"digest":{"sha256":"${SHA}"},"name":"model"}]}`,
    );
  });

  it('copies the predicate and keeps only name and sha256 of each subject', () => {
    const predicate = { nested: { n: 1 } };
    const subject = [{ name: 'm', digest: { sha256: SHA }, extra: true }];
    const statement = makeStatement({ ...input, subject, predicate });
    predicate.nested.n = 2;
    expect(statement.predicate).toEqual({ nested: { n: 1 } });
    expect(statement.subject).toEqual([{ name: 'm', digest: { sha256: SHA } }]);
  });

  it.each([
    ['no subject', { subject: [] }],
    ['a subject without a digest', { subject: [{ name: 'm' }] }],
    ['an uppercase digest', { subject: [{ name: 'm', digest: { sha256: SHA.toUpperCase() } }] }],
    ['a short digest', { subject: [{ name: 'm', digest: { sha256: SHA.slice(1) } }] }],
    ['a prefixed digest', { subject: [{ name: 'm', digest: { sha256: `sha256:${SHA}` } }] }],
    ['an empty subject name', { subject: [{ name: '', digest: { sha256: SHA } }] }],
    ['repeated subject names', { subject: [input.subject[0], input.subject[0]] }],
    ['a predicateType that is not a URI', { predicateType: 'promotion' }],
    ['a predicateType with uppercase scheme', { predicateType: 'HTTPS://docket.dev/x' }],
    ['a predicateType with uppercase host', { predicateType: 'https://Docket.dev/x' }],
    ['a predicateType with a space', { predicateType: 'https://docket.dev/a b' }],
    ['a predicateType with non-ASCII', { predicateType: 'https://docket.dev/é' }],
    ['a predicate that is an array', { predicate: [] }],
    ['a predicate that is null', { predicate: null }],
    ['a missing predicate', { predicate: undefined }],
    ['a predicate with a Date', { predicate: { at: new Date(0) } }],
    ['a predicate with undefined', { predicate: { a: undefined } }],
    ['a predicate with NaN', { predicate: { a: Number.NaN } }],
    ['a predicate with a bigint', { predicate: { a: 1n } }],
  ])('refuses %s', (_why, change) => {
    expect(errorCodeOf(() => makeStatement({ ...input, ...change } as StatementInput))).toBe(
      EnvelopeErrorCode.StatementMalformed,
    );
  });

  it('refuses what parseStatement could not read back: a document too deep or too large', () => {
    // 63 nested arrays in the predicate are 65 levels of the statement, one more than MAX_JSON_DEPTH.
    const deep = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}`);
    expect(errorCodeOf(() => makeStatement({ ...input, predicate: { deep } }))).toBe(
      EnvelopeErrorCode.StatementMalformed,
    );
    const shallower = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH - 2)}${']'.repeat(MAX_JSON_DEPTH - 2)}`);
    const statement = makeStatement({ ...input, predicate: { deep: shallower } });
    expect(parseStatement(encodeStatement(statement))).toEqual(statement);
    expect(
      errorCodeOf(() => makeStatement({ ...input, predicate: { blob: 'x'.repeat(MAX_STATEMENT_BYTES) } })),
    ).toBe(EnvelopeErrorCode.StatementTooLarge);
  });

  it('refuses a cyclic predicate', () => {
    const predicate: Record<string, unknown> = {};
    predicate.self = predicate;
    expect(errorCodeOf(() => makeStatement({ ...input, predicate }))).toBe(
      EnvelopeErrorCode.StatementMalformed,
    );
  });
});

describe('parseStatement', () => {
  it('parses what encodeStatement writes, and ordinary JSON spellings of it', () => {
    const statement = makeStatement(input);
    expect(parseStatement(encodeStatement(statement))).toEqual(statement);
    expect(parseStatement(utf8(JSON.stringify(raw, null, 2)))).toEqual(statement);
  });

  it('ignores unknown fields and other digest algorithms, and reads a missing predicate as {}', () => {
    const extended = {
      ...raw,
      'https://example.com/ext': { x: 1 },
      subject: [{ name: 'model', digest: { sha256: SHA, sha512: 'ab', gitCommit: 'cd' }, uri: 'pkg:x' }],
    };
    expect(parseStatement(json(extended))).toEqual(makeStatement(input));
    const { predicate: _, ...bare } = raw;
    expect(parseStatement(json(bare)).predicate).toEqual({});
  });

  it.each([
    ['not JSON', utf8('statement')],
    ['not UTF-8', Uint8Array.of(0x7b, 0xc3, 0x7d)],
    ['a JSON array', json([raw])],
    ['no _type', json({ ...raw, _type: undefined })],
    ['the v0.1 _type', json({ ...raw, _type: 'https://in-toto.io/Statement/v0.1' })],
    ['a subject that is not an array', json({ ...raw, subject: raw.subject[0] })],
    ['a subject entry that is not an object', json({ ...raw, subject: ['model'] })],
    [
      'a subject name that is not a string',
      json({ ...raw, subject: [{ name: 1, digest: { sha256: SHA } }] }),
    ],
    [
      'a digest value that is not a string',
      json({ ...raw, subject: [{ name: 'm', digest: { sha256: SHA, md5: 1 } }] }),
    ],
    ['a digest without sha256', json({ ...raw, subject: [{ name: 'm', digest: { sha512: SHA } }] })],
    ['a predicateType that is not a string', json({ ...raw, predicateType: 7 })],
    ['a predicate that is a string', json({ ...raw, predicate: 'approved' })],
    ['a repeated key', utf8(`{"_type":"x",${JSON.stringify(raw).slice(1)}`)],
    [
      'a repeated subject key',
      utf8(JSON.stringify(raw).replace('"name":"model"', '"name":"model","name":"other"')),
    ],
    [
      'nesting deeper than MAX_JSON_DEPTH',
      json({
        ...raw,
        predicate: { deep: JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`) },
      }),
    ],
    [
      'too many subjects',
      json({
        ...raw,
        subject: Array.from({ length: MAX_SUBJECTS + 1 }, (_, i) => ({
          name: `m${i}`,
          digest: { sha256: SHA },
        })),
      }),
    ],
    [
      'a huge subject name',
      json({ ...raw, subject: [{ name: 'm'.repeat(100_000), digest: { sha256: SHA } }] }),
    ],
  ])('refuses %s', (_why, bytes) => {
    expect(errorCodeOf(() => parseStatement(bytes))).toBe(EnvelopeErrorCode.StatementMalformed);
  });

  it('refuses more than MAX_STATEMENT_BYTES, and input that is not bytes', () => {
    const huge = json({ ...raw, predicate: { blob: 'x'.repeat(MAX_STATEMENT_BYTES) } });
    expect(errorCodeOf(() => parseStatement(huge))).toBe(EnvelopeErrorCode.StatementTooLarge);
    expect(errorCodeOf(() => parseStatement(JSON.stringify(raw) as unknown as Uint8Array))).toBe(
      EnvelopeErrorCode.StatementMalformed,
    );
  });
});
