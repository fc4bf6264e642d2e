import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { isDocketError } from '../../errors/index.js';
import { loadPolicy, POLICY_ERRORS, validatePolicy } from './index.js';
import { MINIMAL_POLICY_YAML, minimalPolicyData } from './test-support/policy-fixtures.js';

const CODES = new Set<string>(Object.values(POLICY_ERRORS));

/** Runs `fn`; anything thrown must be a DocketError with a policy code whose issues have a location. */
function onlyPolicyErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!isDocketError(err) || !CODES.has(err.code)) throw err;
    const issues = err.details.issues as { location?: unknown }[];
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(typeof issue.location).toBe('string');
  }
}

describe('hostile input gives only coded policy errors', () => {
  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) =>
        onlyPolicyErrors(() => loadPolicy(text)),
      ),
      {
        numRuns: 500,
      },
    );
  });

  test('arbitrary YAML-looking text', () => {
    const token = fc.constantFrom(
      'a',
      ':',
      ' ',
      '\n',
      '- ',
      '[',
      ']',
      '{',
      '}',
      '&x ',
      '*x',
      '!!',
      '? ',
      '"',
      "'",
      '#',
      '|',
      '>',
      '---',
      '%YAML 1.1\n',
      '1',
      '.nan',
      '~',
      ',',
      '  ',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) =>
        onlyPolicyErrors(() => loadPolicy(tokens.join(''))),
      ),
      {
        numRuns: 1000,
      },
    );
  });

  test('arbitrary YAML documents', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => onlyPolicyErrors(() => loadPolicy(stringify(value)))),
      { numRuns: 300 },
    );
  });

  test('the minimal policy with one line mangled', () => {
    const lines = MINIMAL_POLICY_YAML.split('\n');
    fc.assert(
      fc.property(fc.nat({ max: lines.length - 1 }), fc.string({ maxLength: 20 }), (index, text) => {
        const mangled = [...lines];
        mangled[index] = `${(lines[index] ?? '').replace(/\S.*$/, '')}${text}`;
        onlyPolicyErrors(() => loadPolicy(mangled.join('\n')));
      }),
      { numRuns: 500 },
    );
  });

  test('arbitrary JavaScript values', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => onlyPolicyErrors(() => validatePolicy(value))),
      { numRuns: 500 },
    );
  });

  test('the minimal policy with an arbitrary value grafted in', () => {
    const paths = [
      ['name'],
      ['classes', '1'],
      ['classes', '2', 'approvers'],
      ['drift', 'psi'],
      ['identity', 'mapping', 'x'],
      ['extra'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything(), (path, graft) => {
        const data = minimalPolicyData();
        let node: Record<string, unknown> = data;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[path.at(-1) as string] = graft;
        onlyPolicyErrors(() => validatePolicy(data));
      }),
      { numRuns: 500 },
    );
  });
});
