import { describe, expect, test } from 'vitest';
import { durationMs } from './duration.js';
import { requestExpiryMs, validatePolicy } from './index.js';
import { minimalPolicyData } from './test-support/policy-fixtures.js';

const MINUTE = 60_000;

describe('durationMs (ISO 8601 days/hours/minutes)', () => {
  test.each<[string, number | undefined]>([
    ['P14D', 14 * 24 * 60 * MINUTE],
    ['PT72H', 72 * 60 * MINUTE],
    ['P1DT12H30M', (36 * 60 + 30) * MINUTE],
    ['PT1M', MINUTE],
    ['P', undefined],
    ['PT', undefined],
    ['P1DT', undefined],
    ['P1M', undefined],
    ['P1Y', undefined],
    ['P1W', undefined],
    ['14d', undefined],
    ['P-1D', undefined],
    ['PT1.5H', undefined],
  ])('%s', (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });

  test('requestExpiryMs reads the normalized policy (default P14D)', () => {
    expect(requestExpiryMs(validatePolicy(minimalPolicyData()).policy)).toBe(14 * 24 * 60 * MINUTE);
  });
});
