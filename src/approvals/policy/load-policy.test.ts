import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot } from '../../test-support/shared.js';
import {
  digestPolicy,
  isSha256Digest,
  loadPolicy,
  MAX_POLICY_TEXT_LENGTH,
  POLICY_ERRORS,
  validatePolicy,
} from './index.js';
import {
  catchPolicyError,
  lineOf,
  MINIMAL_POLICY_YAML,
  minimalPolicyData,
  replaceLine,
} from './test-support/policy-fixtures.js';

const EXAMPLE = join(repoRoot, 'examples', 'policies', 'credit-risk.yaml');

describe('loadPolicy: the example policy', () => {
  test('examples/policies/credit-risk.yaml loads and states every rule explicitly', () => {
    const { policy, digest } = loadPolicy(readFileSync(EXAMPLE, 'utf8'), { sourceName: EXAMPLE });
    expect(isSha256Digest(digest)).toBe(true);
    expect(policy.name).toBe('credit-risk');
    expect(policy.classes[2].requiredRoles).toEqual({ 'model-owner': 1, risk: 1 });
    expect(policy.classes[3].committee).toEqual({ role: 'committee', quorum: 3, size: 5 });
    expect(policy.separationOfDuties.oneSlotPerApprover).toBe(true);
    expect(policy.drift.psi.features).toEqual({ months_employed: 0.2 });
  });
});

describe('loadPolicy: normalization and digest', () => {
  test('fills every default, so the record states the rules in force', () => {
    const { policy } = loadPolicy(MINIMAL_POLICY_YAML);
    expect(policy.population).toEqual({ definition: 'exact', segments: 'compare' });
    expect(policy.separationOfDuties).toEqual({
      requesterMayApprove: false,
      identityCountsOnce: true,
      oneSlotPerApprover: false,
    });
    expect(policy.promotion).toEqual({ mode: 'on-approval' });
    expect(policy.requests).toEqual({ expiresAfter: 'P14D' });
    expect(policy.classes[1].requiredRoles).toEqual({});
  });

  test('returns a deeply frozen policy', () => {
    const { policy } = loadPolicy(MINIMAL_POLICY_YAML);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.drift.metrics.auc)).toBe(true);
    expect(Object.isFrozen(policy.classes[3].evidence)).toBe(true);
  });

  test('comments, key order, flow style, quoting and number spelling do not change the digest', () => {
    const reference = loadPolicy(MINIMAL_POLICY_YAML).digest;
    const reformatted = `# a comment that must not matter
drift: { psi: { scoreMax: 1.0e-1, features: { "income": 0.20 }, featureMax: .1 },
  metrics: { brier: { maxAbsoluteChange: 0.02, maxAdverseChange: 5e-3, direction: "lower-is-better" },
             auc: { direction: higher-is-better, maxAdverseChange: 0.010 } } }
classes:
  "3": { committee: { size: 5, quorum: 3, role: committee }, approvers: 3,
         evidence: [comparison, explanation, change-manifest] }   # trailing comment
  "2": { evidence: [comparison, explanation], requiredRoles: { risk: 1 }, approvers: 2 }
  "1": { evidence: [ comparison ], approvers: 0x1 }
identity: { mapping: { committee: [committee], mrm: [risk], owners: [model-owner] }, claim: 'groups' }
name: "minimal"
formatVersion: 1
`;
    expect(loadPolicy(reformatted).digest).toBe(reference);
  });

  test('writing a default explicitly does not change the digest', () => {
    const explicit = `${MINIMAL_POLICY_YAML}promotion:\n  mode: on-approval\nrequests:\n  expiresAfter: P14D\n`;
    expect(loadPolicy(explicit).digest).toBe(loadPolicy(MINIMAL_POLICY_YAML).digest);
  });

  test('changing any value changes the digest', () => {
    const changed = replaceLine(MINIMAL_POLICY_YAML, 'scoreMax: 0.1', 'scoreMax: 0.11');
    expect(loadPolicy(changed).digest).not.toBe(loadPolicy(MINIMAL_POLICY_YAML).digest);
  });

  test('the digest is sha256 of the RFC 8785 canonical JSON of the normalized policy', () => {
    const { policy, digest } = loadPolicy(MINIMAL_POLICY_YAML);
    expect(digestPolicy(policy)).toBe(digest);
    expect(digest).toBe(validatePolicy(JSON.parse(JSON.stringify(policy))).digest);
  });

  test('YAML and JSON sources of the same policy agree', () => {
    expect(validatePolicy(minimalPolicyData()).digest).toBe(loadPolicy(MINIMAL_POLICY_YAML).digest);
    expect(loadPolicy(stringify(minimalPolicyData())).digest).toBe(loadPolicy(MINIMAL_POLICY_YAML).digest);
  });

  test('a few anchors and aliases are fine', () => {
    const withAliases = MINIMAL_POLICY_YAML.replace(
      'evidence: [comparison, explanation]\n',
      'evidence: &two [comparison, explanation]\n',
    ).replace('approvers: 3\n', 'approvers: 3\n    requiredRoles: { risk: 1 }\n');
    expect(() => loadPolicy(withAliases)).not.toThrow();
  });
});

