/**
 * Stable codes of the errors {@link parseChangeManifest} throws, each a {@link DocketError} whose
 * `details.issues` lists `{ path, message }` (path is a JSON pointer into the manifest).
 */
export const CHANGE_MANIFEST_ERRORS = {
  /** The manifest is not JSON data or does not match schemas/change-manifest.schema.json (unknown fields included). */
  INVALID: 'ERR_CHANGE_MANIFEST_INVALID',
  /** The manifest matches the schema but contradicts itself (PSI for a feature neither model has, champion = challenger). */
  INCONSISTENT: 'ERR_CHANGE_MANIFEST_INCONSISTENT',
} as const;

/** One of the {@link CHANGE_MANIFEST_ERRORS} codes. */
export type ChangeManifestErrorCode = (typeof CHANGE_MANIFEST_ERRORS)[keyof typeof CHANGE_MANIFEST_ERRORS];

/** One problem found in a change manifest. */
export interface ChangeManifestIssue {
  readonly path: string;
  readonly message: string;
}
