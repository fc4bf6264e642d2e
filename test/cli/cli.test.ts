import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/test-support/shared.js';
import { runDocket, tempHome } from '../support/run-docket.js';

function tamper(home: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(home, 'ledger.db'));
  db.pragma('foreign_keys = OFF');
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
    name: string;
  }[]) {
    db.exec(`DROP TRIGGER ${name}`);
  }
  db.prepare(sql).run(...params);
  db.close();
}

describe('docket CLI', () => {
  let home: string;
  const docket = (args: string[], input?: string) =>
    runDocket(args, input === undefined ? { home } : { home, input });

  beforeEach(() => {
    home = tempHome();
    expect(docket(['init', '--origin', 'cli.docket.local/log']).status).toBe(0);
  });

  it('init refuses to overwrite an existing home (exit 4)', () => {
    const again = docket(['init']);
    expect(again.status).toBe(4);
    expect(again.stderr).toContain('ERR_HOME_EXISTS');
  });

  it('creates the ledger key 0600 and refuses to run with a world-readable key', async () => {
    const { statSync, chmodSync } = await import('node:fs');
    const key = join(home, 'keys', 'ledger.key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    chmodSync(key, 0o644);
    const run = docket(['artefact', 'put', '-', '--name', 'x'], 'x');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('ERR_KEY_FILE_PERMISSIONS');
  });

  it('verifies with the public key alone: an auditor needs no private key', async () => {
    docket(['artefact', 'put', '-', '--name', 'x'], 'x');
    const { rmSync } = await import('node:fs');
    rmSync(join(home, 'keys', 'ledger.key'));
    const run = docket(['log', 'verify']);
    expect(run.stdout).toContain('log verified');
    expect(run.status).toBe(0);
    expect(docket(['artefact', 'put', '-', '--name', 'y'], 'y').stderr).toContain('ERR_KEY_FILE_NOT_FOUND');
  });

  it('stores a file, a directory and stdin, lists them, and gets the same bytes back', () => {
    const file = docket([
      'artefact',
      'put',
      join(repoRoot, 'examples/tour/scores.csv'),
      '--kind',
      'dataset',
      '--json',
    ]);
    expect(file.status).toBe(0);
    const put = JSON.parse(file.stdout) as { digest: string; index: number; appended: boolean };
    expect(put).toMatchObject({ index: 0, appended: true });
    expect(docket(['artefact', 'put', join(repoRoot, 'examples/tour/model'), '--kind', 'model']).status).toBe(
      0,
    );
    const stdin = JSON.parse(docket(['artefact', 'put', '-', '--name', 'note', '--json'], 'hello\n').stdout);
    expect(stdin.size).toBe(6);
    const again = JSON.parse(
      docket(['artefact', 'put', join(repoRoot, 'examples/tour/scores.csv'), '--kind', 'dataset', '--json'])
        .stdout,
    );
    expect(again).toMatchObject({ digest: put.digest, index: 0, appended: false });

    const listed = JSON.parse(docket(['artefact', 'ls', '--json']).stdout) as { kind: string }[];
    expect(listed.map((r) => r.kind)).toEqual(['dataset', 'model', 'other']);
    const got = docket(['artefact', 'get', put.digest]);
    expect(got.stdout).toBe(readFileSync(join(repoRoot, 'examples/tour/scores.csv'), 'utf8'));
    const model = listed[1] as unknown as { digest: string };
    const out = join(dirname(home), 'restored');
    expect(docket(['artefact', 'get', model.digest, '--directory', '-o', out]).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['coefficients.csv', 'params.json']);
  });

  it('artefact verify names an artefact one of whose bytes changed, and exits 1', () => {
    const put = JSON.parse(
      docket(['artefact', 'put', '-', '--name', 'x', '--json'], 'important bytes\n').stdout,
    );
    const hex = (put.digest as string).slice('sha256:'.length);
    const blob = join(home, 'artefacts', 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
    const bytes = readFileSync(blob);
    bytes[0] = (bytes[0] ?? 0) ^ 0x20;
    writeFileSync(blob, bytes);
    const run = docket(['artefact', 'verify']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(put.digest);
    const get = docket(['artefact', 'get', put.digest]);
    expect(get.status).toBe(3);
    expect(get.stderr).toContain('ERR_ARTEFACT_CORRUPT');
  });

  it('artefact verify names recorded evidence whose bytes were deleted from the store, and exits 1', async () => {
    const put = JSON.parse(
      docket(['artefact', 'put', '-', '--name', 'gone', '--json'], 'soon deleted\n').stdout,
    );
    const hex = (put.digest as string).slice('sha256:'.length);
    const { rmSync } = await import('node:fs');
    rmSync(join(home, 'artefacts', 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2)));
    const run = docket(['artefact', 'verify']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`missing: ${put.digest} (other gone, recorded at log index ${put.index})`);
  });

  it('refuses to store a path that does not exist with a usage error, not a crash', () => {
    const run = docket(['artefact', 'put', join(home, 'no-such-file')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ENOENT');
    expect(run.stderr).not.toContain('unexpected failure');
  });

  it('reports an unreadable config.json as a home problem (exit 4), not a crash', async () => {
    const { rmSync, mkdirSync } = await import('node:fs');
    rmSync(join(home, 'config.json'));
    mkdirSync(join(home, 'config.json'));
    const run = docket(['log', 'verify']);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain('ERR_HOME_CONFIG_INVALID');
  });

  describe('log verify names what was tampered with and exits 1', () => {
    beforeEach(() => {
      for (let i = 0; i < 5; i++) docket(['artefact', 'put', '-', '--name', `e${i}`], `entry ${i}\n`);
      expect(docket(['log', 'verify']).status).toBe(0);
    });

    it('one byte of a stored entry', () => {
      const db = new Database(join(home, 'ledger.db'), { readonly: true });
      const row = db.prepare('SELECT envelope FROM entries WHERE idx = 2').get() as { envelope: Buffer };
      db.close();
      row.envelope[10] = (row.envelope[10] ?? 0) ^ 1;
      tamper(home, 'UPDATE entries SET envelope = ? WHERE idx = 2', row.envelope);
      const run = docket(['log', 'verify']);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/ENTRY_CORRUPT: entry 2/);
    });

    it('one byte of a stored tree hash', () => {
      const db = new Database(join(home, 'ledger.db'), { readonly: true });
      const row = db.prepare('SELECT hash FROM tree_nodes WHERE level = 2 AND idx = 0').get() as {
        hash: Buffer;
      };
      db.close();
      row.hash[31] = (row.hash[31] ?? 0) ^ 1;
      tamper(home, 'UPDATE tree_nodes SET hash = ? WHERE level = 2 AND idx = 0', row.hash);
      const run = docket(['log', 'verify']);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/NODE_MISMATCH: stored tree hash at level 2 index 0/);
    });

    it('one byte of a checkpoint', () => {
      tamper(
        home,
        "UPDATE checkpoints SET note = replace(note, 'cli.docket.local/log\n3', 'cli.docket.local/log\n4') WHERE tree_size = 3",
      );
      const run = docket(['log', 'verify']);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/CHECKPOINT_SIGNATURE: checkpoint at size 3/);
    });
  });

  it('refuses malformed arguments with usage errors (exit 2), never a crash', () => {
    for (const args of [
      ['log', 'prove', '-1'],
      ['log', 'prove', '007'],
      ['log', 'prove', '1e3'],
      ['log', 'entry', 'abc'],
      ['log', 'prove'],
      ['artefact', 'put'],
      ['no-such-command'],
    ]) {
      const run = docket(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('answers out-of-range requests with coded errors (exit 3)', () => {
    const run = docket(['log', 'prove', '5']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('ERR_LEDGER_OUT_OF_RANGE');
    const json = docket(['log', 'entry', '9', '--json']);
    expect(JSON.parse(json.stdout).error.code).toBe('ERR_LEDGER_ENTRY_NOT_FOUND');
    const digest = docket(['artefact', 'get', 'sha256:ABC']);
    expect(digest.status).toBe(3);
    expect(digest.stderr).toContain('ERR_DIGEST_MALFORMED');
  });

  it('has --help on every command', () => {
    for (const args of [
      [],
      ['init'],
      ['artefact'],
      ['artefact', 'put'],
      ['artefact', 'get'],
      ['artefact', 'verify'],
      ['artefact', 'ls'],
      ['log'],
      ['log', 'checkpoint'],
      ['log', 'key'],
      ['log', 'entry'],
      ['log', 'prove'],
      ['log', 'verify'],
    ]) {
      const run = docket([...args, '--help']);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout).toContain('Usage: docket');
    }
  });
});
