import { randomBytes } from 'node:crypto';
import { DocketError } from '../errors/index.js';
import { encodeBase64 } from './base64.js';
import {
  ED25519_SEED_LENGTH,
  ed25519Sign,
  hasSmallOrder,
  privateKeyFromSeed,
  rawPublicKey,
} from './ed25519.js';
import { KeyErrorCode } from './errors.js';
import { ALGORITHM_ED25519, computeKeyId, keyIdHex } from './key-id.js';
import { assertKeyName } from './key-name.js';
import { assertKeyId, splitKeyString } from './key-string.js';
import { formatVerifierKey } from './verifier.js';

/** Signs with one named Ed25519 key. The private half never appears on the object. */
export interface Signer {
  readonly name: string;
  /** C2SP key ID: SHA-256(name || 0x0A || 0x01 || publicKey)[:4]. */
  readonly keyId: Uint8Array;
  readonly keyIdHex: string;
  readonly publicKey: Uint8Array;
  /** The verifier key string to hand to verifiers. */
  readonly verifierKey: string;
  /** The 64-byte Ed25519 signature of `message` (RFC 8032, deterministic). */
  sign(message: Uint8Array): Uint8Array;
}

const PRIVATE_PREFIX = 'PRIVATE+KEY+';

/** Seeds of the signers this module made, so they can be written to a key file without sitting on the object. */
const seeds = new WeakMap<Signer, Uint8Array>();

function signerFromSeed(name: string, seed: Uint8Array): Signer {
  const privateKey = privateKeyFromSeed(seed);
  const publicKey = rawPublicKey(privateKey);
  const keyId = computeKeyId(name, publicKey);
  const signer: Signer = Object.freeze({
    name,
    keyId,
    keyIdHex: keyIdHex(keyId),
    publicKey,
    verifierKey: formatVerifierKey(name, publicKey),
    sign: (message: Uint8Array) => ed25519Sign(privateKey, message),
  });
  seeds.set(signer, new Uint8Array(seed));
  return signer;
}

/**
 * A fresh Ed25519 signing key named `name` (the log origin, e.g. `example.com/ledger`).
 *
 * @example
 * const signer = generateSigner('example.com/ledger');
 * signer.verifierKey // 'example.com/ledger+1a2b3c4d+AX…'
 */
export function generateSigner(name: string): Signer {
  assertKeyName(name);
  for (;;) {
    const seed = randomBytes(ED25519_SEED_LENGTH);
    // A seed whose public key has small order is astronomically unlikely; never hand one out regardless.
    if (!hasSmallOrder(rawPublicKey(privateKeyFromSeed(seed)))) return signerFromSeed(name, seed);
  }
}

/**
 * The signer key string `PRIVATE+KEY+<name>+<8 hex>+<base64(0x01 || seed)>` (golang.org/x/mod/sumdb/note's
 * format). It is the secret: store it only in a 0600 file (see writeSignerKeyFile).
 *
 * @example
 * formatSignerKey(parseSignerKey(text)) === text // true
 */
export function formatSignerKey(signer: Signer): string {
  const seed = seeds.get(signer);
  if (seed === undefined) {
    throw new DocketError(
      KeyErrorCode.NotExportable,
      'this signer was not created by docket; its key cannot be written',
    );
  }
  return `${PRIVATE_PREFIX}${signer.name}+${signer.keyIdHex}+${encodeBase64(Uint8Array.of(ALGORITHM_ED25519, ...seed))}`;
}

/**
 * Parses a signer key string strictly; the key ID must match the public key derived from the seed.
 *
 * @example
 * const signer = parseSignerKey('PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz');
 * signer.verifierKey // 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
 */
export function parseSignerKey(text: string): Signer {
  if (typeof text !== 'string' || !text.startsWith(PRIVATE_PREFIX)) {
    throw new DocketError(
      KeyErrorCode.Malformed,
      `malformed signer key (it must start with ${PRIVATE_PREFIX})`,
    );
  }
  const parts = splitKeyString(text.slice(PRIVATE_PREFIX.length), 'signer key');
  const publicKey = rawPublicKey(privateKeyFromSeed(parts.key));
  assertKeyId(parts.name, publicKey, parts.keyIdHex);
  if (hasSmallOrder(publicKey)) {
    throw new DocketError(
      KeyErrorCode.PublicKeyWeak,
      `key ${parts.name}: the public key is a small-order point`,
    );
  }
  return signerFromSeed(parts.name, parts.key);
}
