import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initHome } from '../../home/index.js';
import { main } from '../main.js';

// In-process runs of `docket registry …` (the built binary is exercised by test/cli).
describe('docket registry', () => {
  let dir: string;
  let home: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-registry-cli-'));
    home = join(dir, 'home');
    await initHome(home, { origin: 'registry-cli.docket.local/log' });
    await mkdir(join(dir, 'model'));
    await writeFile(join(dir, 'model', 'weights.bin'), 'w');
  });
  afterEach(async () => {
    process.exitCode = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function docket(...args: string[]): Promise<{ status: number; json: unknown }> {
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const status = await main(['node', 'docket', '--home', home, '--json', ...args]);
      return { status, json: stdout.startsWith('{') || stdout.startsWith('[') ? JSON.parse(stdout) : stdout };
    } finally {
      write.mockRestore();
      stderr.mockRestore();
      process.exitCode = undefined;
    }
  }

  it('creates a model, registers versions, moves an alias and shows its history', async () => {
    expect((await docket('registry', 'model', 'create', 'credit')).status).toBe(0);
    const v1 = await docket(
      'registry',
      'version',
      'register',
      'credit',
      join(dir, 'model'),
      '--run-id',
      'r1',
    );
    expect(v1).toMatchObject({ status: 0, json: { model: 'credit', version: '1', runId: 'r1' } });
    await docket('registry', 'version', 'register', 'credit', join(dir, 'model', 'weights.bin'));
    expect((await docket('registry', 'alias', 'set', 'credit', 'champion', '1')).status).toBe(0);
    expect((await docket('registry', 'alias', 'set', 'credit', 'champion', '2')).status).toBe(0);
    expect((await docket('registry', 'alias', 'show', 'credit')).json).toEqual([
      { model: 'credit', alias: 'champion', version: '2' },
    ]);
    expect((await docket('registry', 'alias', 'delete', 'credit', 'champion')).status).toBe(0);
    const history = (await docket('registry', 'alias', 'history', 'credit', 'champion')).json as unknown[];
    expect(history).toMatchObject([
      { toVersion: '1' },
      { fromVersion: '1', toVersion: '2' },
      { fromVersion: '2' },
    ]);
    const versions = (await docket('registry', 'version', 'ls', 'credit')).json as {
      location: { kind: string };
    }[];
    expect(versions.map((v) => v.location.kind)).toEqual(['directory', 'file']);
  });

  it('has --help on every registry command', async () => {
    for (const args of [
      ['registry'],
      ['registry', 'model', 'create'],
      ['registry', 'model', 'ls'],
      ['registry', 'version', 'register'],
      ['registry', 'version', 'ls'],
      ['registry', 'alias', 'set'],
      ['registry', 'alias', 'delete'],
      ['registry', 'alias', 'show'],
      ['registry', 'alias', 'history'],
    ]) {
      const run = await docket(...args, '--help');
      expect(run.status, args.join(' ')).toBe(0);
      expect(String(run.json)).toContain('Usage: docket registry');
    }
  });

  it('exits 3 with the coded error for a refused operation', async () => {
    const missing = await docket('registry', 'alias', 'set', 'absent', 'champion', '1');
    expect(missing).toMatchObject({ status: 3, json: { error: { code: 'ERR_REGISTRY_NOT_FOUND' } } });
    const reserved = await docket('registry', 'alias', 'show', 'credit', 'latest');
    expect(reserved.status).toBe(3);
    await docket('registry', 'model', 'create', 'credit');
    const twice = await docket('registry', 'model', 'create', 'credit');
    expect(twice).toMatchObject({ status: 3, json: { error: { code: 'ERR_REGISTRY_ALREADY_EXISTS' } } });
  });
});