const WRONG = POLICY_ERRORS.INVALID;
const at = (text: string) => lineOf(MINIMAL_POLICY_YAML, text);

describe('loadPolicy: schema errors carry the line of the offending value', () => {
  test.each([
    [
      'a wrong type',
      'approvers: 2',
      'approvers: two',
      at('approvers: 2'),
      '/classes/2/approvers',
      'must be integer (got "two")',
    ],
    [
      'an unknown field',
      'approvers: 2',
      'approverz: 2',
      at('approvers: 2'),
      '/classes/2/approverz',
      'unknown field "approverz"',
    ],
    [
      'a value outside its enum',
      'direction: lower-is-better',
      'direction: down',
      at('direction: lower-is-better'),
      '/drift/metrics/brier/direction',
      'must be one of "higher-is-better", "lower-is-better"',
    ],
    [
      'a negative PSI limit',
      'featureMax: 0.1',
      'featureMax: -0.1',
      at('featureMax: 0.1'),
      '/drift/psi/featureMax',
      'must be >= 0',
    ],
    [
      'a NaN limit (.nan)',
      'scoreMax: 0.1',
      'scoreMax: .nan',
      at('scoreMax: 0.1'),
      '/drift/psi/scoreMax',
      'finite number',
    ],
    [
      'an infinite limit (.inf)',
      'scoreMax: 0.1',
      'scoreMax: .inf',
      at('scoreMax: 0.1'),
      '/drift/psi/scoreMax',
      'finite number',
    ],
    [
      'a duplicated evidence kind',
      'evidence: [comparison]',
      'evidence: [comparison, comparison]',
      at('evidence: [comparison]'),
      '/classes/1/evidence/1',
      'duplicate item "comparison"',
    ],
    [
      'an unknown evidence kind',
      'evidence: [comparison]',
      'evidence: [screenshot]',
      at('evidence: [comparison]'),
      '/classes/1/evidence/0',
      'must be one of',
    ],
    [
      'a badly formed role',
      'mrm: [risk]',
      'mrm: [Risk Team]',
      at('mrm: [risk]'),
      '/identity/mapping/mrm/0',
      'has a form that is not allowed',
    ],
    [
      'a badly formed required-role name',
      'risk: 1',
      'RISK: 1',
      at('risk: 1'),
      '/classes/2/requiredRoles/RISK',
      'invalid name "RISK"',
    ],
    [
      'a fractional approver count',
      'approvers: 1',
      'approvers: 1.5',
      at('approvers: 1'),
      '/classes/1/approvers',
      'must be integer',
    ],
    [
      'a zero quorum',
      'quorum: 3',
      'quorum: 0',
      at('quorum: 3'),
      '/classes/3/committee/quorum',
      'must be >= 1',
    ],
    [
      'an unknown format version',
      'formatVersion: 1',
      'formatVersion: 2',
      1,
      '/formatVersion',
      'must be 1 (got 2)',
    ],
    [
      'a list where a string belongs',
      'claim: groups',
      'claim: [groups]',
      at('claim: groups'),
      '/identity/claim',
      'must be string (got a list)',
    ],
    [
      'a month-based expiry',
      'scoreMax: 0.1',
      'scoreMax: 0.1\nrequests: { expiresAfter: P1M }',
      at('scoreMax: 0.1') + 1,
      '/requests/expiresAfter',
      'ISO 8601 duration',
    ],
  ])('%s', (_name, from, to, line, path, fragment) => {
    const yaml = replaceLine(MINIMAL_POLICY_YAML, from, to);
    const { code, message, issues } = catchPolicyError(() => loadPolicy(yaml, { sourceName: 'policy.yaml' }));
    expect(code).toBe(WRONG);
    const issue = issues.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.line).toBe(line);
    expect(issue?.message).toContain(fragment);
    expect(issue?.location).toBe(`policy.yaml:${issue?.line}:${issue?.column}`);
    expect(message).toContain(`policy.yaml:${line}:`);
  });

  test('a missing required field is placed at the mapping that lacks it', () => {
    const yaml = replaceLine(MINIMAL_POLICY_YAML, 'maxAdverseChange: 0.01', 'maxAbsoluteChange: 0.01');
    const { code, issues } = catchPolicyError(() => loadPolicy(yaml));
    expect(code).toBe(WRONG);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: '/drift/metrics/auc',
        line: at('auc:'),
        message: 'missing required field "maxAdverseChange"',
      }),
    );
  });

  test('unknown fields are refused at every level, all reported at once (allErrors)', () => {
    const yaml = `${MINIMAL_POLICY_YAML.replace('  claim: groups\n', '  claim: groups\n  issuer: https://idp\n')}extra: true\n`;
    const { issues } = catchPolicyError(() => loadPolicy(yaml));
    expect(issues.map((issue) => [issue.path, issue.line])).toEqual([
      ['/identity/issuer', 5],
      ['/extra', 40],
    ]);
  });

  test('a required top-level section missing is reported at line 1', () => {
    const yaml = MINIMAL_POLICY_YAML.replace('name: minimal\n', '');
    const { issues } = catchPolicyError(() => loadPolicy(yaml));
    expect(issues).toEqual([
      expect.objectContaining({ path: '', line: 1, message: 'missing required field "name"' }),
    ]);
  });
});

