import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { CHANGE_MANIFEST_ERRORS, type ChangeManifestIssue, parseChangeManifest } from './index.js';
import { type FixtureData, manifestData } from './test-support/manifest-fixtures.js';

type Data = FixtureData;

function catchManifestError(value: unknown): {
  code: string;
  message: string;
  issues: ChangeManifestIssue[];
} {
  try {
    parseChangeManifest(value);
  } catch (err) {
    if (!isDocketError(err)) throw err;
    return { code: err.code, message: err.message, issues: err.details.issues as ChangeManifestIssue[] };
  }
  throw new Error('expected a DocketError');
}

describe('parseChangeManifest', () => {
  test('accepts a well-formed manifest and returns a frozen copy', () => {
    const data = manifestData();
    const manifest = parseChangeManifest(data);
    expect(manifest).toEqual(data);
    expect(manifest).not.toBe(data);
    expect(Object.isFrozen(manifest.challenger.features)).toBe(true);
    data.challenger.features.push('new_feature');
    expect(manifest.challenger.features).toHaveLength(4);
  });

  test('accepts null measured values (NaN at the source) and omitted segments', () => {
    const data = manifestData();
    data.comparison.metrics.auc.challenger = null;
    data.comparison.psi.features.age = null;
    data.comparison.psi.score = null;
    delete data.champion.population.segments;
    expect(() => parseChangeManifest(data)).not.toThrow();
  });

  test('accepts a JSON round trip of itself', () => {
    const manifest = parseChangeManifest(manifestData());
    expect(parseChangeManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });

  test.each<[string, (manifest: Data) => void, string, string]>([
    [
      'an unknown top-level field',
      (m) => {
        m.notes = 'x';
      },
      '/notes',
      'unknown field "notes"',
    ],
    [
      'an unknown model field',
      (m) => {
        m.challenger.owner = 'x';
      },
      '/challenger/owner',
      'unknown field',
    ],
    [
      'an unknown objective field',
      (m) => {
        m.champion.objective.metric = 'auc';
      },
      '/champion/objective/metric',
      'unknown field',
    ],
    [
      'an unknown dataset',
      (m) => {
        m.challenger.datasets.holdout = m.challenger.datasets.training;
      },
      '/challenger/datasets/holdout',
      'unknown field',
    ],
    [
      'an unknown metric-value field',
      (m) => {
        m.comparison.metrics.auc.delta = 0.005;
      },
      '/comparison/metrics/auc/delta',
      'unknown field',
    ],
    [
      'an unknown psi field',
      (m) => {
        m.comparison.psi.total = 1;
      },
      '/comparison/psi/total',
      'unknown field',
    ],
    [
      'a missing field',
      (m) => {
        delete m.challenger.hyperparameterSearchSpace;
      },
      '/challenger',
      'missing required field "hyperparameterSearchSpace"',
    ],
    [
      'a missing comparison',
      (m) => {
        delete m.comparison;
      },
      '',
      'missing required field "comparison"',
    ],
    [
      'a duplicate feature',
      (m) => {
        m.challenger.features.push('age');
      },
      '/challenger/features/4',
      'duplicate item "age"',
    ],
    [
      'a duplicate data source',
      (m) => {
        m.champion.dataSources.push('bureau.experian');
      },
      '/champion/dataSources/2',
      'duplicate item',
    ],
    [
      'no features',
      (m) => {
        m.challenger.features = [];
      },
      '/challenger/features',
      'fewer than 1',
    ],
    [
      'a negative feature PSI',
      (m) => {
        m.comparison.psi.features.age = -0.01;
      },
      '/comparison/psi/features/age',
      'must be >= 0',
    ],
    [
      'a negative score PSI',
      (m) => {
        m.comparison.psi.score = -1;
      },
      '/comparison/psi/score',
      'must be >= 0',
    ],
    [
      'a PSI as text',
      (m) => {
        m.comparison.psi.score = '0.1';
      },
      '/comparison/psi/score',
      'must be number or null',
    ],
    [
      'a metric as text',
      (m) => {
        m.comparison.metrics.auc.champion = '0.81';
      },
      '/comparison/metrics/auc/champion',
      'must be number or null',
    ],
    [
      'NaN (not JSON)',
      (m) => {
        m.comparison.metrics.auc.champion = Number.NaN;
      },
      '/comparison/metrics/auc/champion',
      'finite number',
    ],
    [
      'Infinity (not JSON)',
      (m) => {
        m.comparison.psi.score = Number.POSITIVE_INFINITY;
      },
      '/comparison/psi/score',
      'finite number',
    ],
    [
      'an uppercase digest',
      (m) => {
        m.challenger.datasets.training = `sha256:${'A'.repeat(64)}`;
      },
      '/challenger/datasets/training',
      'sha256:<64 lowercase hex>',
    ],
    [
      'a sha1 digest',
      (m) => {
        m.challenger.datasets.evaluation = `sha1:${'a'.repeat(40)}`;
      },
      '/challenger/datasets/evaluation',
      'not allowed',
    ],
    [
      'a feature name with a bidi override',
      (m) => {
        m.challenger.features[0] = 'age\u202E';
      },
      '/challenger/features/0',
      'not allowed',
    ],
    [
      'a feature name with a zero-width space',
      (m) => {
        m.challenger.features[0] = 'a\u200Bge';
      },
      '/challenger/features/0',
      'not allowed',
    ],
    [
      'an empty population definition',
      (m) => {
        m.challenger.population.definition = '';
      },
      '/challenger/population/definition',
      'fewer than 1',
    ],
    [
      'format version 2',
      (m) => {
        m.formatVersion = 2;
      },
      '/formatVersion',
      'must be 1',
    ],
    [
      'a list where the comparison belongs',
      (m) => {
        m.comparison = [];
      },
      '/comparison',
      'must be object',
    ],
    [
      'undefined (not JSON)',
      (m) => {
        m.challenger.population.segments = undefined;
      },
      '/challenger/population/segments',
      'undefined',
    ],
  ])('refuses %s', (_name, mutate, path, fragment) => {
    const data = manifestData();
    mutate(data);
    const { code, issues, message } = catchManifestError(data);
    expect(code).toBe(CHANGE_MANIFEST_ERRORS.INVALID);
    expect(issues).toContainEqual({ path, message: expect.stringContaining(fragment) });
    expect(message).toContain(path === '' ? '(root)' : path);
  });

  test.each<[string, (manifest: Data) => void, string]>([
    [
      'PSI for a feature neither model has',
      (m) => {
        m.comparison.psi.features.typo_income = 0.01;
      },
      '/comparison/psi/features/typo_income',
    ],
    [
      'the champion compared with itself',
      (m) => {
        m.challenger.version = '16';
      },
      '/challenger/version',
    ],
  ])('refuses %s as inconsistent', (_name, mutate, path) => {
    const data = manifestData();
    mutate(data);
    const { code, issues } = catchManifestError(data);
    expect(code).toBe(CHANGE_MANIFEST_ERRORS.INCONSISTENT);
    expect(issues.map((issue) => issue.path)).toEqual([path]);
  });

  test('PSI for a feature only the champion had is fine (a removed feature)', () => {
    const data = manifestData();
    data.challenger.features = ['age', 'income', 'debt_ratio'];
    expect(() => parseChangeManifest(data)).not.toThrow();
  });

  test('lists every problem at once', () => {
    const data = manifestData();
    data.extra = 1;
    data.challenger.features.push('age');
    data.comparison.psi.score = -1;
    expect(catchManifestError(data).issues).toHaveLength(3);
  });

  test('arbitrary input gives only coded change-manifest errors', () => {
    const codes = new Set<string>(Object.values(CHANGE_MANIFEST_ERRORS));
    const check = (value: unknown): void => {
      try {
        parseChangeManifest(value);
      } catch (err) {
        if (!isDocketError(err) || !codes.has(err.code)) throw err;
      }
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 500 });
    const places = [
      ['formatVersion'],
      ['challenger'],
      ['challenger', 'features'],
      ['comparison', 'metrics'],
      ['comparison', 'psi', 'score'],
      ['champion', 'population', 'x'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.anything(), (path, graft) => {
        const data = manifestData();
        let node: Data = data;
        for (const key of path.slice(0, -1)) node = node[key];
        node[path.at(-1) as string] = graft;
        check(data);
      }),
      { numRuns: 500 },
    );
  });
});
