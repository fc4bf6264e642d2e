import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('RegistryErrorCode', () => {
  it('has unique ERR_REGISTRY_ codes', () => {
    const codes = Object.values(RegistryErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^ERR_REGISTRY_[A-Z_]+$/);
  });

  it('lists only codes the folder actually throws', async () => {
    const names = (await readdir(here, { recursive: true })).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('test-support'),
    );
    const source = (await Promise.all(names.map((name) => readFile(join(here, name), 'utf8')))).join('\n');
    for (const key of Object.keys(RegistryErrorCode)) expect(source).toContain(`RegistryErrorCode.${key}`);
  });
});
