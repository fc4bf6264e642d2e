import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArtefactStore, openFsArtefactStore } from '../../artefacts/index.js';
import { directoryManifest, hashFile, manifestDigest, sha256Digest } from '../../digest/index.js';
import { RegistryErrorCode } from '../errors.js';
import { frozenDigest } from '../frozen-digest.js';
import { type ModelFiles, writeModelFiles } from '../test-support/model-files.js';
import { LOCAL_REGISTRY_FILE, LocalRegistry } from './local-registry.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('LocalRegistry', () => {
  let dir: string;
  let dbPath: string;
  let artefacts: ArtefactStore;
  let registry: LocalRegistry;
  let files: ModelFiles;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-local-'));
    dbPath = join(dir, LOCAL_REGISTRY_FILE);
    artefacts = await openFsArtefactStore(join(dir, 'artefacts'), { create: true });
    registry = LocalRegistry.open(dbPath, { create: true, artefacts });
    files = await writeModelFiles('local', { largeBytes: 4096 });
  });
  afterEach(async () => {
    await registry.close();
    await files.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const raw = (): Database.Database => new Database(dbPath);

  it('numbers versions 1, 2, 3 per model and keeps them across a reopen', async () => {
    await registry.createModel('credit');
    await registry.createModel('fraud');
    expect((await registry.registerVersion('credit', { path: files.dir })).version).toBe('1');
    expect((await registry.registerVersion('fraud', { path: files.dir })).version).toBe('1');
    const v2 = await registry.registerVersion('credit', { path: files.dir }, { runId: 'run-42' });
    expect(v2).toMatchObject({
      registry: 'local',
      model: 'credit',
      version: '2',
      runId: 'run-42',
      source: files.dir,
    });
    await registry.close();
    registry = LocalRegistry.open(dbPath, { artefacts });
    expect((await registry.listVersions('credit')).map((v) => v.version)).toEqual(['1', '2']);
    expect((await registry.listModels()).map((m) => m.name)).toEqual(['credit', 'fraud']);
  });

  it('refuses a model twice, a version of a missing model, and a missing path', async () => {
    await registry.createModel('credit');
    await expect(registry.createModel('credit')).rejects.toEqual(code(RegistryErrorCode.AlreadyExists));
    await expect(registry.registerVersion('absent', { path: files.dir })).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
    await expect(registry.registerVersion('credit', { path: join(dir, 'nope') })).rejects.toEqual(
      code(RegistryErrorCode.ArtefactUnavailable),
    );
    await expect(registry.registerVersion('credit', {} as never)).rejects.toEqual(
      code(RegistryErrorCode.InvalidArgument),
    );
    await expect(registry.registerVersion('credit', { path: files.dir }, { runId: 'a\nb' })).rejects.toEqual(
      code(RegistryErrorCode.InvalidArgument),
    );
  });

  it('treats SQL in a name as a name', async () => {
    const name = "x'); DROP TABLE models; --";
    await registry.createModel(name);
    await registry.registerVersion(name, { path: files.dir });
    await registry.setAlias(name, 'champion', '1');
    expect(await registry.resolveAlias(name, 'champion')).toBe('1');
    expect((await registry.listModels()).map((m) => m.name)).toEqual([name]);
  });

  it('fetches a single-file version, digested as the file', async () => {
    const path = join(files.dir, 'weights', 'model.bin');
    await registry.createModel('credit');
    await registry.registerVersion('credit', { path });
    const frozen = await frozenDigest(registry, 'credit', '1');
    expect(frozen).toMatchObject({ kind: 'file', files: 1 });
    expect(frozen.digest).toBe((await hashFile(path)).digest);
  });

  it('fetches versions registered by artefact digest: a directory manifest restores as the directory', async () => {
    const stored = await artefacts.putDirectory(files.dir);
    const blob = await artefacts.putBytes(new TextEncoder().encode('{"not": "a manifest"}'));
    await registry.createModel('credit');
    const asDirectory = await registry.registerVersion('credit', { digest: stored.digest });
    const asFile = await registry.registerVersion('credit', { digest: blob.digest });
    expect(asDirectory.location.kind).toBe('artefact-directory');
    expect(asFile.location.kind).toBe('artefact-file');
    const frozen = await frozenDigest(registry, 'credit', '1');
    // The manifest digest docket stored is the frozen digest of the restored directory: one identity for the bytes.
    expect(frozen.digest).toBe(stored.digest);
    expect(frozen.digest).toBe(manifestDigest(await directoryManifest(files.dir)));
    expect((await frozenDigest(registry, 'credit', '2')).digest).toBe(blob.digest);
  });

  it('refuses a digest that is not in the store, or when no store was given', async () => {
    await registry.createModel('credit');
    const missing = sha256Digest(new TextEncoder().encode('never stored'));
    await expect(registry.registerVersion('credit', { digest: missing })).rejects.toEqual(
      code(RegistryErrorCode.ArtefactUnavailable),
    );
    await expect(registry.registerVersion('credit', { digest: 'sha256:XYZ' as never })).rejects.toEqual(
      code(RegistryErrorCode.InvalidArgument),
    );
    const stored = await artefacts.putDirectory(files.dir);
    await registry.registerVersion('credit', { digest: stored.digest });
    const bare = LocalRegistry.open(dbPath);
    try {
      await expect(bare.registerVersion('credit', { digest: stored.digest })).rejects.toEqual(
        code(RegistryErrorCode.Unsupported),
      );
      await expect(bare.fetchArtefacts('credit', '1')).rejects.toEqual(
        code(RegistryErrorCode.ArtefactUnavailable),
      );
    } finally {
      await bare.close();
    }
  });

  it('reports a registered path that has gone, and refuses a symlink that appeared in it', async () => {
    const model = join(dir, 'model');
    await mkdir(model);
    await writeFile(join(model, 'weights.bin'), 'w');
    await registry.createModel('credit');
    await registry.registerVersion('credit', { path: model });
    await symlink('/etc/passwd', join(model, 'sneaky'));
    await expect(registry.fetchArtefacts('credit', '1', { tempDir: dir })).rejects.toEqual(
      code('ERR_DIGEST_SYMLINK'),
    );
    await rm(model, { recursive: true });
    await expect(registry.fetchArtefacts('credit', '1', { tempDir: dir })).rejects.toEqual(
      code(RegistryErrorCode.ArtefactUnavailable),
    );
  });

  it('keeps an append-only history of every alias change, moves only', async () => {
    await registry.createModel('credit');
    for (let i = 0; i < 3; i++) await registry.registerVersion('credit', { path: files.dir });
    await registry.setAlias('credit', 'champion', '1');
    await registry.setAlias('credit', 'champion', '1');
    await registry.setAlias('credit', 'champion', '2');
    await registry.setAlias('credit', 'challenger', '3');
    await registry.deleteAlias('credit', 'champion');
    await registry.deleteAlias('credit', 'champion');
    const history = await registry.aliasHistory('credit', 'champion');
    expect(history.map(({ fromVersion, toVersion }) => ({ fromVersion, toVersion }))).toEqual([
      { fromVersion: undefined, toVersion: '1' },
      { fromVersion: '1', toVersion: '2' },
      { fromVersion: '2', toVersion: undefined },
    ]);
    expect((await registry.aliasHistory('credit')).length).toBe(4);
    for (const change of history)
      expect(change.changedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await expect(registry.aliasHistory('absent')).rejects.toEqual(code(RegistryErrorCode.NotFound));
  });

  it('records an alias moved by ad-hoc SQL too, and the database refuses to rewrite history or versions', async () => {
    await registry.createModel('credit');
    await registry.registerVersion('credit', { path: files.dir });
    await registry.registerVersion('credit', { path: files.dir });
    await registry.setAlias('credit', 'champion', '1');
    const db = raw();
    try {
      db.prepare("UPDATE aliases SET version = 2, updated_at = 'sneaky' WHERE alias = 'champion'").run();
      expect(() => db.prepare('DELETE FROM alias_history').run()).toThrow(/append-only/);
      expect(() => db.prepare('UPDATE alias_history SET to_version = 1').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE versions SET location = '/elsewhere'").run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM versions').run()).toThrow(/immutable/);
      expect(() => db.prepare("UPDATE aliases SET alias = 'other'").run()).toThrow(/renamed/);
      const insert = db.prepare(
        "INSERT INTO versions (model, version, location_kind, location, created_at) VALUES ('credit', ?, 'file', '/x', 'now')",
      );
      expect(() => insert.run(7)).toThrow(/numbered/);
      expect(() => db.prepare("UPDATE aliases SET version = 9 WHERE alias = 'champion'").run()).toThrow(
        /FOREIGN KEY/,
      );
    } finally {
      db.close();
    }
    expect(await registry.resolveAlias('credit', 'champion')).toBe('2');
    const last = (await registry.aliasHistory('credit', 'champion')).at(-1);
    expect(last).toMatchObject({ fromVersion: '1', toVersion: '2', changedAt: 'sneaky' });
  });

  it('refuses a database of a newer docket, and a file that is not a database', async () => {
    await registry.close();
    const db = raw();
    db.pragma('user_version = 99');
    db.close();
    expect(() => LocalRegistry.open(dbPath)).toThrow(code(RegistryErrorCode.StoreFailed));
    const garbage = join(dir, 'garbage.db');
    await writeFile(garbage, 'this is not sqlite, just some text long enough to have a header............');
    expect(() => LocalRegistry.open(garbage)).toThrow(code(RegistryErrorCode.StoreFailed));
    expect(() => LocalRegistry.open(join(dir, 'absent.db'))).toThrow(code(RegistryErrorCode.StoreFailed));
    const fix = raw();
    fix.pragma('user_version = 1');
    fix.close();
    registry = LocalRegistry.open(dbPath);
  });

  it('keeps the registry durable: WAL with synchronous FULL and foreign keys on', () => {
    const db = (registry as unknown as { db: Database.Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
