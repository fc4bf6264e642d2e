import {
  canonicalJsonBytes,
  type Digest,
  type DirectoryManifest,
  parseDirectoryManifest,
} from '../digest/index.js';
import { DocketError } from '../errors/index.js';
import { ArtefactErrorCode } from './errors.js';

/** 64 MiB of canonical JSON is some 400,000 files: beyond any model directory, small enough to hold in memory. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** How every canonical manifest starts: RFC 8785 sorts "files" before "mediaType". */
export const MANIFEST_PREFIX = new TextEncoder().encode('{"files":[');

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a stored blob as a directory manifest: strict UTF-8, JSON, the v1 shape (hostile input: every path is
 * checked), and byte-for-byte canonical, so that one directory has one manifest digest.
 *
 * @throws DocketError `ERR_ARTEFACT_NOT_A_MANIFEST`, or the `ERR_DIGEST_*` code of an unsafe or malformed manifest.
 */
export function decodeManifestBlob(bytes: Uint8Array, digest: Digest): DirectoryManifest {
  let json: unknown;
  try {
    json = JSON.parse(strictUtf8.decode(bytes));
  } catch (err) {
    throw notAManifest(digest, 'it is not UTF-8 JSON', err);
  }
  const manifest = parseDirectoryManifest(json);
  if (Buffer.compare(canonicalJsonBytes(manifest), bytes) !== 0) {
    throw notAManifest(digest, 'it is not in RFC 8785 canonical form');
  }
  return manifest;
}

function notAManifest(digest: Digest, why: string, cause?: unknown): DocketError {
  return new DocketError(
    ArtefactErrorCode.NotAManifest,
    `artefact ${digest} is not a directory manifest: ${why}`,
    {
      details: { digest },
      cause,
    },
  );
}
