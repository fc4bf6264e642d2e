export { abortableIterable } from './abortable.js';
export { canonicalJson, canonicalJsonBytes, digestOfJson } from './canonical-json.js';
export type { ContentHasher } from './content-hasher.js';
export { createContentHasher } from './content-hasher.js';
export type { Digest } from './digest.js';
export {
  DIGEST_PREFIX,
  digestBytes,
  digestFromHex,
  digestHex,
  isDigest,
  parseDigest,
  sha256Digest,
} from './digest.js';
export type { DirectoryManifest, DirectoryManifestEntry } from './directory-manifest.js';
export {
  DIRECTORY_MANIFEST_MEDIA_TYPE,
  manifestDigest,
  parseDirectoryManifest,
} from './directory-manifest.js';
export type { WalkedFile } from './directory-walk.js';
export { directoryManifest, walkDirectory } from './directory-walk.js';
export { DigestErrorCode } from './errors.js';
export type { HashOptions, HashResult, ProgressCallback } from './hash-file.js';
export { hashFile, hashStream } from './hash-file.js';
export { checkManifestPath, compareUtf8, MAX_PATH_BYTES, MAX_SEGMENT_BYTES } from './manifest-path.js';
export type { OpenedFile } from './regular-file.js';
export { CHUNK_SIZE, openRegularFile, readFileChunks } from './regular-file.js';
