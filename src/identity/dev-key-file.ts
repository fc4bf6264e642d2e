import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { IdentityErrorCode, identityError } from './errors.js';

/** File name of the dev-identity private key inside its key directory. */
export const DEV_KEY_FILE = 'dev-identity.jwk.json';

const MAX_KEY_FILE_BYTES = 16 * 1024;

/** The dev-identity signing key: an Ed25519 private JWK with its RFC 7638 thumbprint as `kid`. */
export interface DevKey {
  readonly path: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly kid: string;
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/**
 * Loads the dev key, creating it on first use. Creation is atomic (write a 0600 temp file, then link it into
 * place), so two processes starting together end up sharing one key instead of overwriting each other's.
 */
export async function loadOrCreateDevKey(keyDir: string): Promise<DevKey> {
  const path = join(keyDir, DEV_KEY_FILE);
  try {
    return await readDevKey(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  try {
    await createKeyFile(keyDir, path);
  } catch (cause) {
    throw identityError(IdentityErrorCode.DevKeyInvalid, `cannot create dev identity key ${path}`, {
      details: { path },
      cause,
    });
  }
  return readDevKey(path);
}

async function createKeyFile(keyDir: string, path: string): Promise<void> {
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const { kty, crv, x, d } = privateKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty, crv, x } as JWK, 'sha256');
  const body = `${JSON.stringify({ kty, crv, x, d, kid, alg: 'EdDSA', use: 'sig' })}\n`;
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, body, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
  } catch (err) {
    // Someone else created it first: theirs is the key.
    if (!isErrno(err, 'EEXIST')) throw err;
  } finally {
    await unlink(temp);
  }
}

/** Reads and checks the dev key file; ENOENT passes through (the caller decides what absence means). */
export async function readDevKey(path: string): Promise<DevKey> {
  const invalid = (why: string, cause?: unknown): never => {
    throw identityError(IdentityErrorCode.DevKeyInvalid, `dev identity key ${path}: ${why}`, {
      details: { path },
      cause,
    });
  };
  let info: Awaited<ReturnType<typeof stat>>;
  let text = '';
  try {
    info = await stat(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw err;
    return invalid('cannot be read', err);
  }
  // Like ssh with its private keys: a key others can read is a key others can mint identities with.
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    invalid(`permissions ${(info.mode & 0o777).toString(8)} are too open (want 600)`);
  }
  if (!info.isFile() || info.size > MAX_KEY_FILE_BYTES) invalid('not a small regular file');
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    invalid('cannot be read', cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    invalid('not JSON', cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return invalid('not a JSON object');
  const { kty, crv, x, d, kid } = parsed as Record<string, unknown>;
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string' || typeof d !== 'string') {
    return invalid('not an Ed25519 private JWK');
  }
  let derivedX: unknown;
  try {
    derivedX = createPrivateKey({ key: { kty, crv, x, d }, format: 'jwk' }).export({ format: 'jwk' }).x;
  } catch (cause) {
    invalid('the key does not import', cause);
  }
  if (derivedX !== x) invalid('the public part does not match the private part');
  const thumbprint = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }, 'sha256');
  if (kid !== thumbprint) invalid('kid is not the key thumbprint');
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x, kid: thumbprint, alg: 'EdDSA', use: 'sig' };
  return {
    path,
    privateJwk: { ...publicJwk, d },
    publicJwk,
    kid: thumbprint,
  };
}
