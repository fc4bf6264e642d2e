import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Digest, hashFile, sha256Digest } from '../digest/index.js';
import { drain, type FsStoreFixture, makeFsStoreFixture } from './test-support/fs-store-fixture.js';

let fx: FsStoreFixture;
beforeEach(async () => {
  fx = await makeFsStoreFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const tempsLeft = async (): Promise<string[]> => readdir(join(fx.root, 'tmp'));

describe('ArtefactStore round trips', () => {
  it('putBytes then get and readVerified return the same bytes', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 3);
    const put = await fx.store.putBytes(bytes);
    expect(put).toEqual({ digest: sha256Digest(bytes), size: bytes.length, created: true });
    expect((await drain(await fx.store.get(put.digest))).equals(bytes)).toBe(true);
    expect(Buffer.from(await fx.store.readVerified(put.digest, bytes.length)).equals(bytes)).toBe(true);
  });

  it('putFile then getToFile reproduces the file, with the digest hashFile computes', async () => {
    const source = join(fx.work, 'model.onnx');
    await writeFile(source, randomBytes(3 * 1024 * 1024 + 11));
    const put = await fx.store.putFile(source);
    expect(put.digest).toBe((await hashFile(source)).digest);
    const out = join(fx.work, 'restored.onnx');
    expect(await fx.store.getToFile(put.digest, out)).toEqual({ digest: put.digest, size: put.size });
    expect((await readFile(out)).equals(await readFile(source))).toBe(true);
    expect((await readdir(fx.work)).sort()).toEqual(['model.onnx', 'restored.onnx']);
  });

  it('putStream stores a stream such as stdin', async () => {
    const parts = [randomBytes(10), randomBytes(100_000), randomBytes(5)];
    const put = await fx.store.putStream(Readable.from(parts));
    expect(put.digest).toBe(sha256Digest(Buffer.concat(parts)));
    expect(put.size).toBe(100_015);
  });

  it('is idempotent: storing the same bytes again rewrites nothing and returns the same result', async () => {
    const source = join(fx.work, 'weights.bin');
    await writeFile(source, randomBytes(100_000));
    const first = await fx.store.putFile(source);
    const before = await stat(fx.blobPath(first.digest));
    const second = await fx.store.putFile(source);
    expect(second).toEqual({ ...first, created: false });
    const after = await stat(fx.blobPath(first.digest));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await tempsLeft()).toEqual([]);
  });

  it('reports progress up to the total', async () => {
    const source = join(fx.work, 'big.bin');
    const bytes = randomBytes(2.5 * 1024 * 1024);
    await writeFile(source, bytes);
    const seen: [number, number | undefined][] = [];
    await fx.store.putFile(source, { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([bytes.length, bytes.length]);
    const got: number[] = [];
    const digest = sha256Digest(bytes);
    await fx.store.getToFile(digest, join(fx.work, 'out.bin'), { onProgress: (done) => got.push(done) });
    expect(got.at(-1)).toBe(bytes.length);
  });

  it('has, stat and list describe what is stored', async () => {
    const a = await fx.store.putBytes(new Uint8Array([1, 2, 3]));
    const b = await fx.store.putBytes(new Uint8Array([4]));
    expect(await fx.store.has(a.digest)).toBe(true);
    expect(await fx.store.stat(b.digest)).toEqual({ digest: b.digest, size: 1 });
    const listed: Digest[] = [];
    for await (const digest of fx.store.list()) listed.push(digest);
    expect(listed).toEqual([a.digest, b.digest].sort());
    const absent = sha256Digest(new Uint8Array([9]));
    expect(await fx.store.has(absent)).toBe(false);
    await expect(fx.store.stat(absent)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_NOT_FOUND' });
  });
});

describe('ArtefactStore expectedDigest', () => {
  it('fails with DIGEST_MISMATCH before committing, leaving nothing', async () => {
    const bytes = randomBytes(1000);
    const wrong = sha256Digest(randomBytes(8));
    await expect(fx.store.putBytes(bytes, { expectedDigest: wrong })).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_DIGEST_MISMATCH',
      details: { expected: wrong, actual: sha256Digest(bytes) },
    });
    expect(await fx.store.has(sha256Digest(bytes))).toBe(false);
    expect(await fx.store.has(wrong)).toBe(false);
    expect(await tempsLeft()).toEqual([]);
  });

  it('accepts matching bytes, and checks the source even when the blob is already stored', async () => {
    const bytes = randomBytes(1000);
    const digest = sha256Digest(bytes);
    expect((await fx.store.putBytes(bytes, { expectedDigest: digest })).created).toBe(true);
    expect(await fx.store.putBytes(bytes, { expectedDigest: digest })).toEqual({
      digest,
      size: 1000,
      created: false,
    });
    await expect(fx.store.putBytes(randomBytes(1000), { expectedDigest: digest })).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_DIGEST_MISMATCH',
    });
  });

  it('rejects a malformed expectedDigest', async () => {
    await expect(
      fx.store.putBytes(new Uint8Array(), { expectedDigest: 'sha256:nope' as Digest }),
    ).rejects.toMatchObject({
      code: 'ERR_DIGEST_MALFORMED',
    });
  });
});

