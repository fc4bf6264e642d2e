import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../test-support/shared.js';

// Codes that belong to libraries we map from (jose), and placeholders that never leave a test.
// Literals ending in `_` are prefixes that code matches families with (`startsWith('ERR_HOME_')`).
const FOREIGN = /^ERR_(JOSE|JWS|JWT|JWK|JWKS|JWE)_|^ERR_TEST_|^ERR_X_|^ERR_INTERNAL$|_$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-support' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('error codes', () => {
  it('docs/errors.md is generated from the sources and up to date', () => {
    const run = spawnSync(process.execPath, ['scripts/errors-doc.js', '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('every code the library throws is declared, with a description, in an errors.ts (so it is documented)', () => {
    const documented = new Set(
      readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8').match(/ERR_[A-Z0-9_]+/g),
    );
    const used = new Set<string>();
    for (const file of sources(join(repoRoot, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'(ERR_[A-Z0-9_]+)'/g)) used.add(m[1] as string);
    }
    const undocumented = [...used].filter((code) => !FOREIGN.test(code) && !documented.has(code));
    expect(undocumented).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });
});
