import { DocketError } from '../../errors/index.js';
import { deepFreeze, pointerToken, toJsonData } from '../policy/json-data.js';
import { schemaValidator } from '../policy/schema-validator.js';
import { CHANGE_MANIFEST_ERRORS, type ChangeManifestErrorCode, type ChangeManifestIssue } from './errors.js';
import type { ChangeManifest } from './types.js';

const manifestSchema = schemaValidator('change-manifest.schema.json', { useDefaults: false });

const MAX_ISSUES_IN_DETAILS = 100;
const MAX_ISSUES_IN_MESSAGE = 20;

/**
 * Validates a change manifest (already parsed from JSON) strictly against schemas/change-manifest.schema.json,
 * then checks it against itself, and returns a deeply frozen copy: later changes to `value` do not reach it.
 *
 * @throws DocketError ERR_CHANGE_MANIFEST_INVALID or ERR_CHANGE_MANIFEST_INCONSISTENT; `details.issues` lists paths
 * @example
 * const manifest = parseChangeManifest(JSON.parse(await readFile(path, 'utf8')));
 */
export function parseChangeManifest(value: unknown): ChangeManifest {
  const copied = toJsonData(value);
  if (!copied.ok) throw manifestError(CHANGE_MANIFEST_ERRORS.INVALID, 'is not JSON data', [copied.issue]);
  const schemaIssues = manifestSchema.validate(copied.value);
  if (schemaIssues.length > 0) {
    throw manifestError(
      CHANGE_MANIFEST_ERRORS.INVALID,
      'does not match the change-manifest schema',
      schemaIssues,
    );
  }
  const manifest = deepFreeze(copied.value as unknown as ChangeManifest);
  const contradictions = consistencyIssues(manifest);
  if (contradictions.length > 0) {
    throw manifestError(CHANGE_MANIFEST_ERRORS.INCONSISTENT, 'contradicts itself', contradictions);
  }
  return manifest;
}

function consistencyIssues(manifest: ChangeManifest): ChangeManifestIssue[] {
  const issues: ChangeManifestIssue[] = [];
  const { champion, challenger } = manifest;
  if (champion.model === challenger.model && champion.version === challenger.version) {
    issues.push({
      path: '/challenger/version',
      message: `the challenger is the champion itself (${challenger.model} version ${challenger.version})`,
    });
  }
  const known = new Set([...champion.features, ...challenger.features]);
  for (const feature of Object.keys(manifest.comparison.psi.features)) {
    if (!known.has(feature)) {
      issues.push({
        path: `/comparison/psi/features/${pointerToken(feature)}`,
        message: `PSI reported for ${JSON.stringify(feature)}, which is a feature of neither model`,
      });
    }
  }
  return issues;
}

function manifestError(
  code: ChangeManifestErrorCode,
  summary: string,
  issues: readonly ChangeManifestIssue[],
): DocketError<ChangeManifestErrorCode> {
  const lines = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map((issue) => `  ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
  if (issues.length > MAX_ISSUES_IN_MESSAGE)
    lines.push(`  ... and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
  return new DocketError(code, `change manifest ${summary}\n${lines.join('\n')}`, {
    details: { issues: issues.slice(0, MAX_ISSUES_IN_DETAILS), issueCount: issues.length },
  });
}
