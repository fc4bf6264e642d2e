import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DigestErrorCode } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('DigestErrorCode', () => {
  it('has unique ERR_DIGEST_ and ERR_CANONICAL_JSON_ codes', () => {
    const codes = Object.values(DigestErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^ERR_(DIGEST|CANONICAL_JSON)_[A-Z_]+$/);
  });

  it('lists only codes the folder actually throws', async () => {
    const names = (await readdir(here, { recursive: true })).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('test-support'),
    );
    const source = (await Promise.all(names.map((name) => readFile(join(here, name), 'utf8')))).join('\n');
    for (const key of Object.keys(DigestErrorCode)) expect(source).toContain(`DigestErrorCode.${key}`);
  });
});
