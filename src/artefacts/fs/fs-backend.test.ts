import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../digest/index.js';
import type { BackendEntry } from '../backend.js';
import { describeBackendConformance } from '../test-support/backend-conformance.js';
import { FsArtefactBackend } from './fs-backend.js';

describeBackendConformance('fs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'docket-fs-backend-'));
  return {
    backend: await FsArtefactBackend.open(root, { create: true }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('FsArtefactBackend on disk', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'docket-fs-layout-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('commits a blob read-only at blobs/sha256/<2 hex>/<62 hex>, leaving tmp/ empty', async () => {
    const backend = await FsArtefactBackend.open(root, { create: true });
    const bytes = new TextEncoder().encode('abc');
    const digest = sha256Digest(bytes);
    await (await backend.writeTemp(once(bytes))).commit(digest);
    const path = join(root, 'blobs/sha256/ba/7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const stats = await stat(path);
    expect(stats.size).toBe(3);
    expect(stats.mode & 0o777).toBe(0o444);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('opens an existing store again', async () => {
    const first = await FsArtefactBackend.open(root, { create: true });
    const digest = sha256Digest(new Uint8Array([1]));
    await (await first.writeTemp(once(new Uint8Array([1])))).commit(digest);
    expect(await (await FsArtefactBackend.open(root)).exists(digest)).toBe(true);
  });

  it('refuses to open a missing store unless asked to create it', async () => {
    await expect(FsArtefactBackend.open(join(root, 'typo'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_STORE_MISSING',
    });
    await expect(FsArtefactBackend.open(root)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_STORE_MISSING' });
    await FsArtefactBackend.open(root, { create: true });
    await FsArtefactBackend.open(root);
  });

  it('refuses a root whose blobs/ is a file', async () => {
    await mkdir(join(root, 'blobs'));
    await writeFile(join(root, 'blobs', 'sha256'), 'not a directory');
    await expect(FsArtefactBackend.open(root, { create: true })).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_IO',
    });
  });

  it('refuses a root whose tmp/ is a symlink (a rename out of it might cross filesystems)', async () => {
    await mkdir(join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(root, 'tmp'));
    await expect(FsArtefactBackend.open(root, { create: true })).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_STORE_INVALID',
    });
  });

  it('reports files that fit no digest as misnamed, and ignores them when listing', async () => {
    const backend = await FsArtefactBackend.open(root, { create: true });
    const digest = sha256Digest(new Uint8Array([7]));
    await (await backend.writeTemp(once(new Uint8Array([7])))).commit(digest);
    await mkdir(join(root, 'blobs/sha256/zz'));
    await writeFile(join(root, 'blobs/sha256/zz/whatever'), 'x');
    await writeFile(join(root, 'blobs/sha256/README'), 'x');
    await writeFile(join(root, 'blobs/sha256/ab/'.slice(0, -1)), 'a file where a shard should be');
    await writeFile(join(root, `blobs/sha256/${digest.slice(7, 9)}/${digest.slice(9).toUpperCase()}`), 'x');
    const entries: BackendEntry[] = [];
    for await (const entry of backend.scan()) entries.push(entry);
    expect(
      entries.filter((entry) => entry.kind === 'misnamed').map((entry) => (entry as { name: string }).name),
    ).toEqual(
      expect.arrayContaining([
        'blobs/sha256/README',
        'blobs/sha256/ab',
        'blobs/sha256/zz',
        `blobs/sha256/${digest.slice(7, 9)}/${digest.slice(9).toUpperCase()}`,
      ]),
    );
    const listed: string[] = [];
    for await (const listedDigest of backend.list()) listed.push(listedDigest);
    expect(listed).toEqual([digest]);
  });

  it('refuses a temp name that is a path', async () => {
    const backend = await FsArtefactBackend.open(root, { create: true });
    await expect(backend.removeTemp('../blobs')).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_INVALID_ARGUMENT',
    });
    await expect(backend.removeTemp('..')).rejects.toMatchObject({ code: 'ERR_ARTEFACT_INVALID_ARGUMENT' });
  });
});
