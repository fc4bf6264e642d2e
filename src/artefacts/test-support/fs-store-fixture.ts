import { chmod, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type Digest, digestHex } from '../../digest/index.js';
import { ArtefactStore } from '../artefact-store.js';
import { FsArtefactBackend } from '../fs/fs-backend.js';

/** A fresh filesystem store plus a scratch directory beside it, for tests. */
export interface FsStoreFixture {
  /** The store root. */
  readonly root: string;
  /** Scratch space for inputs and restore targets, outside the store. */
  readonly work: string;
  readonly store: ArtefactStore;
  /** Where the blob of `digest` lives on disk. */
  blobPath(digest: Digest): string;
  /** Flips one bit of a stored blob, as bit rot or a tamperer would. */
  flipByte(digest: Digest, offset?: number): Promise<void>;
  /** Cuts a stored blob short. */
  truncateBlob(digest: Digest, length: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** Creates an {@link FsStoreFixture} in a new temporary directory. */
export async function makeFsStoreFixture(): Promise<FsStoreFixture> {
  const base = await mkdtemp(join(tmpdir(), 'docket-store-'));
  const root = join(base, 'store');
  const work = join(base, 'work');
  const store = new ArtefactStore(await FsArtefactBackend.open(root, { create: true }));
  await mkdir(work);
  const blobPath = (digest: Digest): string => {
    const hex = digestHex(digest);
    return join(root, 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
  };
  return {
    root,
    work,
    store,
    blobPath,
    async flipByte(digest, offset = 0) {
      const path = blobPath(digest);
      await chmod(path, 0o644);
      const bytes = await readFile(path);
      bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
      await writeFile(path, bytes);
    },
    async truncateBlob(digest, length) {
      const path = blobPath(digest);
      await chmod(path, 0o644);
      await truncate(path, length);
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/** Reads a stream to the end. */
export async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
