import { DocketError } from '../errors/index.js';
import type { DecodedEntry } from '../ledger/index.js';
import { LEGACY_STAGES, type LegacyStage, type PromotionTarget } from '../registries/index.js';
import { PromotionErrorCode } from './errors.js';
import { promotionEventProblems } from './event-schema.js';
import {
  PROMOTION_RECORD,
  type PromotionPredicate,
  type RecordedPromotion,
  type RecordedTransition,
  type TransitionOutcome,
  type TransitionPredicate,
  type TransitionReason,
} from './records.js';

const REASONS: readonly TransitionReason[] = ['promotion', 'resume', 'reconcile'];
const OUTCOMES: readonly TransitionOutcome[] = ['applied', 'applied-observed', 'failed'];
const LEAF_HASH = /^[A-Za-z0-9+/]{43}=$/;

/**
 * A `promotion` entry read back and checked against schemas/promotion-event.schema.json. The entry is signed, so
 * this is not about forgery: a record from another docket version, or a bug, is refused by name, never half-read.
 *
 * @throws DocketError ERR_PROMOTION_RECORD_MALFORMED naming the entry and the schema problems
 */
export function readPromotionEntry(entry: DecodedEntry): RecordedPromotion {
  if (entry.recordType !== PROMOTION_RECORD.promotion) malformed(entry.index, 'it is not a promotion record');
  const problems = promotionEventProblems(entry.statement.predicate);
  if (problems.length > 0) {
    malformed(entry.index, `it does not match the promotion event schema: ${problems.join('; ')}`, problems);
  }
  return {
    index: entry.index,
    leafHash: entry.leafHash,
    recordedAt: entry.recordedAt,
    predicate: entry.statement.predicate as unknown as PromotionPredicate,
  };
}

/**
 * A `transition` entry read back, field by field.
 *
 * @throws DocketError ERR_PROMOTION_RECORD_MALFORMED naming the entry and the field
 */
export function readTransitionEntry(entry: DecodedEntry): RecordedTransition {
  const at = entry.index;
  if (entry.recordType !== PROMOTION_RECORD.transition) malformed(at, 'it is not a transition record');
  const p = entry.statement.predicate;
  const str = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value.length === 0) malformed(at, `${field} is not a non-empty string`);
    return value as string;
  };
  const oneOf = <T extends string>(value: unknown, allowed: readonly T[], field: string): T => {
    if (!allowed.includes(value as T)) malformed(at, `${field} is not one of ${allowed.join(', ')}`);
    return value as T;
  };
  const error = p.error;
  let parsedError: TransitionPredicate['error'] = null;
  if (error !== null) {
    const e = object(error, at, 'error');
    parsedError = { code: str(e.code, 'error.code'), message: str(e.message, 'error.message') };
  }
  const promotion = object(p.promotion, at, 'promotion');
  if (!Number.isSafeInteger(promotion.index) || (promotion.index as number) < 0) {
    malformed(at, 'promotion.index is not a log index');
  }
  if (typeof promotion.leafHash !== 'string' || !LEAF_HASH.test(promotion.leafHash)) {
    malformed(at, 'promotion.leafHash is not a base64 leaf hash');
  }
  const predicate: TransitionPredicate = {
    requestId: str(p.requestId, 'requestId'),
    reason: oneOf(p.reason, REASONS, 'reason'),
    outcome: oneOf(p.outcome, OUTCOMES, 'outcome'),
    error: parsedError,
    registry: str(p.registry, 'registry'),
    registryId: str(p.registryId, 'registryId'),
    model: str(p.model, 'model'),
    target: readTarget(p.target, at),
    fromVersion: p.fromVersion === null ? null : str(p.fromVersion, 'fromVersion'),
    toVersion: str(p.toVersion, 'toVersion'),
    promotion: { index: promotion.index as number, leafHash: promotion.leafHash as string },
    docketVersion: str(p.docketVersion, 'docketVersion'),
  };
  if (predicate.outcome === 'failed' && predicate.error === null)
    malformed(at, 'a failed transition has no error');
  return { index: at, leafHash: entry.leafHash, recordedAt: entry.recordedAt, predicate };
}

function readTarget(value: unknown, index: number): PromotionTarget {
  const t = object(value, index, 'target');
  if (t.kind === 'alias' && typeof t.alias === 'string' && t.alias.length > 0) {
    return { kind: 'alias', alias: t.alias };
  }
  if (t.kind === 'stage' && LEGACY_STAGES.includes(t.stage as LegacyStage)) {
    return { kind: 'stage', stage: t.stage as LegacyStage };
  }
  return malformed(index, 'target is neither an alias nor a legacy stage');
}

function object(value: unknown, index: number, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    malformed(index, `${field} is not an object`);
  return value as Readonly<Record<string, unknown>>;
}

function malformed(index: number, why: string, problems?: readonly string[]): never {
  throw new DocketError(PromotionErrorCode.RecordMalformed, `log entry ${index}: ${why}`, {
    details: { index, ...(problems === undefined ? {} : { problems }) },
  });
}
