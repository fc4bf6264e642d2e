import { describe, expect, it } from 'vitest';
import { ed25519Verify, hasSmallOrder, publicKeyObject } from './ed25519.js';
import { generateSigner } from './signer.js';

describe('hasSmallOrder', () => {
  it('is why docket refuses such keys: under the identity point OpenSSL verifies (R = identity, S = 0) for any message', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const forged = new Uint8Array(64);
    forged[0] = 1;
    for (const text of ['anything', 'at all']) {
      expect(ed25519Verify(publicKeyObject(identity), new TextEncoder().encode(text), forged)).toBe(true);
    }
    expect(hasSmallOrder(identity)).toBe(true);
  });

  it('flags the libsodium small-order encodings with either sign bit, and not real keys', () => {
    const encodings = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    for (const hex of encodings) {
      const key = Buffer.from(hex, 'hex');
      expect(hasSmallOrder(key)).toBe(true);
      key[31] = (key[31] ?? 0) | 0x80;
      expect(hasSmallOrder(key)).toBe(true);
    }
    expect(hasSmallOrder(generateSigner('a').publicKey)).toBe(false);
  });
});
