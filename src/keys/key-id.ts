import { createHash } from 'node:crypto';

/** C2SP signed-note §Signature types: 0x01 is Ed25519. */
export const ALGORITHM_ED25519 = 0x01;

/**
 * The C2SP key ID of an Ed25519 key: the first four bytes of SHA-256(name || 0x0A || 0x01 || public key).
 *
 * @example
 * keyIdHex(computeKeyId('PeterNeumann', publicKey)) // 'c74f20a3'
 */
// C2SP signed-note §Ed25519 signatures
export function computeKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Uint8Array.of(0x0a, ALGORITHM_ED25519))
    .update(publicKey)
    .digest();
  return new Uint8Array(digest.subarray(0, 4));
}

/** The key ID as 8 lowercase hex digits, as written in key strings and DSSE `keyid` fields. */
export function keyIdHex(keyId: Uint8Array): string {
  return Buffer.from(keyId.buffer, keyId.byteOffset, keyId.byteLength).toString('hex');
}
