import { describe, expect, test } from 'vitest';
import { decimalAbs, decimalDifference, decimalExceeds, decimalToNumber } from './decimal.js';

describe('exact decimal arithmetic on numbers as written', () => {
  test.each<[number, number, number]>([
    [0.81, 0.8, 0.01],
    [0.3, 0.1, 0.2],
    [1e-7, 3e-8, 7e-8],
    [-0.5, 0.25, -0.75],
    [1.5e21, 1, 1.5e21],
    [123, 123, 0],
  ])('%d - %d = %d', (a, b, expected) => {
    expect(decimalToNumber(decimalDifference(a, b))).toBe(expected);
  });

  test('0.81 - 0.80 does not exceed 0.01, as binary arithmetic would say it does', () => {
    expect(0.81 - 0.8 > 0.01).toBe(true);
    expect(decimalExceeds(decimalDifference(0.81, 0.8), 0.01)).toBe(false);
    expect(decimalExceeds(decimalDifference(0.8101, 0.8), 0.01)).toBe(true);
  });

  test('the absolute value', () => {
    expect(decimalToNumber(decimalAbs(decimalDifference(0.1, 0.3)))).toBe(0.2);
  });

  test('extreme exponents stay exact', () => {
    expect(decimalExceeds(decimalDifference(5e-324, 0), 0)).toBe(true);
    expect(decimalExceeds(decimalDifference(1.7976931348623157e308, 0), 1e308)).toBe(true);
  });
});
