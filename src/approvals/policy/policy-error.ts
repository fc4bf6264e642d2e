import { DocketError } from '../../errors/index.js';
import type { PolicyErrorCode, PolicyIssue } from './errors.js';

/** A 1-based position in the policy source. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

const MAX_ISSUES_IN_DETAILS = 100;
const MAX_ISSUES_IN_MESSAGE = 20;

/** Builds a {@link PolicyIssue}, placing it at `position` in `sourceName` when known. */
export function policyIssue(
  sourceName: string,
  path: string,
  message: string,
  position: SourcePosition | undefined,
): PolicyIssue {
  if (position === undefined) return { path, message, location: sourceName };
  return {
    path,
    message,
    location: `${sourceName}:${position.line}:${position.column}`,
    line: position.line,
    column: position.column,
  };
}

/**
 * The error for one or more policy issues. The message lists them one per line as `file:line:column: path message`
 * (compilers' format, so editors can jump to them); `details.issues` holds them all, up to 100.
 */
export function policyError(
  code: PolicyErrorCode,
  sourceName: string,
  summary: string,
  issues: readonly PolicyIssue[],
  cause?: unknown,
): DocketError<PolicyErrorCode> {
  const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => {
    const where = issue.path === '' ? '' : `${issue.path}: `;
    return `  ${issue.location}: ${where}${issue.message}`;
  });
  if (issues.length > MAX_ISSUES_IN_MESSAGE)
    shown.push(`  ... and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
  const message = shown.length === 0 ? summary : `${summary}\n${shown.join('\n')}`;
  return new DocketError(code, message, {
    details: {
      sourceName,
      issues: issues.slice(0, MAX_ISSUES_IN_DETAILS),
      issueCount: issues.length,
    },
    ...(cause === undefined ? {} : { cause }),
  });
}
