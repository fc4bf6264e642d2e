import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file, in src/ or dist/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared` beside the clone holds the vectors and data every developer and CI have; a user's fresh clone may
 * not. DOCKET_SHARED overrides the location.
 */
export const sharedDir = process.env.DOCKET_SHARED ?? resolve(repoRoot, '..', 'shared');

export const hasShared = existsSync(join(sharedDir, 'vectors'));

/** Path inside ../shared; tests that use it run under `describe.skipIf(!hasShared)` with this reason. */
export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

export const sharedMissingReason = `../shared is absent (looked in ${sharedDir}); known-answer tests that read it are skipped`;
