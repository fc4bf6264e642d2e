import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Digest, sha256Digest } from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import { REPORT_ERRORS } from './errors.js';

/** The bytes of a rendered report (UTF-8) and the digest a promotion event cites it by. */
export function reportBytes(markup: string): { bytes: Uint8Array; digest: Digest } {
  const bytes = new TextEncoder().encode(markup);
  return { bytes, digest: sha256Digest(bytes) };
}

/**
 * Writes a rendered report to `path` (through a temporary file and a rename, so a reader never sees half a
 * report) and returns its digest and size.
 *
 * @throws DocketError ERR_REPORT_WRITE_FAILED naming the path
 * @example
 * const { digest } = await writeReport('v1-v2-compare.html', renderComparisonReport(inputs));
 */
export async function writeReport(path: string, markup: string): Promise<{ digest: Digest; bytes: number }> {
  const { bytes, digest } = reportBytes(markup);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new DocketError(REPORT_ERRORS.WRITE_FAILED, `cannot write the report to ${path} (${reason})`, {
      cause,
      details: { path },
    });
  }
  return { digest, bytes: bytes.byteLength };
}
