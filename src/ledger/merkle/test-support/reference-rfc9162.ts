// A deliberately naive transcription of RFC 9162 §2.1 over an explicit list of leaf hashes, with its own SHA-256
// calls, used as the oracle the optimised plan/assembly code is compared against. Exponential care, linear speed.
import { createHash } from 'node:crypto';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function node(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(1), left, right);
}

/** k: the largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 9162 §2.1.1: MTH(D[n]), given the leaf hashes MTH({d(i)}). */
export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  const k = split(leaves.length);
  return node(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** RFC 9162 §2.1.3.1: PATH(m, D[n]). */
export function referenceInclusionProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const n = leaves.length;
  if (n <= 1) return [];
  const k = split(n);
  if (m < k) return [...referenceInclusionProof(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))];
  return [...referenceInclusionProof(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.4.1: SUBPROOF(m, D[n], b). */
function subproof(m: number, leaves: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [referenceRoot(leaves)];
  const k = split(n);
  if (m <= k) return [...subproof(m, leaves.slice(0, k), b), referenceRoot(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.4.1: PROOF(m, D[n]) for 0 < m < n (empty otherwise). */
export function referenceConsistencyProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (m === 0 || m === leaves.length) return [];
  return subproof(m, leaves, true);
}

/** Every complete aligned subtree of the tree over `leaves`, keyed "level/index" (the NodeId convention). */
export function referenceCompleteNodes(leaves: readonly Uint8Array[]): Map<string, Uint8Array> {
  const nodes = new Map<string, Uint8Array>();
  for (let width = 1, level = 0; width <= leaves.length; width *= 2, level++) {
    for (let index = 0; (index + 1) * width <= leaves.length; index++) {
      nodes.set(`${level}/${index}`, referenceRoot(leaves.slice(index * width, (index + 1) * width)));
    }
  }
  return nodes;
}

/** Distinct, reproducible leaf hashes for tests. */
export function sampleLeaves(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    sha256(Uint8Array.of(0), new TextEncoder().encode(`leaf ${i}`)),
  );
}
