import { DocketError } from '../errors/index.js';
import { digestOfJson } from './canonical-json.js';
import { type Digest, parseDigest } from './digest.js';
import { DigestErrorCode } from './errors.js';
import { checkManifestPath } from './manifest-path.js';
import { quote, typeName } from './text.js';

/** The media type naming version 1 of the directory manifest format. */
export const DIRECTORY_MANIFEST_MEDIA_TYPE = 'application/vnd.docket.directory-manifest.v1+json';

/** One regular file of a directory: its relative '/'-separated path, size in bytes and content digest. */
export interface DirectoryManifestEntry {
  readonly path: string;
  readonly size: number;
  readonly digest: Digest;
}

/**
 * The deterministic description of a directory: every regular file, sorted by the UTF-8 bytes of its path.
 * Names and contents only: no mtimes, permissions or owners, and no empty directories, so the same tree
 * gives the same manifest on any machine. Its digest is {@link manifestDigest}.
 */
export interface DirectoryManifest {
  readonly mediaType: typeof DIRECTORY_MANIFEST_MEDIA_TYPE;
  readonly files: readonly DirectoryManifestEntry[];
}

/**
 * The digest of a directory: sha256 over the RFC 8785 canonical bytes of its manifest.
 *
 * @example
 * const digest = manifestDigest(await directoryManifest('model/'));
 */
export function manifestDigest(manifest: DirectoryManifest): Digest {
  return digestOfJson(parseDirectoryManifest(manifest));
}

const MANIFEST_KEYS = ['files', 'mediaType'];
const ENTRY_KEYS = ['digest', 'path', 'size'];

/**
 * Validates an untrusted directory manifest (typically JSON read back from the store before a restore) and
 * returns a fresh, frozen copy. Beyond the shape, every path must be safe to join onto an output directory
 * (see `checkManifestPath`), no path may repeat or be both a file and a directory of another path, and the
 * files must be in canonical order, so each directory has exactly one valid manifest.
 *
 * @throws DocketError `ERR_DIGEST_MANIFEST_MALFORMED`, `ERR_DIGEST_PATH_ESCAPES`, `ERR_DIGEST_PATH_INVALID`,
 *   `ERR_DIGEST_PATH_CONFLICT`.
 * @example
 * const manifest = parseDirectoryManifest(JSON.parse(text));
 */
export function parseDirectoryManifest(input: unknown): DirectoryManifest {
  try {
    return parseUnguarded(input);
  } catch (err) {
    if (err instanceof DocketError) throw err;
    // A hostile object (a Proxy, a throwing getter) must still end as a coded error.
    throw malformed('the manifest could not be read', {}, err);
  }
}

function parseUnguarded(input: unknown): DirectoryManifest {
  const record = plainRecord(input, 'the manifest', MANIFEST_KEYS);
  if (record.mediaType !== DIRECTORY_MANIFEST_MEDIA_TYPE) {
    const got = typeof record.mediaType === 'string' ? quote(record.mediaType) : typeName(record.mediaType);
    throw malformed(`the manifest media type is ${got}; expected ${DIRECTORY_MANIFEST_MEDIA_TYPE}`, {
      field: 'mediaType',
    });
  }
  const files = record.files;
  if (!Array.isArray(files))
    throw malformed(`"files" is ${typeName(files)}, not an array`, { field: 'files' });
  const entries: DirectoryManifestEntry[] = [];
  let previous: Buffer | undefined;
  for (let index = 0; index < files.length; index += 1) {
    const entry = parseEntry(files[index], index);
    const key = Buffer.from(entry.path, 'utf8');
    if (previous !== undefined) {
      const order = Buffer.compare(previous, key);
      if (order === 0) throw conflict(entry.path, 'appears twice');
      if (order > 0) {
        throw malformed(`files[${index}] ${quote(entry.path)} is out of order; paths sort by UTF-8 bytes`, {
          index,
          path: entry.path.slice(0, 256),
        });
      }
    }
    previous = key;
    entries.push(entry);
  }
  checkNoFileIsADirectory(entries);
  return Object.freeze({ mediaType: DIRECTORY_MANIFEST_MEDIA_TYPE, files: Object.freeze(entries) });
}

function parseEntry(input: unknown, index: number): DirectoryManifestEntry {
  const record = plainRecord(input, `files[${index}]`, ENTRY_KEYS);
  const { path, size, digest } = record;
  if (typeof path !== 'string') {
    throw malformed(`files[${index}].path is ${typeName(path)}, not a string`, { index, field: 'path' });
  }
  checkManifestPath(path);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw malformed(`files[${index}].size must be a non-negative safe integer`, { index, field: 'size' });
  }
  let parsed: Digest;
  try {
    parsed = parseDigest(digest);
  } catch (err) {
    throw malformed(`files[${index}].digest: ${(err as Error).message}`, { index, field: 'digest' }, err);
  }
  return Object.freeze({ path, size, digest: parsed });
}

// A path that is a file and also the parent of another path cannot be restored: one of the two writes must fail.
function checkNoFileIsADirectory(entries: readonly DirectoryManifestEntry[]): void {
  const filePaths = new Set(entries.map((entry) => entry.path));
  for (const { path } of entries) {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const parent = path.slice(0, slash);
      if (filePaths.has(parent)) throw conflict(path, `lies under ${quote(parent)}, which is a file`);
    }
  }
}

function plainRecord(input: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw malformed(`${what} is ${typeName(input)}, not an object`, {});
  }
  const own = Object.keys(input).sort();
  const extra = own.filter((key) => !keys.includes(key));
  if (extra.length > 0) {
    throw malformed(`${what} has unknown key ${quote(extra[0] ?? '')}`, {
      key: (extra[0] ?? '').slice(0, 64),
    });
  }
  const missing = keys.filter((key) => !Object.hasOwn(input, key));
  if (missing.length > 0) throw malformed(`${what} lacks "${missing[0]}"`, { key: missing[0] });
  return input as Record<string, unknown>;
}

function conflict(path: string, why: string): DocketError {
  return new DocketError(DigestErrorCode.PathConflict, `manifest path ${quote(path)} ${why}`, {
    details: { path: path.slice(0, 256) },
  });
}

function malformed(message: string, details: Record<string, unknown>, cause?: unknown): DocketError {
  return new DocketError(DigestErrorCode.ManifestMalformed, `invalid directory manifest: ${message}`, {
    details,
    cause,
  });
}
