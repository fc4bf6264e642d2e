import { DocketError } from '../errors/index.js';
import { encodeBase64 } from './base64.js';
import { ED25519_PUBLIC_KEY_LENGTH, ed25519Verify, hasSmallOrder, publicKeyObject } from './ed25519.js';
import { KeyErrorCode } from './errors.js';
import { ALGORITHM_ED25519, computeKeyId, keyIdHex } from './key-id.js';
import { assertKeyName } from './key-name.js';
import { assertKeyId, splitKeyString } from './key-string.js';

/** Checks signatures by one named Ed25519 key. Shared with anyone: it holds only the public half. */
export interface Verifier {
  readonly name: string;
  /** C2SP key ID: SHA-256(name || 0x0A || 0x01 || publicKey)[:4]. */
  readonly keyId: Uint8Array;
  readonly keyIdHex: string;
  readonly publicKey: Uint8Array;
  /** `<name>+<keyIdHex>+<base64(0x01 || publicKey)>`, the string golang.org/x/mod/sumdb/note reads. */
  readonly verifierKey: string;
  /** Whether `signature` is a valid Ed25519 signature of `message`; never throws. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

function assertPublicKeyLength(publicKey: unknown): asserts publicKey is Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new DocketError(
      KeyErrorCode.Malformed,
      `an Ed25519 public key is ${ED25519_PUBLIC_KEY_LENGTH} bytes`,
    );
  }
}

/**
 * The C2SP verifier key string for a name and a 32-byte Ed25519 public key.
 *
 * @example
 * formatVerifierKey('PeterNeumann', publicKey) // 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
 */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  assertKeyName(name);
  assertPublicKeyLength(publicKey);
  const id = keyIdHex(computeKeyId(name, publicKey));
  return `${name}+${id}+${encodeBase64(Uint8Array.of(ALGORITHM_ED25519, ...publicKey))}`;
}

/**
 * A Verifier for a name and a 32-byte Ed25519 public key. Refuses small-order keys (ERR_KEY_PUBLIC_KEY_WEAK).
 *
 * @example
 * const verifier = verifierFromPublicKey('example.com/log', signer.publicKey);
 */
export function verifierFromPublicKey(name: string, publicKey: Uint8Array): Verifier {
  assertKeyName(name);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new DocketError(
      KeyErrorCode.Malformed,
      `an Ed25519 public key is ${ED25519_PUBLIC_KEY_LENGTH} bytes`,
    );
  }
  if (hasSmallOrder(publicKey)) {
    throw new DocketError(KeyErrorCode.PublicKeyWeak, `key ${name}: the public key is a small-order point`, {
      details: { name },
    });
  }
  let keyObject: ReturnType<typeof publicKeyObject>;
  try {
    keyObject = publicKeyObject(publicKey);
  } catch (cause) {
    throw new DocketError(KeyErrorCode.Malformed, `key ${name}: not an Ed25519 public key`, { cause });
  }
  const key = new Uint8Array(publicKey);
  const keyId = computeKeyId(name, key);
  return Object.freeze({
    name,
    keyId,
    keyIdHex: keyIdHex(keyId),
    publicKey: key,
    verifierKey: formatVerifierKey(name, key),
    verify: (message: Uint8Array, signature: Uint8Array) => ed25519Verify(keyObject, message, signature),
  });
}

/**
 * Parses a C2SP verifier key string strictly: valid name, 8 lowercase hex digits, canonical base64 of
 * 0x01 || 32 bytes, and the key ID must be the one computed from the name and key.
 *
 * @example
 * const verifier = parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * verifier.keyIdHex // 'c74f20a3'
 */
export function parseVerifierKey(text: string): Verifier {
  if (typeof text === 'string' && text.startsWith('PRIVATE+KEY+')) {
    throw new DocketError(KeyErrorCode.Malformed, 'this is a signer (private) key, not a verifier key');
  }
  const parts = splitKeyString(text, 'verifier key');
  assertKeyId(parts.name, parts.key, parts.keyIdHex);
  return verifierFromPublicKey(parts.name, parts.key);
}
