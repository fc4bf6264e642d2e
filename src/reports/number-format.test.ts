import { describe, expect, it } from 'vitest';
import { coordinate, formatCount, formatDecimal, formatDifference } from './number-format.js';

describe('formatDecimal', () => {
  it.each<[number, string]>([
    [0.784339, '0.784339'],
    [0.1, '0.100000'],
    [0, '0.000000'],
    [-0, '0.000000'],
    [5.4e-5, '0.000054'],
    [1e-7, '0.0000001'],
    [0.1234567891, '0.1234567891'],
    [-0.25, '-0.250000'],
    [12, '12.000000'],
    [1e21, '1000000000000000000000.000000'],
  ])('%s → %s', (value, text) => {
    expect(formatDecimal(value)).toBe(text);
  });

  it('shows fewer decimals only when asked, and never loses one', () => {
    expect(formatDecimal(973.5, 0)).toBe('973.5');
    expect(formatDecimal(6, 0)).toBe('6');
  });

  it('round-trips every value it shows', () => {
    for (const value of [0.274685, 0.046493, 3.3e-5, 0.1 + 0.2, 123456.789]) {
      expect(Number(formatDecimal(value))).toBe(value);
    }
  });

  it('refuses what has no decimal spelling', () => {
    expect(() => formatDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => formatDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('formatDifference', () => {
  it.each<[number, number, string]>([
    [0.785132, 0.784339, '+0.000793'], // binary subtraction gives 0.0007930000000000659
    [0.164862, 0.166904, '-0.002042'],
    [0.81, 0.8, '+0.010000'],
    [0.5, 0.5, '0.000000'],
    [0.1234567, 0.0000007, '+0.123456'],
    [0.1234568, 0.0000001, '+0.1234567'],
    [5.4e-5, 0.1, '-0.099946'],
  ])('%s − %s → %s', (to, from, text) => {
    expect(formatDifference(to, from)).toBe(text);
  });
});

describe('formatCount and coordinate', () => {
  it('spells counts in plain digits', () => {
    expect(formatCount(300)).toBe('300');
    expect(formatCount(1234567)).toBe('1234567');
  });

  it('spells coordinates with two decimals, never -0.00', () => {
    expect(coordinate(12.345)).toBe('12.35');
    expect(coordinate(-0.001)).toBe('0.00');
    expect(coordinate(50)).toBe('50.00');
  });
});
