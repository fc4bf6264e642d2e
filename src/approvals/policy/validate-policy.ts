import type { DocketError } from '../../errors/index.js';
import { consistencyIssues } from './consistency.js';
import { POLICY_ERRORS, type PolicyErrorCode, type PolicyIssue } from './errors.js';
import { deepFreeze, toJsonData } from './json-data.js';
import { digestPolicy } from './policy-digest.js';
import { policyError, policyIssue, type SourcePosition } from './policy-error.js';
import { schemaValidator } from './schema-validator.js';
import type { LoadedPolicy, Policy } from './types.js';

const policySchema = schemaValidator('policy.schema.json', { useDefaults: true });

/** Where policy data came from, to place issues: a name, and positions when the source was YAML. */
export interface PolicySource {
  readonly sourceName: string;
  readonly locate?: (pointer: string) => SourcePosition | undefined;
}

/** Options of {@link validatePolicy}. */
export interface ValidatePolicyOptions {
  /** Names the source in error messages, e.g. the artefact digest the policy was read from. */
  readonly sourceName?: string;
}

/**
 * Validates policy data that did not come from YAML (e.g. the canonical JSON stored when it was activated) and
 * returns it normalized (defaults filled in), deeply frozen, with its digest. Idempotent on its own output.
 *
 * @throws DocketError ERR_POLICY_INVALID, ERR_POLICY_INCONSISTENT (`details.issues` lists every problem)
 * @example
 * const { policy, digest } = validatePolicy(JSON.parse(storedBytes), { sourceName: artefactDigest });
 */
export function validatePolicy(value: unknown, options: ValidatePolicyOptions = {}): LoadedPolicy {
  const sourceName = typeof options?.sourceName === 'string' ? options.sourceName : '<policy>';
  return checkPolicyData(value, { sourceName });
}

/** Copy, schema, consistency, digest: the one path every policy takes, from YAML or from JSON. */
export function checkPolicyData(value: unknown, source: PolicySource): LoadedPolicy {
  const place = (issues: readonly { path: string; message: string }[]): PolicyIssue[] =>
    issues
      .map((issue) => policyIssue(source.sourceName, issue.path, issue.message, source.locate?.(issue.path)))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const fail = (
    code: PolicyErrorCode,
    summary: string,
    issues: readonly { path: string; message: string }[],
  ): DocketError =>
    policyError(code, source.sourceName, `policy ${source.sourceName} ${summary}`, place(issues));

  const copied = toJsonData(value);
  if (!copied.ok) throw fail(POLICY_ERRORS.INVALID, 'is not valid policy data', [copied.issue]);
  const data = copied.value;
  const schemaIssues = policySchema.validate(data);
  if (schemaIssues.length > 0)
    throw fail(POLICY_ERRORS.INVALID, 'does not match the policy schema', schemaIssues);
  const policy = deepFreeze(data as unknown as Policy);
  const contradictions = consistencyIssues(policy);
  if (contradictions.length > 0) throw fail(POLICY_ERRORS.INCONSISTENT, 'contradicts itself', contradictions);
  return Object.freeze({ policy, digest: digestPolicy(policy) });
}
