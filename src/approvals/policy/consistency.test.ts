import { describe, expect, test } from 'vitest';
import { loadPolicy, POLICY_ERRORS, validatePolicy } from './index.js';
import {
  catchPolicyError,
  type FixtureData,
  lineOf,
  MINIMAL_POLICY_YAML,
  minimalPolicyData,
  replaceLine,
} from './test-support/policy-fixtures.js';

type Data = FixtureData;

describe('consistency checks (ERR_POLICY_INCONSISTENT)', () => {
  test.each<[string, (policy: Data) => void, string, string]>([
    [
      'a required role no claim grants',
      (p) => {
        p.classes[2].requiredRoles = { auditor: 1 };
      },
      '/classes/2/requiredRoles/auditor',
      'granted by no identity.mapping entry',
    ],
    [
      'a committee role no claim grants',
      (p) => {
        p.classes[3].committee.role = 'board';
      },
      '/classes/3/committee/role',
      'granted by no identity.mapping entry',
    ],
    [
      'a quorum above the committee size',
      (p) => {
        p.classes[3].committee.size = 2;
      },
      '/classes/3/committee/quorum',
      'exceeds the committee size 2',
    ],
    [
      'a quorum above the approver count',
      (p) => {
        p.classes[3].committee.quorum = 4;
      },
      '/classes/3/committee/quorum',
      'exceeds the 3 approvers',
    ],
    [
      'a role minimum above the approver count',
      (p) => {
        p.classes[2].requiredRoles = { risk: 3 };
      },
      '/classes/2/requiredRoles/risk',
      'needs only 2 approvers',
    ],
    [
      'more slots than approvers with one slot per approver',
      (p) => {
        p.separationOfDuties = { oneSlotPerApprover: true };
        p.classes[3].requiredRoles = { risk: 1 };
      },
      '/classes/3/approvers',
      'cannot fill 4 required slots',
    ],
    [
      'class 2 with one approver',
      (p) => {
        p.classes[2].approvers = 1;
      },
      '/classes/2/approvers',
      'at least two approvers',
    ],
    [
      'class 2 without a required role',
      (p) => {
        delete p.classes[2].requiredRoles;
      },
      '/classes/2/requiredRoles',
      'at least one role',
    ],
    [
      'class 3 without a committee',
      (p) => {
        delete p.classes[3].committee;
      },
      '/classes/3',
      'must name a committee',
    ],
    [
      'class 3 asking fewer approvers than class 2',
      (p) => {
        p.classes[2].approvers = 4;
        p.classes[3].committee.quorum = 2;
        p.classes[3].approvers = 3;
      },
      '/classes/3/approvers',
      'fewer approvers (3) than class 2 (4)',
    ],
    [
      'class 2 asking less evidence than class 1',
      (p) => {
        p.classes[1].evidence = ['comparison', 'training-dataset'];
      },
      '/classes/2/evidence',
      'missing training-dataset',
    ],
    [
      'maxAbsoluteChange below maxAdverseChange',
      (p) => {
        p.drift.metrics.auc.maxAbsoluteChange = 0.001;
      },
      '/drift/metrics/auc/maxAbsoluteChange',
      'could then never apply',
    ],
    [
      'a zero expiry',
      (p) => {
        p.requests = { expiresAfter: 'PT0M' };
      },
      '/requests/expiresAfter',
      'outside 1 minute to 366 days',
    ],
    [
      'an expiry over a year',
      (p) => {
        p.requests = { expiresAfter: 'P400D' };
      },
      '/requests/expiresAfter',
      'outside 1 minute to 366 days',
    ],
  ])('%s', (_name, mutate, path, fragment) => {
    const data = minimalPolicyData() as Data;
    mutate(data);
    const { code, issues } = catchPolicyError(() => validatePolicy(data));
    expect(code).toBe(POLICY_ERRORS.INCONSISTENT);
    expect(issues).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining(fragment) }),
    );
  });

  test('the minimal policy itself is consistent', () => {
    expect(() => validatePolicy(minimalPolicyData())).not.toThrow();
  });

  test('consistency issues carry YAML line numbers too', () => {
    const yaml = replaceLine(MINIMAL_POLICY_YAML, 'size: 5', 'size: 2');
    const { code, issues, message } = catchPolicyError(() => loadPolicy(yaml, { sourceName: 'p.yaml' }));
    expect(code).toBe(POLICY_ERRORS.INCONSISTENT);
    expect(issues).toEqual([
      expect.objectContaining({ path: '/classes/3/committee/quorum', line: lineOf(yaml, 'quorum: 3') }),
    ]);
    expect(message).toContain(`p.yaml:${lineOf(yaml, 'quorum: 3')}:`);
  });

  test('an issue about a defaulted field is placed at its nearest written ancestor', () => {
    const yaml = MINIMAL_POLICY_YAML.replace('    requiredRoles:\n      risk: 1\n', '');
    const { issues } = catchPolicyError(() => loadPolicy(yaml));
    expect(issues).toEqual([
      expect.objectContaining({ path: '/classes/2/requiredRoles', line: lineOf(yaml, '2:') }),
    ]);
  });
});
