import { type Digest, digestFromHex, digestHex } from '../../digest/index.js';

// Pure key arithmetic of the S3 store, kept apart from I/O (as the fs backend keeps `fs/layout`):
//   <prefix>blobs/sha256/<64 hex>   committed blobs (Object Lock retention when configured)
//   <prefix>tmp/<name>              writes in progress, copied server-side under their digest on commit
// No shard level: S3 has no directories to keep small, and keys listed in UTF-8 order are digests in order.

/** Where committed blobs live, under the prefix. */
export const BLOB_KEY_PREFIX = 'blobs/sha256/';
/** Where writes in progress live, under the prefix. */
export const TEMP_KEY_PREFIX = 'tmp/';

const BLOB_NAME = /^[0-9a-f]{64}$/;
// A key prefix is empty or ends in '/', and is made of path segments S3 and URLs carry without surprises.
const KEY_PREFIX = /^(?:[A-Za-z0-9!_.*'()-]+\/)*$/;
const TEMP_NAME = /^[A-Za-z0-9._-]+$/;

/** True when `prefix` can prefix the store's keys: empty, or segments ending in '/', no '.' or '..' segment. */
export function isKeyPrefix(prefix: string): boolean {
  return KEY_PREFIX.test(prefix) && !prefix.split('/').some((segment) => segment === '.' || segment === '..');
}

/** True when `name` can be a temporary's name (what `scan` reports and `removeTemp` takes). */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name) && name !== '.' && name !== '..';
}

/** The key of a digest's blob. */
export function blobKey(prefix: string, digest: Digest): string {
  return `${prefix}${BLOB_KEY_PREFIX}${digestHex(digest)}`;
}

/** The key of a temporary. */
export function tempKey(prefix: string, name: string): string {
  return `${prefix}${TEMP_KEY_PREFIX}${name}`;
}

/** What a key under the prefix stands for. */
export type KeyMeaning =
  | { kind: 'blob'; digest: Digest }
  | { kind: 'temp'; name: string }
  | { kind: 'misnamed'; name: string };

/** Reads a listed key (which starts with `prefix`): a blob, a temporary, or something that fits neither. */
export function keyMeaning(prefix: string, key: string): KeyMeaning {
  const name = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  if (name.startsWith(BLOB_KEY_PREFIX)) {
    const hex = name.slice(BLOB_KEY_PREFIX.length);
    if (BLOB_NAME.test(hex)) return { kind: 'blob', digest: digestFromHex(hex) };
  } else if (name.startsWith(TEMP_KEY_PREFIX)) {
    const temp = name.slice(TEMP_KEY_PREFIX.length);
    if (isTempName(temp)) return { kind: 'temp', name: temp };
  }
  return { kind: 'misnamed', name };
}

/** The `CopySource` of a key's version: bucket and URL-encoded key, as S3 wants it. */
export function copySource(bucket: string, key: string, versionId: string | undefined): string {
  const path = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return versionId === undefined ? path : `${path}?versionId=${encodeURIComponent(versionId)}`;
}
