import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CHUNK_SIZE, type Digest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import type { ArtefactBackend, BackendEntry, TempBlob } from '../backend.js';
import { ArtefactErrorCode } from '../errors.js';
import { errnoCode, fsyncDirectory, ioError, writeAll } from '../local-files.js';
import { BLOBS_DIR, blobLocation, digestAtLocation, isShardName, TEMP_DIR } from './layout.js';

// Committed blobs are read-only: nothing in docket rewrites one, and a stray `>` in a shell should fail.
const BLOB_MODE = 0o444;

/**
 * The embedded filesystem backend: `blobs/sha256/<2 hex>/<62 hex>` plus `tmp/` under one root. A write goes to
 * `tmp/`, is fsynced, then hard-linked under its digest (atomic, and never replaces an existing blob) and the
 * shard directory fsynced, so a crash leaves either the whole blob or a stray temporary, never a torn blob.
 *
 * @example
 * const store = new ArtefactStore(await FsArtefactBackend.open('/var/lib/docket/artefacts'));
 */
export class FsArtefactBackend implements ArtefactBackend {
  readonly root: string;
  private readonly blobsDir: string;
  private readonly tempDir: string;

  private constructor(root: string) {
    this.root = root;
    this.blobsDir = join(root, BLOBS_DIR);
    this.tempDir = join(root, TEMP_DIR);
  }

  /**
   * Opens the store under `root`; with `create`, creates it first when absent (and is a no-op when present).
   * Without `create` a missing store is an error, so that a mistyped path does not start an empty store.
   *
   * @throws DocketError `ERR_ARTEFACT_STORE_MISSING` (no store at `root` and no `create`),
   *   `ERR_ARTEFACT_STORE_INVALID` when `blobs/` and `tmp/` are not directories on one filesystem (link and
   *   rename are only atomic within one), `ERR_ARTEFACT_IO` when they cannot be created or inspected.
   */
  static async open(root: string, options: { create?: boolean } = {}): Promise<FsArtefactBackend> {
    const backend = new FsArtefactBackend(root);
    if (options.create === true) {
      try {
        await mkdir(backend.blobsDir, { recursive: true });
        await mkdir(backend.tempDir, { recursive: true });
      } catch (err) {
        throw ioError(err, `cannot create the artefact store at ${root}`, { root });
      }
    }
    const [blobs, temp] = await Promise.all([lstat(backend.blobsDir), lstat(backend.tempDir)]).catch(
      (err: unknown) => {
        if (errnoCode(err) !== 'ENOENT')
          throw ioError(err, `cannot inspect the artefact store at ${root}`, { root });
        throw new DocketError(ArtefactErrorCode.StoreMissing, `there is no artefact store at ${root}`, {
          cause: err,
          details: { root },
        });
      },
    );
    if (!blobs.isDirectory() || !temp.isDirectory()) {
      throw new DocketError(
        ArtefactErrorCode.StoreInvalid,
        `${root}: ${BLOBS_DIR} and ${TEMP_DIR} must be directories`,
        {
          details: { root },
        },
      );
    }
    if (blobs.dev !== temp.dev) {
      throw new DocketError(
        ArtefactErrorCode.StoreInvalid,
        `${root}: ${BLOBS_DIR} and ${TEMP_DIR} are on different filesystems`,
        {
          details: { root },
        },
      );
    }
    return backend;
  }

