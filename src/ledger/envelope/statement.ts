import { DocketError } from '../../errors/index.js';
import { canonicalJson } from './canonical-json.js';
import { EnvelopeErrorCode } from './errors.js';
import { parseStrictJson } from './strict-json.js';
import { isTypeUri } from './type-uri.js';

/** in-toto Statement v1 `_type`. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** DSSE payloadType of an in-toto Statement (in-toto attestation spec v1, envelope.md). */
export const STATEMENT_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Largest statement payload docket reads. */
export const MAX_STATEMENT_BYTES = 512 * 1024;
/** Most subjects in one statement, and the longest subject name. */
export const MAX_SUBJECTS = 1024;
export const MAX_SUBJECT_NAME_LENGTH = 1024;

/** An artefact the statement speaks of, by its SHA-256 digest (lowercase hex). */
export interface StatementSubject {
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

/** An in-toto Statement v1 as docket writes it: named subjects with sha256 digests, a typed predicate. */
export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly StatementSubject[];
  readonly predicateType: string;
  readonly predicate: Readonly<Record<string, unknown>>;
}

export interface StatementInput {
  readonly subject: readonly StatementSubject[];
  readonly predicateType: string;
  readonly predicate: Readonly<Record<string, unknown>>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(message: string, details: Record<string, unknown> = {}): DocketError {
  return new DocketError(EnvelopeErrorCode.StatementMalformed, message, { details });
}

function tooLarge(size: number): DocketError {
  return new DocketError(
    EnvelopeErrorCode.StatementTooLarge,
    `the statement is larger than ${MAX_STATEMENT_BYTES} bytes`,
    {
      details: { size, limit: MAX_STATEMENT_BYTES },
    },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// in-toto Statement v1 §Fields: subject, each with a digest (a DigestSet, lowercase hex per digest_set.md).
function readSubjects(value: unknown): StatementSubject[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SUBJECTS) {
    throw malformed(`subject must be an array of 1 to ${MAX_SUBJECTS} artefacts`);
  }
  const names = new Set<string>();
  return value.map((subject: unknown, i) => {
    if (!isRecord(subject)) throw malformed(`subject ${i} must be an object`, { subject: i });
    const { name, digest } = subject;
    if (
      typeof name !== 'string' ||
      name.length === 0 ||
      name.length > MAX_SUBJECT_NAME_LENGTH ||
      LONE_SURROGATE.test(name)
    ) {
      throw malformed(`subject ${i}: name must be a non-empty string of valid Unicode`, { subject: i });
    }
    if (names.has(name)) throw malformed(`subject ${i}: name ${name} is not unique`, { subject: i });
    names.add(name);
    if (!isRecord(digest) || Object.values(digest).some((v) => typeof v !== 'string')) {
      throw malformed(`subject ${i}: digest must be an object of strings`, { subject: i });
    }
    if (typeof digest.sha256 !== 'string' || !SHA256_HEX.test(digest.sha256)) {
      throw malformed(`subject ${i}: digest.sha256 must be 64 lowercase hex digits`, { subject: i });
    }
    return Object.freeze({ name, digest: Object.freeze({ sha256: digest.sha256 }) });
  });
}

function readStatement(value: unknown, predicateRequired: boolean): Statement {
  if (!isRecord(value)) throw malformed('a statement must be a JSON object');
  if (value._type !== STATEMENT_TYPE) throw malformed(`_type must be ${STATEMENT_TYPE}`);
  const subject = readSubjects(value.subject);
  if (!isTypeUri(value.predicateType)) {
    throw malformed('predicateType must be a URI with a lowercase scheme and authority');
  }
  // in-toto Statement v1: predicate is optional, "unset is treated the same as set-but-empty".
  const predicate = value.predicate === undefined && !predicateRequired ? {} : value.predicate;
  if (!isRecord(predicate)) throw malformed('predicate must be a JSON object');
  return Object.freeze({
    _type: STATEMENT_TYPE,
    subject: Object.freeze(subject),
    predicateType: value.predicateType,
    predicate,
  });
}

/**
 * Builds an in-toto Statement v1, checking it as parseStatement would; the predicate must be plain JSON data
 * and is copied, so later changes to the caller's object do not reach the statement.
 *
 * @example
 * const statement = makeStatement({
 *   subject: [{ name: 'model', digest: { sha256: '9f86d0…' } }],
 *   predicateType: 'https://docket.dev/promotion/v1',
 *   predicate: { approver: 'alice' },
 * });
 */
export function makeStatement(input: StatementInput): Statement {
  if (!isRecord(input)) throw malformed('a statement needs subject, predicateType and predicate');
  const predicate = JSON.parse(
    canonicalJson(input.predicate, EnvelopeErrorCode.StatementMalformed),
  ) as unknown;
  const statement = readStatement({ ...input, _type: STATEMENT_TYPE, predicate }, true);
  // Depth and size bound the whole document: encoding it now guarantees parseStatement reads it back.
  encodeStatement(statement);
  return statement;
}

/**
 * The statement's payload bytes: RFC 8785 canonical JSON, UTF-8.
 *
 * @example
 * signEnvelope(STATEMENT_PAYLOAD_TYPE, encodeStatement(statement), signer)
 */
export function encodeStatement(statement: Statement): Uint8Array {
  const checked = readStatement(statement, true);
  const bytes = new TextEncoder().encode(canonicalJson(checked, EnvelopeErrorCode.StatementMalformed));
  if (bytes.length > MAX_STATEMENT_BYTES) throw tooLarge(bytes.length);
  return bytes;
}

/**
 * Parses a statement payload strictly: UTF-8 JSON without duplicate keys, `_type` Statement v1, 1 to MAX_SUBJECTS
 * subjects with unique non-empty names and a lowercase-hex sha256 digest, a TypeURI predicateType, an object
 * predicate. Unknown fields, and digests of other algorithms, are ignored and left out of the result, as the
 * in-toto parsing rules require of consumers.
 *
 * @example
 * const statement = parseStatement(verifyEnvelope(envelope, verifiers).payload);
 */
export function parseStatement(payload: Uint8Array): Statement {
  if (!(payload instanceof Uint8Array)) throw malformed('a statement payload must be bytes');
  if (payload.length > MAX_STATEMENT_BYTES) throw tooLarge(payload.length);
  let text: string;
  try {
    text = utf8Decoder.decode(payload);
  } catch (cause) {
    throw new DocketError(EnvelopeErrorCode.StatementMalformed, 'the statement is not UTF-8', { cause });
  }
  return readStatement(parseStrictJson(text, EnvelopeErrorCode.StatementMalformed, 'the statement'), false);
}
