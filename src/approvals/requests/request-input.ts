import { randomBytes } from 'node:crypto';
import { type Digest, isDigest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import { RequestErrorCode } from './errors.js';
import type { EvidenceDigests, ModelVersionRef } from './records.js';

const REGISTRY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// A name chosen elsewhere (a registry's model name): no control, bidirectional-override or zero-width characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const NAME = /^[^\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]{1,256}$/;
// No '@' or '/': the `model-version` lookup key is `registry/model@version`, split at its last '@'.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
// Free text for people: tabs and line breaks allowed, other control and bidirectional overrides not.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{1,4000}$/;
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const REQUEST_ID = /^req-[0-9a-hjkmnp-tv-z]{10}$/;

/** Throws ERR_REQUEST_INVALID naming `field`. */
export function invalid(field: string, why: string): never {
  throw new DocketError(RequestErrorCode.Invalid, `${field}: ${why}`, { details: { field } });
}

/** A plain object with no fields but `allowed`, else ERR_REQUEST_INVALID (an unknown field is a typo or an attack). */
export function plainObject(
  value: unknown,
  field: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return invalid(field, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) invalid(field, `unknown field ${JSON.stringify(key.slice(0, 64))}`);
  }
  return value as Record<string, unknown>;
}

/** A well-formed `sha256:<64 hex>` digest, else ERR_REQUEST_INVALID naming `field`. */
export function digestField(value: unknown, field: string): Digest {
  if (!isDigest(value)) return invalid(field, 'must be a digest sha256:<64 lowercase hex>');
  return value;
}

/** A model version reference from hostile input. */
export function parseModelVersionRef(value: unknown, field: string): ModelVersionRef {
  const o = plainObject(value, field, ['registry', 'model', 'version', 'artefactDigest']);
  const { registry, model, version } = o;
  if (typeof registry !== 'string' || !REGISTRY.test(registry)) {
    invalid(`${field}.registry`, 'must be 1-64 of a-z 0-9 . _ - (e.g. local, mlflow-prod)');
  }
  if (typeof model !== 'string' || !NAME.test(model) || model.trim() !== model) {
    invalid(`${field}.model`, 'must be 1-256 printable characters without surrounding spaces');
  }
  if (typeof version !== 'string' || !VERSION.test(version)) {
    invalid(`${field}.version`, 'must be 1-128 of A-Z a-z 0-9 . _ + - (no @ or /)');
  }
  return {
    registry: registry as string,
    model: model as string,
    version: version as string,
    artefactDigest: digestField(o.artefactDigest, `${field}.artefactDigest`),
  };
}

/** The five evidence digests of a request, every one required, no other field. */
export function parseEvidenceDigests(value: unknown, field: string): EvidenceDigests {
  const o = plainObject(value, field, [
    'comparison',
    'explanation',
    'trainingDataset',
    'evaluationDataset',
    'changeManifest',
  ]);
  return {
    comparison: digestField(o.comparison, `${field}.comparison`),
    explanation: digestField(o.explanation, `${field}.explanation`),
    trainingDataset: digestField(o.trainingDataset, `${field}.trainingDataset`),
    evaluationDataset: digestField(o.evaluationDataset, `${field}.evaluationDataset`),
    changeManifest: digestField(o.changeManifest, `${field}.changeManifest`),
  };
}

/** An external ticket reference (information only), or null when absent. */
export function parseTicket(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !NAME.test(value) || value.trim() !== value) {
    return invalid('ticket', 'must be 1-256 printable characters without surrounding spaces');
  }
  return value;
}

/** Free text for people (a comment, a reason): 1-4000 characters, or null when absent. */
export function parseText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !TEXT.test(value)) {
    return invalid(field, 'must be 1-4000 characters without control or bidirectional-override characters');
  }
  return value;
}

/** A request id from hostile input: `req-` and 10 lowercase Crockford base32 characters. */
export function parseRequestId(value: unknown): string {
  if (typeof value !== 'string' || !REQUEST_ID.test(value)) {
    return invalid(
      'request id',
      `${JSON.stringify(String(value).slice(0, 40))} is not a request id (req-xxxxxxxxxx)`,
    );
  }
  return value;
}

/** A fresh request id: 50 random bits, short enough to type, unique enough with the ledger's conditional append. */
export function newRequestId(): string {
  const bytes = randomBytes(10);
  let id = 'req-';
  for (const byte of bytes) id += ID_ALPHABET[byte & 31];
  return id;
}
