import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drain, type FsStoreFixture, makeFsStoreFixture } from './test-support/fs-store-fixture.js';

let fx: FsStoreFixture;
beforeEach(async () => {
  fx = await makeFsStoreFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('verified reads of a damaged blob', () => {
  it('one flipped byte: get errors with ERR_ARTEFACT_CORRUPT instead of ending', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const { digest } = await fx.store.putBytes(bytes);
    await fx.flipByte(digest, 2 * 1024 * 1024 + 5);
    const stream = await fx.store.get(digest);
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    const ended = new Promise((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    await expect(ended).rejects.toMatchObject({ code: 'ERR_ARTEFACT_CORRUPT', details: { digest } });
    // The last chunk is withheld: a consumer never holds the complete corrupt bytes.
    expect(received).toBeLessThan(bytes.length);
  });

  it('one flipped byte in a single-chunk blob: nothing at all is delivered', async () => {
    const { digest } = await fx.store.putBytes(new TextEncoder().encode('{"approved":true}'));
    await fx.flipByte(digest, 12);
    const stream = await fx.store.get(digest);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await expect(drain(stream)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_CORRUPT' });
    expect(chunks).toEqual([]);
  });

  it('a truncated blob: get, readVerified and getToFile all refuse it', async () => {
    const bytes = randomBytes(1024 * 1024 + 100);
    const { digest } = await fx.store.putBytes(bytes);
    await fx.truncateBlob(digest, 1024 * 1024);
    await expect(drain(await fx.store.get(digest))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_CORRUPT',
      details: { size: 1024 * 1024 },
    });
    await expect(fx.store.readVerified(digest, bytes.length)).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_CORRUPT',
    });
    await expect(fx.store.getToFile(digest, join(fx.work, 'out.bin'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_CORRUPT',
    });
  });

  it('getToFile of a corrupt blob leaves neither the file nor a temporary', async () => {
    const { digest } = await fx.store.putBytes(randomBytes(2 * 1024 * 1024));
    await fx.flipByte(digest, 0);
    await expect(fx.store.getToFile(digest, join(fx.work, 'model.bin'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_CORRUPT',
    });
    expect(await readdir(fx.work)).toEqual([]);
  });

  it('readVerified of a corrupt small blob throws instead of returning the bytes', async () => {
    const { digest } = await fx.store.putBytes(new TextEncoder().encode('{"class":1}'));
    await fx.flipByte(digest, 9);
    await expect(fx.store.readVerified(digest, 1024)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_CORRUPT' });
  });
});
