import { type Digest, digestFromHex, digestHex } from '../../digest/index.js';

// Pure path arithmetic of the filesystem store, kept apart from I/O (as tessera keeps `api/layout`):
//   blobs/sha256/<first 2 hex>/<remaining 62 hex>   committed blobs, read-only
//   tmp/<name>                                      writes in progress (same filesystem, so rename is atomic)
// Two hex digits give 256 shard directories, the split git uses for loose objects.

/** The directory holding committed blobs, relative to the store root. */
export const BLOBS_DIR = 'blobs/sha256';
/** The directory holding writes in progress, relative to the store root. */
export const TEMP_DIR = 'tmp';

const SHARD = /^[0-9a-f]{2}$/;
const REST = /^[0-9a-f]{62}$/;

/** `[shard, name]` of a digest's blob under {@link BLOBS_DIR}. */
export function blobLocation(digest: Digest): [shard: string, name: string] {
  const hex = digestHex(digest);
  return [hex.slice(0, 2), hex.slice(2)];
}

/** True when `name` can be a shard directory. */
export function isShardName(name: string): boolean {
  return SHARD.test(name);
}

/** The digest a shard/name pair stands for, or undefined when the name fits no digest. */
export function digestAtLocation(shard: string, name: string): Digest | undefined {
  if (!SHARD.test(shard) || !REST.test(name)) return undefined;
  return digestFromHex(`${shard}${name}`);
}
