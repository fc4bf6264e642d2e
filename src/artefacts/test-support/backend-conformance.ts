import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Digest, sha256Digest } from '../../digest/index.js';
import type { ArtefactBackend, BackendEntry } from '../backend.js';

/** A backend under test and how to dispose of it. */
export interface BackendFixture {
  backend: ArtefactBackend;
  cleanup?: () => Promise<void>;
}

async function* chunksOf(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function readAll(backend: ArtefactBackend, digest: Digest): Promise<Buffer> {
  const { stream } = await backend.openRead(digest);
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

async function store(
  backend: ArtefactBackend,
  bytes: Uint8Array,
): Promise<{ digest: Digest; created: boolean }> {
  const temp = await backend.writeTemp(chunksOf(bytes), { sizeHint: bytes.byteLength });
  const digest = sha256Digest(bytes);
  return { digest, ...(await temp.commit(digest)) };
}

const temps = (entries: BackendEntry[]): BackendEntry[] => entries.filter((entry) => entry.kind === 'temp');

/**
 * The behaviour every {@link ArtefactBackend} must show, as a vitest suite. Each backend's test file calls it
 * once with a factory giving a fresh, empty backend per test (tessera runs one suite against every storage
 * driver in the same way). Not itself a test file, so it can be imported by the S3 backend's tests.
 *
 * @example
 * describeBackendConformance('fs', async () => {
 *   const root = await mkdtemp(join(tmpdir(), 'docket-'));
 *   return { backend: await FsArtefactBackend.open(root, { create: true }), cleanup: () => rm(root, { recursive: true }) };
 * });
 */
export function describeBackendConformance(name: string, makeBackend: () => Promise<BackendFixture>): void {
  describe(`ArtefactBackend conformance: ${name}`, () => {
    let fixture: BackendFixture;
    let backend: ArtefactBackend;
    beforeEach(async () => {
      fixture = await makeBackend();
      backend = fixture.backend;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('stores committed bytes under their digest and returns them', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const parts = [bytes.subarray(0, 1000), bytes.subarray(1000, 2_000_000), bytes.subarray(2_000_000)];
      const temp = await backend.writeTemp(chunksOf(...parts));
      expect(temp.size).toBe(bytes.length);
      const digest = sha256Digest(bytes);
      expect(await backend.exists(digest)).toBe(false);
      expect(await temp.commit(digest)).toEqual({ created: true });
      expect(await backend.exists(digest)).toBe(true);
      expect(await backend.size(digest)).toBe(bytes.length);
      const opened = await backend.openRead(digest);
      opened.stream.destroy();
      expect(opened.size).toBe(bytes.length);
      expect((await readAll(backend, digest)).equals(bytes)).toBe(true);
    });

    it('stores the empty blob', async () => {
      const { digest } = await store(backend, new Uint8Array());
      expect(await backend.size(digest)).toBe(0);
      expect((await readAll(backend, digest)).length).toBe(0);
    });

    it('copies what it keeps: a source may reuse its buffer once the next chunk is asked for', async () => {
      const shared = Buffer.alloc(4096);
      const expected: Buffer[] = [];
      async function* reusing(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 50; i += 1) {
          shared.fill(i);
          expected.push(Buffer.from(shared));
          yield shared;
        }
      }
      const temp = await backend.writeTemp(reusing());
      const bytes = Buffer.concat(expected);
      const digest = sha256Digest(bytes);
      await temp.commit(digest);
      expect((await readAll(backend, digest)).equals(bytes)).toBe(true);
    });

    it('keeps the existing blob when the same digest is committed again', async () => {
      const bytes = randomBytes(1000);
      expect((await store(backend, bytes)).created).toBe(true);
      expect((await store(backend, bytes)).created).toBe(false);
      expect((await readAll(backend, sha256Digest(bytes))).equals(bytes)).toBe(true);
      expect(temps(await collect(backend.scan()))).toEqual([]);
    });

    it('settles concurrent commits of the same bytes into one blob', async () => {
      const bytes = randomBytes(100_000);
      const results = await Promise.all([
        store(backend, bytes),
        store(backend, bytes),
        store(backend, bytes),
      ]);
      expect(results.filter((result) => result.created).length).toBeGreaterThanOrEqual(1);
      expect((await readAll(backend, sha256Digest(bytes))).equals(bytes)).toBe(true);
      expect(await collect(backend.list())).toEqual([sha256Digest(bytes)]);
    });

    it('leaves nothing behind when a temporary blob is discarded', async () => {
      const bytes = randomBytes(1000);
      const temp = await backend.writeTemp(chunksOf(bytes));
      await temp.discard();
      await temp.discard();
      expect(await backend.exists(sha256Digest(bytes))).toBe(false);
      expect(await collect(backend.scan())).toEqual([]);
    });

    it('rejects with the source error, leaving no temporary, when the source fails', async () => {
      const failure = new Error('source broke');
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield randomBytes(100_000);
        throw failure;
      }
      await expect(backend.writeTemp(failing())).rejects.toBe(failure);
      expect(await collect(backend.scan())).toEqual([]);
    });

    it('reports an unsettled temporary in scan and removes it on request', async () => {
      await backend.writeTemp(chunksOf(randomBytes(10)));
      const [temp, ...rest] = temps(await collect(backend.scan()));
      expect(rest).toEqual([]);
      expect(temp).toMatchObject({ kind: 'temp', size: 10 });
      expect(temp?.kind === 'temp' && temp.modifiedAt instanceof Date).toBe(true);
      if (temp?.kind === 'temp') await backend.removeTemp(temp.name);
      expect(await collect(backend.scan())).toEqual([]);
    });

    it('answers NOT_FOUND, false and undefined for an absent digest', async () => {
      const absent = sha256Digest(randomBytes(8));
      await expect(backend.openRead(absent)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_NOT_FOUND' });
      expect(await backend.exists(absent)).toBe(false);
      expect(await backend.size(absent)).toBeUndefined();
    });

    it('lets a reader stop early', async () => {
      const { digest } = await store(backend, randomBytes(5 * 1024 * 1024));
      const { stream } = await backend.openRead(digest);
      stream.destroy();
      expect(await backend.exists(digest)).toBe(true);
    });

    it('lists and scans committed digests in ascending order', async () => {
      const digests: Digest[] = [];
      for (let i = 0; i < 6; i += 1) digests.push((await store(backend, randomBytes(64))).digest);
      const sorted = [...digests].sort();
      expect(await collect(backend.list())).toEqual(sorted);
      const scanned = await collect(backend.scan());
      expect(scanned.map((entry) => (entry.kind === 'blob' ? entry.digest : entry.kind))).toEqual(sorted);
      expect(scanned.every((entry) => entry.kind === 'blob' && entry.size === 64)).toBe(true);
    });
  });
}