describe('loadPolicy: YAML-level errors are coded, with line numbers', () => {
  const bomb = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    '',
  ].join('\n');
  test.each([
    ['a syntax error', 'name: minimal\nclasses: [1, 2\nother: }\n', POLICY_ERRORS.YAML_SYNTAX, 3],
    ['a bad indentation', 'name: minimal\n  nested: 1\n', POLICY_ERRORS.YAML_SYNTAX, 1],
    ['two documents', 'name: a\n---\nname: b\n', POLICY_ERRORS.YAML_SYNTAX, 2],
    ['a duplicate key', 'name: a\nformatVersion: 1\nname: b\n', POLICY_ERRORS.YAML_DUPLICATE_KEY, 3],
    ['1 and "1" (the same JSON key)', 'classes:\n  1: {}\n  "1": {}\n', POLICY_ERRORS.YAML_DUPLICATE_KEY, 3],
    ['a !!binary tag', 'name: !!binary aGVsbG8=\n', POLICY_ERRORS.YAML_UNSUPPORTED, 1],
    ['a custom tag', 'a: 1\nname: !shell rm\n', POLICY_ERRORS.YAML_UNSUPPORTED, 2],
    ['a !!set tag', 'a: 1\nb: 2\nname: !!set { x }\n', POLICY_ERRORS.YAML_UNSUPPORTED, 3],
    [
      'a %YAML 1.1 directive (yes/no booleans, merge keys, dates)',
      '%YAML 1.1\n---\nname: yes\n',
      POLICY_ERRORS.YAML_UNSUPPORTED,
      1,
    ],
    ['a collection as a key', 'a: 1\n? [x, y]\n: 1\n', POLICY_ERRORS.YAML_UNSUPPORTED, 2],
    ['a null key', 'a: 1\n~: 1\n', POLICY_ERRORS.YAML_UNSUPPORTED, 2],
    ['an alias bomb', bomb, POLICY_ERRORS.YAML_ALIAS_LIMIT, undefined],
    ['a self-referencing alias', 'a: 1\nb: &loop [*loop]\n', POLICY_ERRORS.YAML_ALIAS_LIMIT, 2],
    [
      'too many aliases',
      `x: &x 1\nl: [${Array.from({ length: 65 }, () => '*x').join(', ')}]\n`,
      POLICY_ERRORS.YAML_ALIAS_LIMIT,
      2,
    ],
    ['a list at the root', '- a\n- b\n', POLICY_ERRORS.NOT_A_MAPPING, 1],
    ['a scalar at the root', '\n\n42\n', POLICY_ERRORS.NOT_A_MAPPING, 3],
    ['an empty file', '', POLICY_ERRORS.NOT_A_MAPPING, 1],
    ['only comments', '# nothing\n', POLICY_ERRORS.NOT_A_MAPPING, 1],
  ])('%s', (_name, yaml, expectedCode, line) => {
    const { code, issues } = catchPolicyError(() => loadPolicy(yaml, { sourceName: 'p.yaml' }));
    expect(code).toBe(expectedCode);
    expect(issues.length).toBeGreaterThan(0);
    if (line !== undefined) expect(issues[0]?.line).toBe(line);
  });

  test('deep nesting is refused, not a stack overflow', () => {
    const deep = `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const { code } = catchPolicyError(() => loadPolicy(deep));
    expect([POLICY_ERRORS.YAML_UNSUPPORTED, POLICY_ERRORS.YAML_SYNTAX]).toContain(code);
  });

  test('text over the size limit is refused before parsing', () => {
    const { code } = catchPolicyError(() => loadPolicy(`# ${'x'.repeat(MAX_POLICY_TEXT_LENGTH)}\n`));
    expect(code).toBe(POLICY_ERRORS.TOO_LARGE);
  });

  test.each([[undefined], [null], [42], [Buffer.from('name: x')]])('non-text input %#', (input) => {
    const { code } = catchPolicyError(() => loadPolicy(input as unknown as string));
    expect(code).toBe(POLICY_ERRORS.NOT_TEXT);
  });

  test('a __proto__ key is an unknown field, not a prototype', () => {
    const { code, issues } = catchPolicyError(() =>
      loadPolicy(`${MINIMAL_POLICY_YAML}__proto__: { polluted: true }\n`),
    );
    expect(code).toBe(WRONG);
    expect(issues.map((issue) => issue.path)).toEqual(['/__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('the source name defaults to <policy>', () => {
    const { message } = catchPolicyError(() => loadPolicy('- a\n'));
    expect(message).toContain('<policy>:1:1');
  });
});
