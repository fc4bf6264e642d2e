import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DocketError } from '../../errors/index.js';
import { MAX_NOTE_BYTES } from '../../ledger/note/index.js';
import { anchorName, originSegment, sizeOfAnchorName } from './anchor-layout.js';
import { AnchorErrorCode } from './errors.js';
import { type AnchorWrite, conflict, type RawAnchor } from './raw-anchor.js';
import { type DirectoryAnchorTarget, describeAnchorTarget } from './targets.js';

/**
 * Writes `bytes` as `<path>/<origin-segment>/<size>.checkpoint`, atomically and never over different bytes: a
 * temporary file in the same directory is written and fsynced, then hard-linked to the final name (link fails
 * rather than replace, unlike rename), and the directory fsynced. Read-only (0444), like committed blobs.
 */
export async function writeDirectoryAnchor(
  target: DirectoryAnchorTarget,
  origin: string,
  size: number,
  bytes: Uint8Array,
): Promise<AnchorWrite> {
  const where = describeAnchorTarget(target);
  await assertDirectory(target);
  const dir = join(target.path, originSegment(origin));
  const created = await mkdir(dir).then(
    () => true,
    (err: unknown) => {
      if (errnoCode(err) === 'EEXIST') return false;
      throw io(err, `cannot create ${dir}`, where);
    },
  );
  if (created) await fsyncDirectory(target.path, where);
  const finalPath = join(dir, anchorName(size));
  const tempPath = join(dir, `.${anchorName(size)}.${randomUUID()}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o444);
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    const linked = await link(tempPath, finalPath).then(
      () => true,
      (err: unknown) => {
        if (errnoCode(err) === 'EEXIST') return false;
        throw err;
      },
    );
    if (linked) {
      await fsyncDirectory(dir, where);
      return { location: finalPath, created: true };
    }
  } catch (err) {
    throw io(err, `cannot write the anchor ${finalPath}`, where);
  } finally {
    await handle?.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
  }
  const existing = await readAnchorFile(finalPath, where);
  if (Buffer.compare(Buffer.from(existing), Buffer.from(bytes)) !== 0)
    throw conflict(finalPath, where, origin, size);
  return { location: finalPath, created: false };
}

/** Every `<size>.checkpoint` under the origin's directory, read as bytes (at most MAX_NOTE_BYTES each). */
export async function readDirectoryAnchors(
  target: DirectoryAnchorTarget,
  origin: string,
): Promise<RawAnchor[]> {
  const where = describeAnchorTarget(target);
  await assertDirectory(target);
  const dir = join(target.path, originSegment(origin));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw io(err, `cannot list ${dir}`, where);
  }
  const anchors: RawAnchor[] = [];
  for (const name of names.sort()) {
    const nameSize = sizeOfAnchorName(name);
    if (nameSize === undefined) continue;
    const location = join(dir, name);
    try {
      anchors.push({ location, nameSize, bytes: await readAnchorFile(location, where) });
    } catch (err) {
      anchors.push({ location, error: err as DocketError });
    }
  }
  return anchors;
}

// Opened without following a symlink, and bounded: the directory may hold anything an attacker put there.
async function readAnchorFile(path: string, where: string): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if (errnoCode(err) === 'ELOOP') throw invalid(`${path} is a symlink, not an anchor file`, where, path);
    throw io(err, `cannot open ${path}`, where);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw invalid(`${path} is not a regular file`, where, path);
    if (stats.size > MAX_NOTE_BYTES)
      throw invalid(`${path} is larger than a signed note may be`, where, path);
    return new Uint8Array(await handle.readFile());
  } catch (err) {
    throw io(err, `cannot read ${path}`, where);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function assertDirectory(target: DirectoryAnchorTarget): Promise<void> {
  const where = describeAnchorTarget(target);
  const stats = await lstat(target.path).catch((err: unknown) => {
    if (errnoCode(err) === 'ENOENT') {
      throw new DocketError(AnchorErrorCode.TargetMissing, `there is no anchor directory ${target.path}`, {
        cause: err,
        details: { target: where },
      });
    }
    throw io(err, `cannot inspect ${target.path}`, where);
  });
  if (!stats.isDirectory()) {
    throw new DocketError(AnchorErrorCode.TargetInvalid, `${target.path} is not a directory`, {
      details: { target: where },
    });
  }
}

async function fsyncDirectory(path: string, where: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (err) {
    if (errnoCode(err) !== 'EINVAL') throw io(err, `cannot fsync ${path}`, where);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function io(err: unknown, message: string, target: string): DocketError {
  if (err instanceof DocketError) return err;
  const code = errnoCode(err);
  return new DocketError(AnchorErrorCode.Io, `${message}: ${code ?? String(err)}`, {
    cause: err,
    details: { target, ...(code === undefined ? {} : { errno: code }) },
  });
}

function invalid(message: string, target: string, location: string): DocketError {
  return new DocketError(AnchorErrorCode.Invalid, message, { details: { target, location } });
}
