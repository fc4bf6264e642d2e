// A virtual tree of any size (up to 2^53 - 1) whose leaves all share one hash, so every complete node of a level
// has the same hash and can be produced without materialising 2^52 leaves. Consistent by construction: a node of
// level L+1 is hashChildren of two level-L nodes. Lets proofs be generated and verified near Number.MAX_SAFE_INTEGER.
import { createHash } from 'node:crypto';
import type { NodeLookup } from '../node-id.js';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

export const uniformLeaf = sha256(Uint8Array.of(0), new TextEncoder().encode('the same entry'));

const levels: Uint8Array[] = [uniformLeaf];
for (let level = 1; level <= 53; level++) {
  const below = levels[level - 1] as Uint8Array;
  levels.push(sha256(Uint8Array.of(1), below, below));
}

export const uniformLookup: NodeLookup = (id) => levels[id.level] as Uint8Array;
