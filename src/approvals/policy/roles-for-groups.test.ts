import { describe, expect, test } from 'vitest';
import { loadPolicy, rolesForGroups } from './index.js';
import { MINIMAL_POLICY_YAML } from './test-support/policy-fixtures.js';

const { policy } = loadPolicy(
  MINIMAL_POLICY_YAML.replace('    committee: [committee]\n', '    committee: [committee, risk]\n'),
);

describe('rolesForGroups', () => {
  test.each<[string, readonly string[], readonly string[]]>([
    ['no groups', [], []],
    ['one group', ['mrm'], ['risk']],
    [
      'several groups, roles distinct and sorted',
      ['committee', 'owners', 'mrm'],
      ['committee', 'model-owner', 'risk'],
    ],
    ['an unmapped group grants nothing', ['everyone'], []],
    [
      'groups named like Object.prototype members grant nothing',
      ['constructor', '__proto__', 'toString', 'hasOwnProperty'],
      [],
    ],
    ['group names are exact (case matters)', ['MRM', 'mrm '], []],
  ])('%s', (_name, groups, roles) => {
    expect(rolesForGroups(policy, groups)).toEqual(roles);
  });

  test('non-list or non-string input grants nothing', () => {
    expect(rolesForGroups(policy, 'mrm' as unknown as string[])).toEqual([]);
    expect(rolesForGroups(policy, [42, null, 'mrm'] as unknown as string[])).toEqual(['risk']);
  });
});