describe('ArtefactStore failed and aborted puts leave nothing behind', () => {
  it('a failing source: SOURCE_FAILED, no blob, no temp', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(500_000);
      throw new Error('connection reset');
    }
    await expect(fx.store.putStream(failing())).rejects.toMatchObject({ code: 'ERR_ARTEFACT_SOURCE_FAILED' });
    expect(await tempsLeft()).toEqual([]);
    expect(await readdir(join(fx.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('an abort during a stalled stream: ABORTED, no blob, no temp', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push(randomBytes(100_000));
    const controller = new AbortController();
    const putting = fx.store.putStream(stalled, {
      signal: controller.signal,
      onProgress: () => setTimeout(() => controller.abort(), 10),
    });
    await expect(putting).rejects.toMatchObject({ code: 'ERR_ARTEFACT_ABORTED' });
    expect(await tempsLeft()).toEqual([]);
    expect(await readdir(join(fx.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('an abort during putFile', async () => {
    const source = join(fx.work, 'big.bin');
    await writeFile(source, randomBytes(8 * 1024 * 1024));
    const controller = new AbortController();
    const putting = fx.store.putFile(source, {
      signal: controller.signal,
      onProgress: (done) => done > 3 * 1024 * 1024 && controller.abort(),
    });
    await expect(putting).rejects.toMatchObject({ code: 'ERR_ARTEFACT_ABORTED' });
    expect(await tempsLeft()).toEqual([]);
  });

  it('an already aborted signal stores nothing', async () => {
    await expect(fx.store.putBytes(randomBytes(10), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_ABORTED',
    });
    expect(await tempsLeft()).toEqual([]);
  });

  it('a string-mode stream is refused rather than stored in some encoding', async () => {
    await expect(fx.store.putStream(Readable.from(['text'], { objectMode: true }))).rejects.toMatchObject({
      code: 'ERR_DIGEST_INVALID_CHUNK',
    });
    expect(await tempsLeft()).toEqual([]);
  });
});

describe('ArtefactStore reads', () => {
  it('NOT_FOUND rejects get, getToFile and readVerified without creating the output', async () => {
    const absent = sha256Digest(randomBytes(4));
    await expect(fx.store.get(absent)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_NOT_FOUND' });
    await expect(fx.store.getToFile(absent, join(fx.work, 'x'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_NOT_FOUND',
    });
    await expect(fx.store.readVerified(absent, 10)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_NOT_FOUND' });
    expect(await readdir(fx.work)).toEqual([]);
  });

  it('malformed digests reject (never throw synchronously)', async () => {
    const bad = 'SHA256:00' as Digest;
    await expect(fx.store.get(bad)).rejects.toMatchObject({ code: 'ERR_DIGEST_MALFORMED' });
    await expect(fx.store.has(bad)).rejects.toMatchObject({ code: 'ERR_DIGEST_MALFORMED' });
    await expect(fx.store.stat(bad)).rejects.toMatchObject({ code: 'ERR_DIGEST_MALFORMED' });
    await expect(fx.store.getDirectory(bad, join(fx.work, 'd'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_MALFORMED',
    });
  });

  it('readVerified refuses a blob over maxBytes before reading it', async () => {
    const { digest } = await fx.store.putBytes(randomBytes(1001));
    await expect(fx.store.readVerified(digest, 1000)).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_TOO_LARGE',
      details: { size: 1001, maxBytes: 1000 },
    });
    await expect(fx.store.readVerified(digest, -1)).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_INVALID_ARGUMENT',
    });
  });

  it('getToFile refuses to replace an existing file unless asked', async () => {
    const { digest } = await fx.store.putBytes(new TextEncoder().encode('new'));
    const out = join(fx.work, 'report.html');
    await writeFile(out, 'old');
    await expect(fx.store.getToFile(digest, out)).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_OUTPUT_EXISTS',
    });
    expect(await readFile(out, 'utf8')).toBe('old');
    await fx.store.getToFile(digest, out, { overwrite: true });
    expect(await readFile(out, 'utf8')).toBe('new');
    expect(await readdir(fx.work)).toEqual(['report.html']);
  });

  it('getToFile does not write through a symlink at the destination', async () => {
    const { digest } = await fx.store.putBytes(new TextEncoder().encode('payload'));
    const victim = join(fx.work, 'victim');
    await writeFile(victim, 'untouched');
    await symlink(victim, join(fx.work, 'link'));
    await expect(fx.store.getToFile(digest, join(fx.work, 'link'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_OUTPUT_EXISTS',
    });
    expect(await readFile(victim, 'utf8')).toBe('untouched');
  });

  it('a get stream aborted midway errors with ERR_ARTEFACT_ABORTED', async () => {
    const { digest } = await fx.store.putBytes(randomBytes(6 * 1024 * 1024));
    const controller = new AbortController();
    const stream = await fx.store.get(digest, {
      signal: controller.signal,
      onProgress: (done) => done >= 2 * 1024 * 1024 && controller.abort(),
    });
    await expect(drain(stream)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_ABORTED' });
  });

  it('a get stream may be abandoned early', async () => {
    const { digest } = await fx.store.putBytes(randomBytes(4 * 1024 * 1024));
    const stream = await fx.store.get(digest);
    stream.destroy();
    const unread = await fx.store.get(digest);
    unread.destroy();
    expect(await fx.store.has(digest)).toBe(true);
  });
});
