import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  canonicalJsonBytes,
  DIRECTORY_MANIFEST_MEDIA_TYPE,
  type Digest,
  directoryManifest,
  manifestDigest,
} from '../digest/index.js';
import { isDocketError } from '../errors/index.js';
import { type FsStoreFixture, makeFsStoreFixture } from './test-support/fs-store-fixture.js';

let fx: FsStoreFixture;
beforeEach(async () => {
  fx = await makeFsStoreFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function makeModel(root: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {
    'config.json': Buffer.from('{"layers":12}'),
    'weights/part-0.safetensors': randomBytes(1024 * 1024 + 7),
    'weights/part-1.safetensors': randomBytes(10),
    'tokenizer/vocab.txt': Buffer.from(''),
    'ünïcode/😀.txt': Buffer.from('smile'),
  };
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
  return files;
}

/** Stores a manifest exactly as given (hostile: no validation), in canonical form. */
async function storeRawManifest(files: unknown[]): Promise<Digest> {
  return (await fx.store.putBytes(canonicalJsonBytes({ mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files })))
    .digest;
}

describe('putDirectory / getDirectory', () => {
  it('round-trips a model directory; the digest is that of directoryManifest', async () => {
    const source = join(fx.work, 'model');
    const files = await makeModel(source);
    const put = await fx.store.putDirectory(source);
    expect(put.digest).toBe(manifestDigest(await directoryManifest(source)));
    expect(put.contentSize).toBe(Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0));
    const out = join(fx.work, 'restored');
    const restored = await fx.store.getDirectory(put.digest, out);
    expect(restored).toMatchObject({ digest: put.digest, path: out, files: 5, size: put.contentSize });
    expect(await listTree(out)).toEqual(Object.keys(files).sort());
    for (const [path, bytes] of Object.entries(files))
      expect((await readFile(join(out, path))).equals(bytes)).toBe(true);
    expect(manifestDigest(await directoryManifest(out))).toBe(put.digest);
    expect((await readdir(fx.work)).sort()).toEqual(['model', 'restored']);
  });

  it('is idempotent', async () => {
    const source = join(fx.work, 'model');
    await makeModel(source);
    const first = await fx.store.putDirectory(source);
    const second = await fx.store.putDirectory(source);
    expect(second).toEqual({ ...first, created: false });
  });

  it('restores into an existing empty directory, refuses a non-empty one or a file', async () => {
    await makeModel(join(fx.work, 'model'));
    const { digest } = await fx.store.putDirectory(join(fx.work, 'model'));
    await mkdir(join(fx.work, 'empty'));
    await fx.store.getDirectory(digest, join(fx.work, 'empty'));
    expect(await listTree(join(fx.work, 'empty'))).toHaveLength(5);
    await mkdir(join(fx.work, 'busy'));
    await writeFile(join(fx.work, 'busy', 'keep.txt'), 'mine');
    await expect(fx.store.getDirectory(digest, join(fx.work, 'busy'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_OUTPUT_NOT_EMPTY',
    });
    expect(await listTree(join(fx.work, 'busy'))).toEqual(['keep.txt']);
    await expect(fx.store.getDirectory(digest, join(fx.work, 'busy', 'keep.txt'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_OUTPUT_NOT_EMPTY',
    });
    await symlink(join(fx.work, 'empty-target'), join(fx.work, 'dangling'));
    await expect(fx.store.getDirectory(digest, join(fx.work, 'dangling'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_OUTPUT_NOT_EMPTY',
    });
  });

  it('refuses a directory holding a symlink or a FIFO, before storing anything', async () => {
    const source = join(fx.work, 'model');
    await makeModel(source);
    await symlink('/etc/passwd', join(source, 'weights', 'passwd'));
    await expect(fx.store.putDirectory(source)).rejects.toMatchObject({
      code: 'ERR_DIGEST_SYMLINK',
      details: { path: 'weights/passwd' },
    });
    execFileSync('rm', [join(source, 'weights', 'passwd')]);
    execFileSync('mkfifo', [join(source, 'tokenizer', 'pipe')]);
    await expect(fx.store.putDirectory(source)).rejects.toMatchObject({
      code: 'ERR_DIGEST_SPECIAL_FILE',
      details: { path: 'tokenizer/pipe' },
    });
    expect(await readdir(join(fx.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('checks expectedDigest against the manifest', async () => {
    await makeModel(join(fx.work, 'model'));
    const wrong = `sha256:${'0'.repeat(64)}` as Digest;
    await expect(
      fx.store.putDirectory(join(fx.work, 'model'), { expectedDigest: wrong }),
    ).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_DIGEST_MISMATCH',
    });
  });

  it('reports progress over the whole directory, both ways', async () => {
    await makeModel(join(fx.work, 'model'));
    const up: [number, number | undefined][] = [];
    const put = await fx.store.putDirectory(join(fx.work, 'model'), {
      onProgress: (d, t) => up.push([d, t]),
    });
    expect(up.at(-1)).toEqual([put.contentSize, put.contentSize]);
    expect(up.every(([done], i) => i === 0 || done >= (up[i - 1]?.[0] ?? 0))).toBe(true);
    const down: [number, number | undefined][] = [];
    await fx.store.getDirectory(put.digest, join(fx.work, 'out'), {
      onProgress: (d, t) => down.push([d, t]),
    });
    expect(down.at(-1)).toEqual([put.contentSize, put.contentSize]);
  });
});

describe('getDirectory with a hostile manifest', () => {
  let payload: { digest: Digest; size: number };
  beforeEach(async () => {
    payload = await fx.store.putBytes(new TextEncoder().encode('#!/bin/sh\necho owned\n'));
  });

  const outside = async (): Promise<string[]> => (await readdir(join(fx.work, '..'))).sort();

  it.each([
    ['../evil', 'ERR_DIGEST_PATH_ESCAPES'],
    ['a/../../evil', 'ERR_DIGEST_PATH_ESCAPES'],
    ['/tmp/docket-evil', 'ERR_DIGEST_PATH_ESCAPES'],
    ['..\\evil', 'ERR_DIGEST_PATH_ESCAPES'],
    ['./evil', 'ERR_DIGEST_PATH_INVALID'],
    ['a//evil', 'ERR_DIGEST_PATH_INVALID'],
    ['evil\u0000.txt', 'ERR_DIGEST_PATH_INVALID'],
  ])('refuses %j with %s, writing nothing anywhere', async (path, code) => {
    const before = await outside();
    const digest = await storeRawManifest([{ path, size: payload.size, digest: payload.digest }]);
    await expect(fx.store.getDirectory(digest, join(fx.work, 'out'))).rejects.toMatchObject({ code });
    expect(await outside()).toEqual(before);
    expect(await readdir(fx.work)).toEqual([]);
  });

  it('refuses a file that is also a directory, and duplicates', async () => {
    const entry = (path: string) => ({ path, size: payload.size, digest: payload.digest });
    const clash = await storeRawManifest([entry('a'), entry('a/b')]);
    await expect(fx.store.getDirectory(clash, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_PATH_CONFLICT',
    });
    const dup = await storeRawManifest([entry('a'), entry('a')]);
    await expect(fx.store.getDirectory(dup, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_PATH_CONFLICT',
    });
    expect(await readdir(fx.work)).toEqual([]);
  });

  it('refuses a blob that is not a canonical manifest', async () => {
    const notJson = await fx.store.putBytes(randomBytes(100));
    await expect(fx.store.getDirectory(notJson.digest, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_NOT_A_MANIFEST',
    });
    const manifest = { mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files: [] };
    const pretty = await fx.store.putBytes(new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
    await expect(fx.store.getDirectory(pretty.digest, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_NOT_A_MANIFEST',
    });
    const duplicated = `{"files":[{"digest":"${payload.digest}","path":"x","size":${payload.size}}],"files":[],"mediaType":"${DIRECTORY_MANIFEST_MEDIA_TYPE}"}`;
    const dupKey = await fx.store.putBytes(new TextEncoder().encode(duplicated));
    await expect(fx.store.getDirectory(dupKey.digest, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_NOT_A_MANIFEST',
    });
    const other = await fx.store.putBytes(
      new TextEncoder().encode(canonicalJson({ files: [], mediaType: 'x' })),
    );
    await expect(fx.store.getDirectory(other.digest, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_MANIFEST_MALFORMED',
    });
  });

  it('refuses a manifest naming an absent blob or lying about a size, before writing', async () => {
    const absent = await storeRawManifest([{ path: 'a', size: 1, digest: `sha256:${'a'.repeat(64)}` }]);
    await expect(fx.store.getDirectory(absent, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_NOT_FOUND',
      details: { path: 'a' },
    });
    const lying = await storeRawManifest([{ path: 'a', size: payload.size + 1, digest: payload.digest }]);
    await expect(fx.store.getDirectory(lying, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_SIZE_MISMATCH',
    });
    expect(await readdir(fx.work)).toEqual([]);
  });

  it('leaves no half-restored directory when a file blob turns out corrupt', async () => {
    await makeModel(join(fx.work, 'model'));
    const { digest, manifest } = await fx.store.putDirectory(join(fx.work, 'model'));
    const last = manifest.files.at(-1);
    await fx.flipByte(last?.digest as Digest);
    const before = await outside();
    await expect(fx.store.getDirectory(digest, join(fx.work, 'out'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_CORRUPT',
    });
    expect(await outside()).toEqual(before);
    expect((await readdir(fx.work)).sort()).toEqual(['model']);
  });

  it('answers any blob that is not a manifest with a coded error, writing nothing (property)', async () => {
    const blob = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue().map((value) => new TextEncoder().encode(canonicalJson(value))),
      fc
        .record({
          mediaType: fc.oneof(fc.constant(DIRECTORY_MANIFEST_MEDIA_TYPE), fc.string()),
          files: fc.anything(),
        })
        .map((value) => new TextEncoder().encode(JSON.stringify(value) ?? 'null')),
    );
    await fc.assert(
      fc.asyncProperty(blob, async (bytes) => {
        const { digest } = await fx.store.putBytes(bytes);
        await fx.store.getDirectory(digest, join(fx.work, 'out')).then(
          async (restored) => {
            expect(restored.files).toBe(0);
            await rm(join(fx.work, 'out'), { recursive: true });
          },
          (err: unknown) => expect(isDocketError(err)).toBe(true),
        );
        expect(await readdir(fx.work)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('never writes outside outDir, whatever the paths (property)', async () => {
    const segment = fc.constantFrom('..', '.', '', 'a', 'b', 'a\\..', '..\\', ' ', '\u0000', 'é', '/');
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    const base = join(fx.work, '..');
    const baseline = (await readdir(base)).sort();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(path, { maxLength: 4 }), async (paths) => {
        run += 1;
        const out = join(fx.work, `out-${run}`);
        const files = paths.map((p) => ({ path: p, size: payload.size, digest: payload.digest }));
        const digest = await storeRawManifest(files);
        try {
          await fx.store.getDirectory(digest, out);
          expect(await listTree(out)).toEqual(paths.slice().sort());
        } catch (err) {
          expect(isDocketError(err)).toBe(true);
          expect((await readdir(fx.work)).includes(`out-${run}`)).toBe(false);
        }
        expect((await readdir(base)).sort()).toEqual(baseline);
        expect((await readdir(fx.work)).every((name) => name.startsWith('out-'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
