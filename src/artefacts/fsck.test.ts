import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Digest, sha256Digest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import { ArtefactStore } from './artefact-store.js';
import type { ArtefactBackend } from './backend.js';
import { type FsStoreFixture, makeFsStoreFixture } from './test-support/fs-store-fixture.js';

let fx: FsStoreFixture;
beforeEach(async () => {
  fx = await makeFsStoreFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('ArtefactStore.verify', () => {
  it('reports a healthy store as ok, counting blobs, bytes and manifests', async () => {
    await mkdir(join(fx.work, 'model'));
    await writeFile(join(fx.work, 'model', 'weights.bin'), randomBytes(1000));
    await writeFile(join(fx.work, 'model', 'config.json'), '{}');
    await fx.store.putDirectory(join(fx.work, 'model'));
    await fx.store.putBytes(new TextEncoder().encode('{"files":[1]}'));
    const report = await fx.store.verify();
    expect(report).toMatchObject({ ok: true, blobs: 4, manifests: 1, problems: [] });
    expect(report.bytes).toBeGreaterThan(1002);
  });

  it('names the digest of a blob with one flipped byte, and of a truncated one', async () => {
    const flipped = await fx.store.putBytes(randomBytes(5000));
    const truncated = await fx.store.putBytes(randomBytes(5000));
    const healthy = await fx.store.putBytes(randomBytes(5000));
    await fx.flipByte(flipped.digest, 4999);
    await fx.truncateBlob(truncated.digest, 100);
    const report = await fx.store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'corrupt', digest: flipped.digest, size: 5000 }),
        expect.objectContaining({ kind: 'corrupt', digest: truncated.digest, size: 100 }),
      ]),
    );
    expect(report.problems).toHaveLength(2);
    expect(JSON.stringify(report.problems)).not.toContain(healthy.digest);
  });

  it('reports a temporary left by a crash, and removes it on request', async () => {
    const crashed = join(fx.root, 'tmp', '0b7a-crashed-put.tmp');
    await writeFile(crashed, randomBytes(300));
    const report = await fx.store.verify({ strayTempMinAgeMs: 0 });
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'stray-temp', size: 300, removed: false }),
    ]);
    const cleaned = await fx.store.verify({ strayTempMinAgeMs: 0, removeStrayTemps: true });
    expect(cleaned.problems).toEqual([expect.objectContaining({ kind: 'stray-temp', removed: true })]);
    expect(await readdir(join(fx.root, 'tmp'))).toEqual([]);
    expect((await fx.store.verify()).ok).toBe(true);
  });

  it('leaves a fresh temporary alone by default (a put may be running in another process)', async () => {
    await writeFile(join(fx.root, 'tmp', 'in-flight.tmp'), 'x');
    expect((await fx.store.verify({ removeStrayTemps: true })).ok).toBe(true);
    expect(await readdir(join(fx.root, 'tmp'))).toEqual(['in-flight.tmp']);
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(fx.root, 'tmp', 'in-flight.tmp'), old, old);
    expect((await fx.store.verify()).problems).toEqual([expect.objectContaining({ kind: 'stray-temp' })]);
  });

  it('reports a file whose name fits no digest', async () => {
    await mkdir(join(fx.root, 'blobs', 'sha256', 'ab'), { recursive: true });
    await writeFile(join(fx.root, 'blobs', 'sha256', 'ab', 'not-a-digest'), 'x');
    expect((await fx.store.verify()).problems).toMatchObject([
      { kind: 'misnamed', name: 'blobs/sha256/ab/not-a-digest' },
    ]);
  });

  it('reports a blob stored under the wrong name as corrupt, with the digest its bytes have', async () => {
    const bytes = randomBytes(100);
    const wrongName = sha256Digest(randomBytes(1));
    const path = fx.blobPath(wrongName);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, bytes);
    const [problem, ...rest] = (await fx.store.verify()).problems;
    expect(rest).toEqual([]);
    expect(problem).toEqual({
      kind: 'corrupt',
      digest: wrongName,
      actualDigest: sha256Digest(bytes),
      size: 100,
      message: `${wrongName} is corrupt: its 100 bytes hash to ${sha256Digest(bytes)}`,
    });
  });

  it('checks that every file of a directory manifest is present, naming the path', async () => {
    await mkdir(join(fx.work, 'model', 'tokenizer'), { recursive: true });
    await writeFile(join(fx.work, 'model', 'weights.bin'), randomBytes(1000));
    await writeFile(join(fx.work, 'model', 'tokenizer', 'vocab.txt'), 'a\nb\n');
    const { digest, manifest } = await fx.store.putDirectory(join(fx.work, 'model'));
    const vocab = manifest.files.find((file) => file.path === 'tokenizer/vocab.txt');
    await rm(fx.blobPath(vocab?.digest as Digest));
    const report = await fx.store.verify();
    expect(report.problems).toMatchObject([
      { kind: 'missing-reference', manifest: digest, path: 'tokenizer/vocab.txt', digest: vocab?.digest },
    ]);
    expect(report.problems[0]?.message).toContain('"tokenizer/vocab.txt"');
  });

  it('reports an unreadable blob by digest and carries on', async () => {
    const good = await fx.store.putBytes(randomBytes(10));
    const bad = await fx.store.putBytes(randomBytes(10));
    const failing: ArtefactBackend = Object.create(fx.store.backend, {
      openRead: {
        value: async (digest: Digest) => {
          if (digest === bad.digest) throw new DocketError('ERR_ARTEFACT_IO', 'cannot read blob: EIO');
          return fx.store.backend.openRead(digest);
        },
      },
    });
    const report = await new ArtefactStore(failing).verify();
    expect(report.problems).toEqual([
      {
        kind: 'unreadable',
        digest: bad.digest,
        message: `${bad.digest} cannot be read: cannot read blob: EIO`,
        code: 'ERR_ARTEFACT_IO',
      },
    ]);
    expect(report.blobs).toBe(2);
    expect(JSON.stringify(report)).not.toContain(good.digest);
  });
});
