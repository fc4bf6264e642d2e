// Exact index arithmetic for trees of up to Number.MAX_SAFE_INTEGER leaves. JavaScript's bitwise operators
// truncate to 32 bits, so shifts are divisions by powers of two: every value here is an integer below 2^54 that is
// a multiple of the power of two involved, hence exactly representable as a double.

/** The largest tree size (and the largest leaf count any range may reach). */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

export function isNonNegativeSafeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** RFC 9162 §2.1.1: k, the largest power of two smaller than n (n >= 2). At most 53 doublings, never a hang. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && largestPowerOfTwoBelow(n + 1) === n;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** n >> 1, exact for every safe integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}
