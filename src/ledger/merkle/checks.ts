// Every argument is hostile (it may come from a proof file, an HTTP request or a corrupted store): validate it
// into a coded error before any arithmetic, so nothing crashes, hangs or silently loses precision.
import { isNonNegativeSafeInteger } from './arithmetic.js';
import { MerkleErrorCode, merkleError } from './errors.js';

/** SHA-256 output length in bytes; every leaf, node and root hash has it. */
export const HASH_SIZE = 32;

/** A safe description of a hostile value for messages (never calls its toString). */
export function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

export function assertHash(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    const length = value instanceof Uint8Array ? value.length : undefined;
    throw merkleError(
      MerkleErrorCode.InvalidHash,
      `${name} must be a ${HASH_SIZE}-byte Uint8Array, got ${length === undefined ? show(value) : `${length} bytes`}`,
      { name, length },
    );
  }
}

/** A tree size or range bound: an integer in [0, MAX_SAFE_INTEGER], at least `min`. */
export function assertSize(value: unknown, name: string, min = 0): asserts value is number {
  if (!isNonNegativeSafeInteger(value) || value < min) {
    throw merkleError(
      MerkleErrorCode.InvalidSize,
      `${name} must be an integer in [${min}, ${Number.MAX_SAFE_INTEGER}], got ${show(value)}`,
      { name, value: show(value) },
    );
  }
}

/** A leaf index inside a non-empty tree of `size` leaves (size validated here too). */
export function assertLeafIndex(index: unknown, size: unknown): asserts index is number {
  assertSize(size, 'size', 1);
  if (!isNonNegativeSafeInteger(index) || index >= size) {
    throw merkleError(
      MerkleErrorCode.InvalidIndex,
      `index must be an integer in [0, ${size}) for a tree of size ${size}, got ${show(index)}`,
      { index: show(index), size },
    );
  }
}

/** Two ordered bounds: `lowName` <= `highName`, both valid sizes. */
export function assertOrdered(low: unknown, high: unknown, lowName: string, highName: string): void {
  assertSize(low, lowName);
  assertSize(high, highName);
  if (low > high) {
    throw merkleError(
      MerkleErrorCode.InvalidRange,
      `${lowName} (${low}) must not exceed ${highName} (${high})`,
      {
        [lowName]: low,
        [highName]: high,
      },
    );
  }
}

/** A proof: an array of exactly `expected` 32-byte hashes. The length is checked first, so huge arrays cost nothing. */
export function assertProof(proof: unknown, expected: number): asserts proof is Uint8Array[] {
  if (!Array.isArray(proof)) {
    throw merkleError(MerkleErrorCode.ProofMalformed, `proof must be an array of hashes, got ${show(proof)}`);
  }
  if (proof.length !== expected) {
    throw merkleError(
      MerkleErrorCode.ProofWrongLength,
      `proof must have ${expected} hashes for these sizes, got ${proof.length}`,
      { expected, actual: proof.length },
    );
  }
  for (let i = 0; i < proof.length; i++) {
    const element: unknown = proof[i];
    if (!(element instanceof Uint8Array) || element.length !== HASH_SIZE) {
      throw merkleError(MerkleErrorCode.ProofMalformed, `proof[${i}] is not a ${HASH_SIZE}-byte hash`, {
        position: i,
        length: element instanceof Uint8Array ? element.length : undefined,
      });
    }
  }
}
