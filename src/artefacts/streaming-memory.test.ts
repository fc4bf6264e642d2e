import { randomFillSync } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentHasher, type Digest, hashFile } from '../digest/index.js';
import { type FsStoreFixture, makeFsStoreFixture } from './test-support/fs-store-fixture.js';

const MiB = 1024 * 1024;
const FILE_SIZE = 64 * MiB;

/** Peak growth of `process.memoryUsage()` over a baseline, sampled as the bytes flow. */
class MemoryWatch {
  private readonly base = process.memoryUsage();
  peakArrayBuffers = 0;
  peakRss = 0;
  sample = (): void => {
    const now = process.memoryUsage();
    this.peakArrayBuffers = Math.max(this.peakArrayBuffers, now.arrayBuffers - this.base.arrayBuffers);
    this.peakRss = Math.max(this.peakRss, now.rss - this.base.rss);
  };
}

let fx: FsStoreFixture;
let source: string;
beforeAll(async () => {
  fx = await makeFsStoreFixture();
  source = join(fx.work, 'model-64MiB.bin');
  // Written from one reused 1 MiB buffer, so the fixture itself does not hold 64 MiB.
  const handle = await open(source, 'w');
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < FILE_SIZE / MiB; i += 1) await handle.write(randomFillSync(block));
  await handle.close();
});
afterAll(async () => {
  await fx.cleanup();
});

// A put reads into two reused buffers, so its memory is flat. A get hands each chunk to a consumer who may keep
// it, so chunks are fresh allocations that V8 frees on its own schedule (observed peaks: 20-35 MiB whatever the
// file size); the bound below shows memory does not track the file, with room for that GC slack.
const READ_BOUND = (FILE_SIZE * 3) / 4;

describe('streaming a 64 MiB file through the store', () => {
  let digest: Digest;

  it('putFile keeps ArrayBuffer memory constant (two reused 1 MiB buffers)', async () => {
    const watch = new MemoryWatch();
    const put = await fx.store.putFile(source, { onProgress: watch.sample });
    digest = put.digest;
    expect(put.size).toBe(FILE_SIZE);
    expect(put.digest).toBe((await hashFile(source)).digest);
    expect(watch.peakArrayBuffers).toBeLessThan(8 * MiB);
  });

  it('get streams it verified without holding it', async () => {
    const watch = new MemoryWatch();
    const hasher = createContentHasher();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        hasher.update(chunk);
        watch.sample();
        done();
      },
    });
    await pipeline(await fx.store.get(digest), sink);
    expect(hasher.finish()).toBe(digest);
    expect(watch.peakArrayBuffers).toBeLessThan(READ_BOUND);
  });

  it('getToFile writes it verified without holding it', async () => {
    const watch = new MemoryWatch();
    const out = join(fx.work, 'restored.bin');
    await fx.store.getToFile(digest, out, { onProgress: watch.sample });
    expect((await stat(out)).size).toBe(FILE_SIZE);
    expect(watch.peakArrayBuffers).toBeLessThan(READ_BOUND);
  });
});
