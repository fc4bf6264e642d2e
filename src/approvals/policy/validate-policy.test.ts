import { describe, expect, test } from 'vitest';
import { POLICY_ERRORS, validatePolicy } from './index.js';
import { catchPolicyError, type FixtureData, minimalPolicyData } from './test-support/policy-fixtures.js';

type Data = FixtureData;

describe('validatePolicy: policy data from JSON', () => {
  test('is idempotent on its own output (same object, same digest)', () => {
    const first = validatePolicy(minimalPolicyData());
    const second = validatePolicy(first.policy);
    expect(second.policy).toEqual(first.policy);
    expect(second.digest).toBe(first.digest);
  });

  test('does not modify its input', () => {
    const data = minimalPolicyData();
    const before = JSON.stringify(data);
    validatePolicy(data);
    expect(JSON.stringify(data)).toBe(before);
  });

  test('a later change to the input does not reach the validated policy', () => {
    const data = minimalPolicyData() as Data;
    const { policy } = validatePolicy(data);
    data.drift.psi.scoreMax = 99;
    expect(policy.drift.psi.scoreMax).toBe(0.1);
  });

  test.each<[string, (policy: Data) => void, string, string]>([
    [
      'an unknown top-level field',
      (p) => {
        p.owner = 'x';
      },
      '/owner',
      'unknown field "owner"',
    ],
    [
      'an unknown nested field',
      (p) => {
        p.drift.psi.featureMaximum = 1;
      },
      '/drift/psi/featureMaximum',
      'unknown field',
    ],
    [
      'an unknown metric-envelope field',
      (p) => {
        p.drift.metrics.auc.tolerance = 1;
      },
      '/drift/metrics/auc/tolerance',
      'unknown field',
    ],
    [
      'an unknown committee field',
      (p) => {
        p.classes[3].committee.chair = 'x';
      },
      '/classes/3/committee/chair',
      'unknown field',
    ],
    [
      'an unknown class',
      (p) => {
        p.classes[4] = p.classes[3];
      },
      '/classes/4',
      'unknown field',
    ],
    [
      'requesterMayApprove: true',
      (p) => {
        p.separationOfDuties = { requesterMayApprove: true };
      },
      '/separationOfDuties/requesterMayApprove',
      'must be false',
    ],
    [
      'identityCountsOnce: false',
      (p) => {
        p.separationOfDuties = { identityCountsOnce: false };
      },
      '/separationOfDuties/identityCountsOnce',
      'must be true',
    ],
    [
      'an unknown promotion mode',
      (p) => {
        p.promotion = { mode: 'nightly' };
      },
      '/promotion/mode',
      'must be one of',
    ],
    [
      'NaN',
      (p) => {
        p.drift.psi.scoreMax = Number.NaN;
      },
      '/drift/psi/scoreMax',
      'finite number',
    ],
    [
      'Infinity',
      (p) => {
        p.drift.metrics.auc.maxAdverseChange = Number.POSITIVE_INFINITY;
      },
      '/drift/metrics/auc/maxAdverseChange',
      'finite number',
    ],
    [
      'undefined',
      (p) => {
        p.description = undefined;
      },
      '/description',
      'undefined',
    ],
    [
      'a Date',
      (p) => {
        p.description = new Date(0);
      },
      '/description',
      'not a plain object',
    ],
    [
      'a function',
      (p) => {
        p.description = () => 'x';
      },
      '/description',
      'function',
    ],
    [
      'a bigint',
      (p) => {
        p.classes[1].approvers = 1n;
      },
      '/classes/1/approvers',
      'bigint',
    ],
    [
      'a cycle',
      (p) => {
        p.drift.self = p.drift;
      },
      '/drift/self',
      'cycle',
    ],
    [
      'a sparse array',
      (p) => {
        p.classes[1].evidence = Object.assign(new Array(2), { 1: 'comparison' });
      },
      '/classes/1/evidence/0',
      'hole',
    ],
    [
      'an empty group name',
      (p) => {
        p.identity.mapping[''] = ['risk'];
      },
      '/identity/mapping/',
      'invalid name ""',
    ],
    [
      'a bidi override in a group name',
      (p) => {
        p.identity.mapping['risk\u202Eevil'] = ['risk'];
      },
      '/identity/mapping/risk\u202Eevil',
      'invalid name',
    ],
  ])('refuses %s', (_name, mutate, path, fragment) => {
    const data = minimalPolicyData() as Data;
    mutate(data);
    const { code, issues } = catchPolicyError(() => validatePolicy(data, { sourceName: 'stored' }));
    expect(code).toBe(POLICY_ERRORS.INVALID);
    expect(issues).toContainEqual(
      expect.objectContaining({ path, location: 'stored', message: expect.stringContaining(fragment) }),
    );
  });

  test('a throwing getter becomes a coded error', () => {
    const data = minimalPolicyData();
    Object.defineProperty(data, 'name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(catchPolicyError(() => validatePolicy(data)).code).toBe(POLICY_ERRORS.INVALID);
  });

  test('a getter is read once: what is validated is what is returned', () => {
    const data = minimalPolicyData();
    let reads = 0;
    Object.defineProperty(data, 'name', {
      enumerable: true,
      get() {
        reads += 1;
        return reads === 1 ? 'first' : 'Not A Valid Name';
      },
    });
    expect(validatePolicy(data).policy.name).toBe('first');
  });

  test.each([[null], [undefined], ['policy'], [[]], [42]])('refuses a non-object root %#', (value) => {
    expect(catchPolicyError(() => validatePolicy(value)).code).toBe(POLICY_ERRORS.INVALID);
  });
});
