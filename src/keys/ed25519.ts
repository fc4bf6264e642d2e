import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export const ED25519_SEED_LENGTH = 32;
export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

// RFC 8410 §7: PKCS#8 OneAsymmetricKey for Ed25519, followed by the 32-byte seed.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// RFC 8410 §4: SubjectPublicKeyInfo for Ed25519, followed by the 32-byte public key.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Encodings of the Ed25519 points of small order (ignoring the sign bit), as libsodium's
 * `ge25519_has_small_order` lists them. Under such a public key OpenSSL accepts trivially forged signatures
 * (the all-zero key verifies the all-zero signature on any message), so docket refuses these keys.
 */
const SMALL_ORDER_ENCODINGS = [
  '0000000000000000000000000000000000000000000000000000000000000000', // 0, order 4
  '0100000000000000000000000000000000000000000000000000000000000000', // 1, order 1
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p - 1, order 2
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p (= 0), order 4
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1 (= 1), order 1
].map((hex) => Buffer.from(hex, 'hex'));

/** Whether a 32-byte encoded public key is a small-order point (RFC 8032 §5.1.3 decoding, sign bit ignored). */
export function hasSmallOrder(publicKey: Uint8Array): boolean {
  const masked = Buffer.from(publicKey);
  masked[31] = (masked[31] ?? 0) & 0x7f;
  return SMALL_ORDER_ENCODINGS.some((encoding) => encoding.equals(masked));
}

/** The private KeyObject for a 32-byte RFC 8032 seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32-byte public key of a private KeyObject. */
export function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** The public KeyObject for a 32-byte public key (throws if OpenSSL refuses it). */
export function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** RFC 8032 §5.1.6 signature (deterministic: the same key and message give the same 64 bytes). */
export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

/** RFC 8032 §5.1.7 verification; false for any malformed signature, never a throw. */
export function ed25519Verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(message instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
  if (signature.byteLength !== ED25519_SIGNATURE_LENGTH) return false;
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
