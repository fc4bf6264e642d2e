import { describe, expect, it } from 'vitest';
import { linearScale, ticks } from './svg.js';

describe('ticks', () => {
  it.each<[number, number, number[], number]>([
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1], 1],
    [0.1, 0.5, [0.1, 0.2, 0.3, 0.4, 0.5], 1],
    [6, 48, [10, 20, 30, 40], 0],
    [0, 0.528579, [0, 0.2, 0.4], 1],
    [250, 9000, [2000, 4000, 6000, 8000], 0],
  ])('%s to %s', (min, max, values, decimals) => {
    expect(ticks(min, max)).toEqual({ values, decimals });
  });

  it('stays bounded for degenerate and hostile ranges', () => {
    expect(ticks(3, 3)).toEqual({ values: [3], decimals: 2 });
    expect(ticks(0, 1e300)).toEqual({ values: [0, 1e300], decimals: 0 });
    expect(ticks(-1e12, 1e12).values.length).toBeLessThan(20);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, a degenerate domain to the middle', () => {
    expect(linearScale(0, 1, 50, 366)(0.5)).toBe(208);
    expect(linearScale(2, 2, 0, 10)(2)).toBe(5);
  });
});
