import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { DocketError, isDocketError } from '../errors/index.js';
import { KeyErrorCode } from './errors.js';
import { formatSignerKey, parseSignerKey, type Signer } from './signer.js';
import { parseVerifierKey, type Verifier } from './verifier.js';

/** A key file holds one key string and a newline; anything much longer is not a key file. */
const MAX_KEY_FILE_BYTES = 4096;
const SIGNER_FILE_MODE = 0o600;
const VERIFIER_FILE_MODE = 0o644;
/** Mode bits for group and world: a signer key file must have none of them. */
const GROUP_WORLD_BITS = 0o077;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function systemCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function ioError(path: string, action: string, cause: unknown): DocketError {
  return new DocketError(KeyErrorCode.FileIo, `cannot ${action} key file ${path}`, {
    details: { path },
    cause,
  });
}

/** Creates `path` with `mode`, never replacing an existing file or following a symlink there (O_CREAT | O_EXCL). */
function writeNewFile(path: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (cause) {
    if (systemCode(cause) === 'EEXIST') {
      throw new DocketError(
        KeyErrorCode.FileExists,
        `key file ${path} already exists; refusing to overwrite it`,
        {
          details: { path },
          cause,
        },
      );
    }
    throw ioError(path, 'create', cause);
  }
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
  } catch (cause) {
    // Best effort: leave no half-written key behind. Either step may fail if the write failed for that reason.
    try {
      closeSync(fd);
    } catch {}
    try {
      unlinkSync(path);
    } catch {}
    throw ioError(path, 'write', cause);
  }
}

/**
 * Reads a small regular file. O_NONBLOCK keeps a FIFO planted at `path` from blocking the open; fstat on the open
 * descriptor (not the path) is what gets checked, so the file cannot be swapped between check and read.
 */
function readKeyText(path: string, secret: boolean): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    if (systemCode(cause) === 'ENOENT') {
      throw new DocketError(KeyErrorCode.FileNotFound, `key file ${path} does not exist`, {
        details: { path },
        cause,
      });
    }
    throw ioError(path, 'open', cause);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new DocketError(KeyErrorCode.FileIo, `key file ${path} is not a regular file`, {
        details: { path },
      });
    }
    if (secret && (stat.mode & GROUP_WORLD_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new DocketError(
        KeyErrorCode.FilePermissions,
        `signer key file ${path} has mode ${mode}; it must grant group and others nothing (chmod 600)`,
        { details: { path, mode } },
      );
    }
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_KEY_FILE_BYTES) {
        throw new DocketError(KeyErrorCode.Malformed, `key file ${path} is larger than a key file can be`, {
          details: { path },
        });
      }
    }
    return utf8.decode(buffer.subarray(0, length));
  } catch (err) {
    if (isDocketError(err)) throw err;
    if (err instanceof TypeError) {
      throw new DocketError(KeyErrorCode.Malformed, `key file ${path} is not UTF-8 text`, {
        details: { path },
      });
    }
    throw ioError(path, 'read', err);
  } finally {
    closeSync(fd);
  }
}

/** Parses the file's text (one key string, optionally followed by one newline), naming the file in errors. */
function parseKeyFile<T>(path: string, text: string, parse: (key: string) => T): T {
  const key = text.endsWith('\n') ? text.slice(0, -1) : text;
  try {
    return parse(key);
  } catch (err) {
    if (!isDocketError(err)) throw err;
    throw new DocketError(err.code, `key file ${path}: ${err.message}`, {
      details: { ...err.details, path },
      cause: err,
    });
  }
}

/**
 * Writes the signer key string to a new file with mode 0600; refuses to overwrite (ERR_KEY_FILE_EXISTS).
 *
 * @example
 * writeSignerKeyFile('/home/docket/keys/ledger.key', generateSigner('example.com/ledger'));
 */
export function writeSignerKeyFile(path: string, signer: Signer): void {
  writeNewFile(path, `${formatSignerKey(signer)}\n`, SIGNER_FILE_MODE);
}

/**
 * Reads a signer key file. Refuses a file that grants any group or world permission (ERR_KEY_FILE_PERMISSIONS),
 * is not a regular file, or does not hold exactly one valid signer key string.
 *
 * @example
 * const signer = readSignerKeyFile('/home/docket/keys/ledger.key');
 */
export function readSignerKeyFile(path: string): Signer {
  return parseKeyFile(path, readKeyText(path, true), parseSignerKey);
}

/**
 * Writes the verifier key string (the public half) to a new file with mode 0644; refuses to overwrite.
 *
 * @example
 * writeVerifierKeyFile('/home/docket/keys/ledger.pub', signer);
 */
export function writeVerifierKeyFile(path: string, key: Pick<Verifier, 'verifierKey'>): void {
  const verifier = parseVerifierKey(key.verifierKey);
  writeNewFile(path, `${verifier.verifierKey}\n`, VERIFIER_FILE_MODE);
}

/**
 * Reads a verifier key file holding one verifier key string.
 *
 * @example
 * const verifier = readVerifierKeyFile('/home/docket/keys/ledger.pub');
 */
export function readVerifierKeyFile(path: string): Verifier {
  return parseKeyFile(path, readKeyText(path, false), parseVerifierKey);
}
