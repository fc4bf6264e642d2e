import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFile, hashStream } from './hash-file.js';
import { CHUNK_SIZE } from './regular-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docket-hash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('hashFile', () => {
  it('hashes "abc" to the FIPS 180-2 known answer', async () => {
    const path = join(dir, 'abc');
    await writeFile(path, 'abc');
    expect(await hashFile(path)).toEqual({
      digest: 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      size: 3,
    });
  });

  it('hashes an empty file', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '');
    expect((await hashFile(path)).size).toBe(0);
  });

  it('agrees with sha256sum on a multi-chunk file, reporting monotone progress up to the total', async () => {
    const bytes = randomBytes(CHUNK_SIZE * 3 + 12345);
    const path = join(dir, 'weights.bin');
    await writeFile(path, bytes);
    const seen: [number, number | undefined][] = [];
    const result = await hashFile(path, { onProgress: (done, total) => seen.push([done, total]) });
    const coreutils = execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0];
    expect(result).toEqual({ digest: `sha256:${coreutils}`, size: bytes.length });
    expect(seen.at(-1)).toEqual([bytes.length, bytes.length]);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.length).toBe(4);
  });

  it('names the problem: missing, a directory, a FIFO', async () => {
    await expect(hashFile(join(dir, 'absent'))).rejects.toMatchObject({ code: 'ERR_DIGEST_FILE_NOT_FOUND' });
    await mkdir(join(dir, 'sub'));
    await expect(hashFile(join(dir, 'sub'))).rejects.toMatchObject({ code: 'ERR_DIGEST_NOT_A_FILE' });
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(hashFile(fifo)).rejects.toMatchObject({
      code: 'ERR_DIGEST_SPECIAL_FILE',
      details: { path: fifo },
    });
  });

  it('stops with ERR_DIGEST_ABORTED when aborted', async () => {
    const path = join(dir, 'big');
    await writeFile(path, randomBytes(CHUNK_SIZE * 4));
    const controller = new AbortController();
    const hashing = hashFile(path, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(hashing).rejects.toMatchObject({ code: 'ERR_DIGEST_ABORTED' });
  });
});

describe('hashStream', () => {
  it('hashes a Readable of many chunks like one buffer', async () => {
    const parts = [randomBytes(10), randomBytes(70_000), randomBytes(1)];
    const result = await hashStream(Readable.from(parts));
    expect(result).toEqual({ digest: sha256(Buffer.concat(parts)), size: 70_011 });
  });

  it('refuses string chunks rather than guessing an encoding', async () => {
    await expect(hashStream(Readable.from(['abc'], { objectMode: true }))).rejects.toMatchObject({
      code: 'ERR_DIGEST_INVALID_CHUNK',
    });
  });

  it('passes the error of a failing stream through', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(hashStream(failing)).rejects.toThrow('disk on fire');
  });

  it('aborts a stalled stream', async () => {
    const stalled = new Readable({ read() {} });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(hashStream(stalled, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ERR_DIGEST_ABORTED',
    });
    expect(stalled.destroyed).toBe(true);
  });
});
