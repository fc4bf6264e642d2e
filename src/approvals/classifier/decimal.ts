/** An exact decimal: coefficient × 10^exponent. */
interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const NUMBER_TEXT = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([+-][0-9]+))?$/;

/**
 * The decimal a finite number is written as (its shortest round-trip form, ECMA-262 Number::toString), which is
 * what the manifest and policy said. Binary arithmetic would judge 0.81 − 0.80 = 0.010000000000000009 to exceed
 * a limit of 0.01; decimal arithmetic on what was written does not.
 */
function toDecimal(value: number): Decimal {
  const match = NUMBER_TEXT.exec(String(value));
  if (match === null) throw new RangeError(`not a finite number: ${value}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  return { coefficient: BigInt(`${sign}${whole}${fraction}`), exponent: Number(exponent) - fraction.length };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [
    a.coefficient * 10n ** BigInt(a.exponent - exponent),
    b.coefficient * 10n ** BigInt(b.exponent - exponent),
    exponent,
  ];
}

/** `a − b`, exactly, as decimals. */
export function decimalDifference(a: number, b: number): Decimal {
  const [x, y, exponent] = aligned(toDecimal(a), toDecimal(b));
  return { coefficient: x - y, exponent };
}

/** `|d|`. */
export function decimalAbs(d: Decimal): Decimal {
  return d.coefficient < 0n ? { coefficient: -d.coefficient, exponent: d.exponent } : d;
}

/** True when the decimal `d` is strictly greater than the number `limit` (as written). */
export function decimalExceeds(d: Decimal, limit: number): boolean {
  const [x, y] = aligned(d, toDecimal(limit));
  return x > y;
}

/** The number nearest to `d` (the value a reader would write). */
export function decimalToNumber(d: Decimal): number {
  return Number(`${d.coefficient}e${d.exponent}`);
}
