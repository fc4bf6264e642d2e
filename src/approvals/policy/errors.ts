/**
 * Stable codes of the errors the policy loader throws, each a {@link DocketError} whose `details.issues` lists
 * `{ path, message, line?, column? }` (path is a JSON pointer into the policy; line and column are 1-based and
 * present when the policy came from YAML text).
 *
 * @example
 * try { loadPolicy(text, { sourceName: 'policy.yaml' }) } catch (err) {
 *   if (isDocketError(err) && err.code === POLICY_ERRORS.INVALID) showIssues(err.details.issues);
 * }
 */
export const POLICY_ERRORS = {
  /** The policy text is not a string, or the options are malformed. */
  NOT_TEXT: 'ERR_POLICY_NOT_TEXT',
  /** The policy text is longer than the loader accepts ({@link MAX_POLICY_TEXT_LENGTH}). */
  TOO_LARGE: 'ERR_POLICY_TOO_LARGE',
  /** The text is not well-formed YAML (or holds several documents). */
  YAML_SYNTAX: 'ERR_POLICY_YAML_SYNTAX',
  /** A mapping holds the same key twice (also `1` and `"1"`, which become the same JSON key). */
  YAML_DUPLICATE_KEY: 'ERR_POLICY_YAML_DUPLICATE_KEY',
  /** Aliases expand past the limit (an alias "billion laughs" bomb), or refer to themselves. */
  YAML_ALIAS_LIMIT: 'ERR_POLICY_YAML_ALIAS_LIMIT',
  /** YAML features a policy may not use: tags (`!!binary`, `!foo`), non-scalar keys, a `%YAML 1.1` directive. */
  YAML_UNSUPPORTED: 'ERR_POLICY_YAML_UNSUPPORTED',
  /** The document root is not a mapping (an empty file, a list, a scalar). */
  NOT_A_MAPPING: 'ERR_POLICY_NOT_A_MAPPING',
  /** The policy does not match schemas/policy.schema.json (wrong type, unknown field, missing field...). */
  INVALID: 'ERR_POLICY_INVALID',
  /** The policy matches the schema but contradicts itself (a role no claim grants, quorum above committee size...). */
  INCONSISTENT: 'ERR_POLICY_INCONSISTENT',
} as const;

/** One of the {@link POLICY_ERRORS} codes. */
export type PolicyErrorCode = (typeof POLICY_ERRORS)[keyof typeof POLICY_ERRORS];

/**
 * One problem found in a policy. `path` is a JSON pointer into the policy (`''` for the root); `line`/`column`
 * (1-based) locate it in the YAML source when known; `location` is `source:line:column` (or `source`).
 */
export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
  readonly location: string;
  readonly line?: number;
  readonly column?: number;
}
