import { randomUUID } from 'node:crypto';
import { link, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Digest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import type { ArtefactBackend } from './backend.js';
import { ArtefactErrorCode } from './errors.js';
import { errnoCode, fsyncDirectory, ioError } from './local-files.js';
import { type ReadOptions, writeVerifiedFile } from './verified-read.js';

/** Options of `ArtefactStore.getToFile`. */
export interface GetToFileOptions extends ReadOptions {
  /** Replace an existing file at the destination (atomically). Default: refuse with `ERR_ARTEFACT_OUTPUT_EXISTS`. */
  overwrite?: boolean;
}

/**
 * Writes a blob to a temporary file beside `path`, verifying and fsyncing it, and only then moves it into place:
 * `path` either does not change or holds exactly the verified bytes. Without `overwrite` the move is a hard link,
 * which fails atomically when `path` exists, instead of a check-then-rename race.
 */
export async function getToFile(
  backend: ArtefactBackend,
  digest: Digest,
  path: string,
  options: GetToFileOptions,
): Promise<{ digest: Digest; size: number }> {
  const target = resolve(path);
  const directory = dirname(target);
  const tempPath = join(directory, `.${basename(target)}.docket-${randomUUID()}.tmp`);
  const size = await writeVerifiedFile(backend, digest, tempPath, options);
  try {
    if (options.overwrite === true) {
      await rename(tempPath, target).catch((err: unknown) => {
        throw ioError(err, `cannot move the verified file to ${target}`, { path: target });
      });
    } else {
      await link(tempPath, target).catch((err: unknown) => {
        if (errnoCode(err) === 'EEXIST') {
          throw new DocketError(
            ArtefactErrorCode.OutputExists,
            `${target} already exists; pass overwrite to replace it`,
            {
              details: { path: target },
            },
          );
        }
        throw ioError(err, `cannot move the verified file to ${target}`, { path: target });
      });
      await unlink(tempPath);
    }
    await fsyncDirectory(directory);
    return { digest, size };
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    throw err;
  }
}
