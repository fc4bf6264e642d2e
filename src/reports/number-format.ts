/** An exact decimal: coefficient × 10^exponent. */
interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const NUMBER_TEXT = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([+-][0-9]+))?$/;

/** Decimals every measured value is shown with (the pipeline rounds metrics, PSI and attributions to 6). */
export const MEASURE_DECIMALS = 6;

// The decimal a finite number is written as: its shortest round-trip form (ECMA-262 Number::toString), which
// is exactly specified, so the same number spells the same on every machine, with no locale involved.
function toDecimal(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const match = NUMBER_TEXT.exec(String(value));
  if (match === null) throw new RangeError(`unexpected number spelling: ${String(value)}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  return { coefficient: BigInt(`${sign}${whole}${fraction}`), exponent: Number(exponent) - fraction.length };
}

// Plain positional notation with at least `minDecimals` fraction digits and no trailing zeros beyond them.
function decimalText(d: Decimal, minDecimals: number): string {
  const negative = d.coefficient < 0n;
  let digits = (negative ? -d.coefficient : d.coefficient).toString();
  let exponent = d.exponent;
  while (exponent < -minDecimals && digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent += 1;
  }
  const fractionDigits = Math.max(-exponent, minDecimals);
  const scaled = (digits + '0'.repeat(exponent + fractionDigits)).padStart(fractionDigits + 1, '0');
  const whole = scaled.slice(0, scaled.length - fractionDigits);
  const fraction = scaled.slice(scaled.length - fractionDigits);
  const zero = /^0*$/.test(whole + fraction);
  const sign = negative && !zero ? '-' : '';
  return fractionDigits === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/**
 * A measured value exactly as the input wrote it, with at least `minDecimals` decimals (more when the value has
 * more), never in exponent form and never localised: `0.1` → `0.100000`, `5.4e-05` → `0.000054`.
 *
 * @example
 * formatDecimal(0.784339); // '0.784339'
 */
export function formatDecimal(value: number, minDecimals: number = MEASURE_DECIMALS): string {
  return decimalText(toDecimal(value), minDecimals);
}

/**
 * `to − from`, computed exactly on the decimals the inputs wrote (binary subtraction would show
 * 0.785132 − 0.784339 as 0.0007930000000000659), signed: `+0.000793`, `-0.002042`, `0.000000`.
 */
export function formatDifference(to: number, from: number, minDecimals: number = MEASURE_DECIMALS): string {
  const a = toDecimal(to);
  const b = toDecimal(from);
  const exponent = Math.min(a.exponent, b.exponent);
  const coefficient =
    a.coefficient * 10n ** BigInt(a.exponent - exponent) -
    b.coefficient * 10n ** BigInt(b.exponent - exponent);
  const text = decimalText({ coefficient, exponent }, minDecimals);
  return coefficient > 0n ? `+${text}` : text;
}

/** A whole number (a count or a rank) in plain digits, no grouping separators. */
export function formatCount(value: number): string {
  return decimalText(toDecimal(Math.trunc(value)), 0);
}

/** An SVG coordinate: two decimals, `-0.00` spelled `0.00`. */
export function coordinate(value: number): string {
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}
