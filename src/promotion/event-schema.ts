import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** The repository file of the promotion event's JSON Schema (shipped in the package's `schemas/`). */
export const PROMOTION_EVENT_SCHEMA_FILE = 'promotion-event.schema.json';

let compiled: ValidateFunction | undefined;

/** The schema as data; the path is the same from src/promotion/ and from dist/promotion/. */
export function promotionEventSchema(): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../../schemas/${PROMOTION_EVENT_SCHEMA_FILE}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}

/**
 * Checks a promotion event's predicate (as read back from the ledger, with `recordedAt` and `prev`) against
 * schemas/promotion-event.schema.json, compiled once with Ajv in strict mode. Returns the problems, one line each
 * (`/pointer message`); empty when it conforms.
 *
 * @example
 * promotionEventProblems(entry.statement.predicate); // []
 */
export function promotionEventProblems(predicate: unknown): string[] {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    compiled = ajv.compile(promotionEventSchema());
  }
  if (compiled(predicate)) return [];
  return (compiled.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
  );
}
