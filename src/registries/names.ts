import { DocketError } from '../errors/index.js';
import { RegistryErrorCode } from './errors.js';
import { LEGACY_STAGES, type LegacyStage } from './model-registry.js';
import { hasUnprintable } from './text.js';

/** MLflow's registered-model name column is VARCHAR(256). */
export const MAX_MODEL_NAME_LENGTH = 256;
/** MLflow's MAX_REGISTERED_MODEL_ALIAS_LENGTH. */
export const MAX_ALIAS_LENGTH = 255;
/** MLflow's MAX_MODEL_REGISTRY_TAG_KEY_LENGTH. */
export const MAX_TAG_KEY_LENGTH = 250;
/** Far below MLflow's 100,000: a tag is a pointer to a docket event, not a payload. */
export const MAX_TAG_VALUE_LENGTH = 8000;

// Portable subset of MLflow's `^[\w\-]*$` (Python's \w is Unicode-aware; ASCII keeps every backend agreeing).
const ALIAS = /^[A-Za-z0-9_-]+$/;
// MLflow reserves "v<digits>" aliases for version references (mlflow/utils/validation.py).
const VERSION_ALIAS = /^[vV][0-9]+$/;
// Versions are positive decimal integers (MLflow's `int(version)`), small enough to stay exact in a JS number.
const VERSION = /^[1-9][0-9]{0,14}$/;
const TAG_KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks a registered model name: 1 to 256 characters, no control character, no surrounding whitespace, and none
 * of the characters MLflow refuses ('/' and ':', and the names '.' and '..').
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 * @example
 * checkModelName('credit-decisioning');
 */
export function checkModelName(name: unknown): asserts name is string {
  const text = requireString(name, 'model name');
  if (text.length === 0 || text.length > MAX_MODEL_NAME_LENGTH) {
    throw invalid(`model name must have 1 to ${MAX_MODEL_NAME_LENGTH} characters`, 'model', text);
  }
  if (text.trim() !== text) throw invalid('model name has surrounding whitespace', 'model', text);
  if (hasUnprintable(text)) {
    throw invalid('model name contains a control character or invalid Unicode', 'model', text);
  }
  if (text.includes('/') || text.includes(':'))
    throw invalid("model name contains '/' or ':'", 'model', text);
  if (text === '.' || text === '..')
    throw invalid(`model name ${JSON.stringify(text)} is reserved`, 'model', text);
}

/**
 * Checks an alias: 1 to 255 of `[A-Za-z0-9_-]`, and not one MLflow reserves (`latest` in any case, `v<digits>`).
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 * @example
 * checkAlias('champion');
 */
export function checkAlias(alias: unknown): asserts alias is string {
  const text = requireString(alias, 'alias');
  if (text.length === 0 || text.length > MAX_ALIAS_LENGTH || !ALIAS.test(text)) {
    throw invalid(`alias must be 1 to ${MAX_ALIAS_LENGTH} letters, digits, '_' or '-'`, 'alias', text);
  }
  if (text.toLowerCase() === 'latest' || VERSION_ALIAS.test(text)) {
    throw invalid(`alias ${JSON.stringify(text)} is reserved by MLflow`, 'alias', text);
  }
}

/**
 * Checks a version: a positive decimal integer without leading zeros ("1", "17").
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 */
export function checkVersion(version: unknown): asserts version is string {
  const text = requireString(version, 'version');
  if (!VERSION.test(text)) {
    throw invalid('version must be a positive decimal integer without leading zeros', 'version', text);
  }
}

/**
 * Checks a version tag key (`[A-Za-z0-9_.-]`, at most 250) and value (at most 8000 characters, no control
 * character).
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 */
export function checkTag(key: unknown, value: unknown): asserts key is string {
  const k = requireString(key, 'tag key');
  if (k.length === 0 || k.length > MAX_TAG_KEY_LENGTH || !TAG_KEY.test(k) || k === '.' || k === '..') {
    throw invalid(`tag key must be 1 to ${MAX_TAG_KEY_LENGTH} letters, digits, '_', '.' or '-'`, 'key', k);
  }
  const v = requireString(value, 'tag value');
  if (v.length > MAX_TAG_VALUE_LENGTH || hasUnprintable(v)) {
    throw invalid(
      `tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters without control characters`,
      'value',
      v,
    );
  }
}

/**
 * Parses a legacy stage name, case-insensitively as MLflow does, into its canonical spelling.
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 * @example
 * parseStage('production'); // 'Production'
 */
export function parseStage(stage: unknown): LegacyStage {
  const text = requireString(stage, 'stage');
  const found = LEGACY_STAGES.find((s) => s.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw invalid(`stage must be one of ${LEGACY_STAGES.join(', ')}`, 'stage', text);
  return found;
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new DocketError(RegistryErrorCode.InvalidArgument, `${what} must be a string`, {
      details: { type: value === null ? 'null' : typeof value },
    });
  }
  return value;
}

function invalid(message: string, field: string, value: string): DocketError {
  return new DocketError(RegistryErrorCode.InvalidArgument, message, {
    details: { field, value: value.slice(0, 256) },
  });
}
