import { POLICY_ERRORS } from './errors.js';
import { policyError, policyIssue } from './policy-error.js';
import type { LoadedPolicy } from './types.js';
import { checkPolicyData } from './validate-policy.js';
import { readYaml } from './yaml-source.js';

/** Longest policy text accepted (characters); real policies are a few kilobytes. */
export const MAX_POLICY_TEXT_LENGTH = 256 * 1024;

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** Names the source in `file:line:column` locations, e.g. `policies/credit-risk.yaml`. */
  readonly sourceName?: string;
}

/**
 * Parses a YAML policy, validates it against schemas/policy.schema.json and its own consistency rules, and
 * returns it normalized and frozen with the digest every classification made with it will cite. Every problem is
 * reported with its `file:line:column`.
 *
 * @throws DocketError with a code of {@link POLICY_ERRORS}; `details.issues` lists `{ path, message, location, line, column }`
 * @example
 * const { policy, digest } = loadPolicy(readFileSync(file, 'utf8'), { sourceName: file });
 */
export function loadPolicy(yamlText: string, options: LoadPolicyOptions = {}): LoadedPolicy {
  const sourceName =
    typeof options?.sourceName === 'string' && options.sourceName !== '' ? options.sourceName : '<policy>';
  if (typeof yamlText !== 'string') {
    throw policyError(POLICY_ERRORS.NOT_TEXT, sourceName, `policy ${sourceName} must be YAML text`, [
      policyIssue(sourceName, '', `got ${yamlText === null ? 'null' : typeof yamlText}`, undefined),
    ]);
  }
  if (yamlText.length > MAX_POLICY_TEXT_LENGTH) {
    throw policyError(POLICY_ERRORS.TOO_LARGE, sourceName, `policy ${sourceName} is too large`, [
      policyIssue(
        sourceName,
        '',
        `${yamlText.length} characters; at most ${MAX_POLICY_TEXT_LENGTH} are accepted`,
        undefined,
      ),
    ]);
  }
  const source = readYaml(yamlText, sourceName);
  return checkPolicyData(source.data, { sourceName, locate: source.locate });
}
