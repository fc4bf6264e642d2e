import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AuditQueryErrorCode } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('AuditQueryErrorCode', () => {
  it('has unique ERR_AUDIT_ codes', () => {
    const codes = Object.values(AuditQueryErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^ERR_AUDIT_[A-Z_]+$/);
  });

  it('lists only codes the folder actually throws', async () => {
    const names = (await readdir(here)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    const source = (await Promise.all(names.map((name) => readFile(join(here, name), 'utf8')))).join('\n');
    for (const key of Object.keys(AuditQueryErrorCode))
      expect(source).toContain(`AuditQueryErrorCode.${key}`);
  });
});
