import { DocketError } from '../errors/index.js';
import { DigestErrorCode } from './errors.js';
import { hasControlCharacter, hasLoneSurrogate, quote } from './text.js';

/** Linux PATH_MAX; a longer path cannot be created by the restore anyway. */
export const MAX_PATH_BYTES = 4096;
/** NAME_MAX of ext4, XFS, APFS and NTFS (in bytes or UTF-16 units; bytes is the stricter). */
export const MAX_SEGMENT_BYTES = 255;

const encoder = new TextEncoder();

/**
 * Checks that a manifest path is a clean relative POSIX path that can only name something inside the directory
 * it is restored into. The checks are lexical on purpose: the restore never resolves a manifest path against the
 * filesystem, so no symlink or `..` can redirect it (the failure class behind "zip slip", CVE-2018-1002200).
 *
 * @throws DocketError `ERR_DIGEST_PATH_ESCAPES` (absolute, `..`, backslash) or `ERR_DIGEST_PATH_INVALID`.
 * @example
 * checkManifestPath('weights/model.safetensors'); // ok
 * checkManifestPath('../etc/passwd');             // throws ERR_DIGEST_PATH_ESCAPES
 */
export function checkManifestPath(path: string): void {
  if (path.length === 0) throw invalid(path, 'is empty');
  if (path.startsWith('/')) throw escapes(path, 'is absolute');
  // A backslash is a separator on Windows, where "..\\x" would climb out; POSIX names rarely need one.
  if (path.includes('\\')) throw escapes(path, 'contains a backslash');
  // Control characters are never part of a sane model file name, and a way to forge terminal output.
  if (hasControlCharacter(path)) throw invalid(path, 'contains a NUL or control character');
  if (hasLoneSurrogate(path)) throw invalid(path, 'is not valid Unicode (lone surrogate)');
  for (const segment of path.split('/')) {
    if (segment === '..') throw escapes(path, "has a '..' segment");
    if (segment === '') throw invalid(path, 'has an empty segment (double, leading or trailing slash)');
    if (segment === '.') throw invalid(path, "has a '.' segment");
    if (encoder.encode(segment).length > MAX_SEGMENT_BYTES) {
      throw invalid(path, `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
  if (encoder.encode(path).length > MAX_PATH_BYTES)
    throw invalid(path, `is longer than ${MAX_PATH_BYTES} bytes`);
}

/** Compares two strings by their UTF-8 bytes (= by code point), the order of manifest paths. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function escapes(path: string, why: string): DocketError {
  return new DocketError(DigestErrorCode.PathEscapes, `manifest path ${quote(path)} ${why}`, {
    details: { path: path.slice(0, 256) },
  });
}

function invalid(path: string, why: string): DocketError {
  return new DocketError(DigestErrorCode.PathInvalid, `manifest path ${quote(path)} ${why}`, {
    details: { path: path.slice(0, 256) },
  });
}
