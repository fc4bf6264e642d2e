// Known answers from the RFC 6962 reference tree (transparency-dev/merkle testonly/reference_test.go), inlined so
// they run without ../shared.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'hex'));

describe('hashLeaf / hashChildren / EMPTY_ROOT (RFC 9162 §2.1.1)', () => {
  it('EMPTY_ROOT is SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashLeaf prefixes 0x00 (reference tree leaves "" and "00")', () => {
    expect(hex(hashLeaf(new Uint8Array()))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(hex(hashLeaf(fromHex('00')))).toBe(
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    );
  });

  it('hashChildren prefixes 0x01 (reference tree root of 2 leaves)', () => {
    const root = hashChildren(hashLeaf(new Uint8Array()), hashLeaf(fromHex('00')));
    expect(hex(root)).toBe('fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
    const manual = createHash('sha256')
      .update(Uint8Array.of(1))
      .update(hashLeaf(new Uint8Array()))
      .update(hashLeaf(fromHex('00')))
      .digest();
    expect(root).toEqual(new Uint8Array(manual));
  });

  it('returns plain 32-byte Uint8Arrays, not Buffers', () => {
    const leaf = hashLeaf(Buffer.from('x'));
    expect(leaf.constructor).toBe(Uint8Array);
    expect(leaf).toHaveLength(32);
  });

  it('refuses what is not bytes or not a 32-byte hash, with coded errors', () => {
    expect(() => hashLeaf('text' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: MerkleErrorCode.InvalidArgument }),
    );
    for (const bad of [
      new Uint8Array(31),
      new Uint8Array(33),
      null,
      'x'.repeat(32),
      [...new Uint8Array(32)],
    ]) {
      let thrown: unknown;
      try {
        hashChildren(bad as Uint8Array, new Uint8Array(32));
      } catch (err) {
        thrown = err;
      }
      expect(isDocketError(thrown, MerkleErrorCode.InvalidHash)).toBe(true);
    }
  });
});
