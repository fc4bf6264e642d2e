// S3 multipart limits (AWS "Amazon S3 multipart upload limits"): at most 10,000 parts; every part but the last
// at least 5 MiB; a part at most 5 GiB. Pure arithmetic, kept apart from I/O.

const MiB = 1024 * 1024;
/** The smallest part S3 accepts, but for the last. */
export const MIN_PART_BYTES = 5 * MiB;
/** The largest part S3 accepts. */
export const MAX_PART_BYTES = 5 * 1024 * MiB;
/** The default size of an upload part: one part buffered in memory at a time. */
export const DEFAULT_PART_BYTES = 8 * MiB;
/** Parts per doubling of the part size, so a stream of unknown length can reach S3's 5 TiB object limit. */
const PARTS_PER_STEP = 1000;

/**
 * The size of part `partNumber` (1-based) of an upload whose first parts are `base` bytes: doubling every 1,000
 * parts, so 10,000 parts of a base of 8 MiB hold about 8 TiB, more than S3's 5 TiB limit for one object.
 */
export function partSizeFor(partNumber: number, base: number): number {
  const step = Math.floor((partNumber - 1) / PARTS_PER_STEP);
  return Math.min(MAX_PART_BYTES, base * 2 ** step);
}

/** The base part size for a stream of `sizeHint` bytes: big enough that it fits in the first 1,000 parts. */
export function basePartSize(configured: number, sizeHint: number | undefined): number {
  if (sizeHint === undefined || !Number.isSafeInteger(sizeHint) || sizeHint <= 0) return configured;
  const needed = Math.ceil(sizeHint / PARTS_PER_STEP / MiB) * MiB;
  return Math.min(MAX_PART_BYTES, Math.max(configured, needed));
}

/** The default size of a server-side copied part: small enough that S3 answers each within the idle timeout. */
export const DEFAULT_COPY_PART_BYTES = 256 * MiB;
const MAX_PARTS = 10_000;

/**
 * The `CopySourceRange`s that copy an object of `size` bytes in parts of about `partBytes` (RFC 9110 §14.1.2
 * byte ranges, inclusive); a single `undefined` (the whole object) when it fits in one part.
 */
export function copyRanges(size: number, partBytes: number): (string | undefined)[] {
  const step = Math.max(partBytes, Math.ceil(size / MAX_PARTS));
  if (size <= step) return [undefined];
  const ranges: string[] = [];
  for (let start = 0; start < size; start += step)
    ranges.push(`bytes=${start}-${Math.min(size, start + step) - 1}`);
  return ranges;
}