  async writeTemp(source: AsyncIterable<Uint8Array>): Promise<TempBlob> {
    const tempPath = join(this.tempDir, `${randomUUID()}.tmp`);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, BLOB_MODE);
    } catch (err) {
      throw ioError(err, 'cannot create a temporary blob', { path: tempPath });
    }
    let size = 0;
    try {
      for await (const chunk of source) {
        await writeAll(handle, chunk, tempPath);
        size += chunk.byteLength;
      }
      await handle.sync().catch((err: unknown) => {
        throw ioError(err, `cannot fsync ${tempPath}`, { path: tempPath });
      });
    } catch (err) {
      await handle.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
      throw err;
    }
    await handle.close().catch(async (err: unknown) => {
      await unlink(tempPath).catch(() => undefined);
      throw ioError(err, `cannot close ${tempPath}`, { path: tempPath });
    });
    return this.tempBlob(tempPath, size);
  }

  private tempBlob(tempPath: string, size: number): TempBlob {
    let settled = false;
    return {
      size,
      commit: async (digest: Digest): Promise<{ created: boolean }> => {
        if (settled)
          throw new DocketError(ArtefactErrorCode.InvalidArgument, 'this temporary blob was already settled');
        const [shard, name] = blobLocation(digest);
        const shardDir = join(this.blobsDir, shard);
        const finalPath = join(shardDir, name);
        const newShard = await mkdir(shardDir).then(
          () => true,
          (err: unknown) => {
            if (errnoCode(err) === 'EEXIST') return false;
            throw ioError(err, `cannot create ${shardDir}`, { path: shardDir });
          },
        );
        if (newShard) await fsyncDirectory(this.blobsDir);
        let created = true;
        try {
          await link(tempPath, finalPath);
        } catch (err) {
          if (errnoCode(err) !== 'EEXIST') throw ioError(err, `cannot commit ${digest}`, { digest });
          created = false;
        }
        if (created) await fsyncDirectory(shardDir);
        settled = true;
        await unlink(tempPath).catch(() => undefined);
        return { created };
      },
      discard: async (): Promise<void> => {
        settled = true;
        await unlink(tempPath).catch((err: unknown) => {
          if (errnoCode(err) !== 'ENOENT')
            throw ioError(err, `cannot remove ${tempPath}`, { path: tempPath });
        });
      },
    };
  }

  async openRead(digest: Digest): Promise<{ size: number; stream: Readable }> {
    const path = this.blobPath(digest);
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if (isAbsence(err)) throw notFound(digest);
      throw ioError(err, `cannot open blob ${digest}`, { digest });
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new Error('not a regular file');
      return { size: stats.size, stream: handle.createReadStream({ highWaterMark: CHUNK_SIZE }) };
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw ioError(err, `cannot read blob ${digest}`, { digest });
    }
  }

  async exists(digest: Digest): Promise<boolean> {
    return (await this.size(digest)) !== undefined;
  }

  async size(digest: Digest): Promise<number | undefined> {
    try {
      const stats = await lstat(this.blobPath(digest));
      return stats.isFile() ? stats.size : undefined;
    } catch (err) {
      if (isAbsence(err)) return undefined;
      throw ioError(err, `cannot stat blob ${digest}`, { digest });
    }
  }

  async *list(): AsyncIterable<Digest> {
    for (const entry of await this.scanBlobs()) if (entry.kind === 'blob') yield entry.digest;
  }

  async *scan(): AsyncIterable<BackendEntry> {
    yield* await this.scanBlobs();
    for (const name of await this.readdirSorted(this.tempDir)) {
      try {
        const stats = await lstat(join(this.tempDir, name));
        yield { kind: 'temp', name, size: stats.size, modifiedAt: stats.mtime };
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw ioError(err, `cannot stat ${TEMP_DIR}/${name}`);
      }
    }
  }

  async removeTemp(name: string): Promise<void> {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new DocketError(
        ArtefactErrorCode.InvalidArgument,
        `${JSON.stringify(name)} is not a temporary name`,
      );
    }
    await rm(join(this.tempDir, name), { recursive: true, force: true }).catch((err: unknown) => {
      throw ioError(err, `cannot remove ${TEMP_DIR}/${name}`);
    });
  }

  private blobPath(digest: Digest): string {
    const [shard, name] = blobLocation(digest);
    return join(this.blobsDir, shard, name);
  }

  // Collected per shard rather than streamed: a store holds thousands of blobs, not billions.
  private async scanBlobs(): Promise<BackendEntry[]> {
    const entries: BackendEntry[] = [];
    for (const shard of await this.readdirSorted(this.blobsDir)) {
      const shardPath = join(this.blobsDir, shard);
      const shardStats = await lstat(shardPath).catch((err: unknown) => {
        throw ioError(err, `cannot stat ${shardPath}`);
      });
      if (!isShardName(shard) || !shardStats.isDirectory()) {
        entries.push({ kind: 'misnamed', name: `${BLOBS_DIR}/${shard}` });
        continue;
      }
      for (const name of await this.readdirSorted(shardPath)) {
        const digest = digestAtLocation(shard, name);
        const stats = await lstat(join(shardPath, name)).catch((err: unknown) => {
          throw ioError(err, `cannot stat ${BLOBS_DIR}/${shard}/${name}`);
        });
        if (digest !== undefined && stats.isFile()) entries.push({ kind: 'blob', digest, size: stats.size });
        else entries.push({ kind: 'misnamed', name: `${BLOBS_DIR}/${shard}/${name}` });
      }
    }
    return entries;
  }

  private async readdirSorted(path: string): Promise<string[]> {
    try {
      return (await readdir(path)).sort();
    } catch (err) {
      throw ioError(err, `cannot list ${path}`, { path });
    }
  }
}

// ENOTDIR: the shard "directory" is a file (misnamed, reported by scan); the blob is absent all the same.
function isAbsence(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function notFound(digest: Digest): DocketError {
  return new DocketError(ArtefactErrorCode.NotFound, `no artefact ${digest} in the store`, {
    details: { digest },
  });
}
