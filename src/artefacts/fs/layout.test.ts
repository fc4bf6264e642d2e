import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../digest/index.js';
import { blobLocation, digestAtLocation, isShardName } from './layout.js';

const DIGEST = parseDigest('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

describe('fs layout', () => {
  it('splits a digest into a 2-hex shard and a 62-hex name, and back', () => {
    const [shard, name] = blobLocation(DIGEST);
    expect(shard).toBe('e3');
    expect(name).toBe('b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(digestAtLocation(shard, name)).toBe(DIGEST);
  });

  it.each([
    ['E3', 'b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['e3', 'B0C44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['e3', 'b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'],
    ['e3', 'b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.tmp'],
    ['e', '3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['..', 'b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('finds no digest at %s/%s', (shard, name) => {
    expect(digestAtLocation(shard, name)).toBeUndefined();
  });

  it('recognises shard names', () => {
    expect(isShardName('0f')).toBe(true);
    expect(isShardName('0F')).toBe(false);
    expect(isShardName('tmp')).toBe(false);
  });
});
