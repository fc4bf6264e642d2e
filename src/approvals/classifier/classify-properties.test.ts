import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type ChangeManifest, parseChangeManifest } from '../change-manifest/index.js';
import { type FixtureData, manifestData } from '../change-manifest/test-support/manifest-fixtures.js';
import { loadPolicy } from '../policy/index.js';
import { MINIMAL_POLICY_YAML } from '../policy/test-support/policy-fixtures.js';
import { classifyChange } from './index.js';

type Data = FixtureData;

const { policy } = loadPolicy(MINIMAL_POLICY_YAML);

/** Each makes the fixture (class 1) worse in one way; applied in this order, they never undo one another. */
const VIOLATIONS: readonly (readonly [string, (m: Data) => void])[] = [
  [
    'add a feature',
    (m) => {
      m.challenger.features.push('utilisation');
      m.comparison.psi.features.utilisation = 0.01;
    },
  ],
  [
    'remove a feature',
    (m) => {
      m.challenger.features = m.challenger.features.filter((f: string) => f !== 'months_employed');
    },
  ],
  [
    'rename a feature',
    (m) => {
      m.challenger.features = m.challenger.features.map((f: string) => (f === 'age' ? 'age_years' : f));
      m.comparison.psi.features.age_years = 0.01;
    },
  ],
  [
    'change the loss',
    (m) => {
      m.challenger.objective.loss = 'focal-loss';
    },
  ],
  [
    'change the target',
    (m) => {
      m.challenger.objective.target = 'default within 24 months';
    },
  ],
  [
    'add a data source',
    (m) => {
      m.challenger.dataSources.push('open-banking');
    },
  ],
  [
    'change the population',
    (m) => {
      m.challenger.population.definition = 'all applicants';
    },
  ],
  [
    'add a segment',
    (m) => {
      m.challenger.population.segments = [...(m.challenger.population.segments ?? []), 'thin-file'];
    },
  ],
  [
    'lose AUC',
    (m) => {
      if (m.comparison.metrics.auc) m.comparison.metrics.auc.challenger = 0.7;
    },
  ],
  [
    'move Brier a lot',
    (m) => {
      if (m.comparison.metrics.brier) m.comparison.metrics.brier.challenger = 0.05;
    },
  ],
  [
    'drift a feature',
    (m) => {
      m.comparison.psi.features.debt_ratio = 0.5;
    },
  ],
  [
    'drift the score',
    (m) => {
      m.comparison.psi.score = 0.5;
    },
  ],
  [
    'drop a metric',
    (m) => {
      delete m.comparison.metrics.auc;
    },
  ],
  [
    'fail to compute a metric',
    (m) => {
      if (m.comparison.metrics.brier) m.comparison.metrics.brier.champion = null;
    },
  ],
  [
    'drop a feature PSI',
    (m) => {
      delete m.comparison.psi.features.income;
    },
  ],
  [
    'fail to compute a feature PSI',
    (m) => {
      m.comparison.psi.features.age = null;
    },
  ],
  [
    'fail to compute the score PSI',
    (m) => {
      m.comparison.psi.score = null;
    },
  ],
];

function withViolations(chosen: ReadonlySet<number>): ChangeManifest {
  const data = manifestData();
  VIOLATIONS.forEach(([, apply], index) => {
    if (chosen.has(index)) apply(data);
  });
  return parseChangeManifest(data);
}

const classOf = (chosen: ReadonlySet<number>) => classifyChange(withViolations(chosen), policy).class;
const violationSet = fc
  .uniqueArray(fc.nat({ max: VIOLATIONS.length - 1 }))
  .map((indexes) => new Set(indexes));

/** A deterministic permutation of `items` from `seed`. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The same manifest with every list and every mapping in another order. */
function reordered(manifest: ChangeManifest, seed: number): ChangeManifest {
  const data = JSON.parse(JSON.stringify(manifest)) as Data;
  const reorderKeys = (object: Data): Data => Object.fromEntries(shuffled(Object.entries(object), seed));
  for (const side of ['champion', 'challenger']) {
    data[side].features = shuffled(data[side].features, seed);
    data[side].dataSources = shuffled(data[side].dataSources, seed + 1);
    if (data[side].population.segments)
      data[side].population.segments = shuffled(data[side].population.segments, seed + 2);
  }
  data.comparison.metrics = reorderKeys(data.comparison.metrics);
  data.comparison.psi.features = reorderKeys(data.comparison.psi.features);
  return parseChangeManifest(data);
}

describe('classifyChange properties', () => {
  test('each violation alone raises the fixture above class 1', () => {
    VIOLATIONS.forEach(([name], index) => {
      expect(classOf(new Set([index])), name).toBeGreaterThan(1);
    });
  });

  test('monotone: adding a violation never lowers the class', () => {
    fc.assert(
      fc.property(violationSet, fc.nat({ max: VIOLATIONS.length - 1 }), (chosen, extra) => {
        const before = classOf(chosen);
        const after = classOf(new Set([...chosen, extra]));
        expect(after).toBeGreaterThanOrEqual(before);
        expect(after).toBeGreaterThanOrEqual(classOf(new Set([extra])));
      }),
      { numRuns: 300 },
    );
  });

  test('monotone in the numbers: more PSI or a worse metric never lowers the class', () => {
    const psi = fc.double({ min: 0, max: 1, noNaN: true });
    const metric = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        psi,
        psi,
        metric,
        metric,
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (age, score, auc, brier, worse) => {
          const build = (extra: number) => {
            const data = manifestData();
            data.comparison.psi.features.age = age + extra;
            data.comparison.psi.score = score + extra;
            data.comparison.metrics.auc.challenger = auc - extra;
            data.comparison.metrics.brier.challenger = brier + extra;
            return classifyChange(parseChangeManifest(data), policy).class;
          };
          // Brier also has an absolute limit, so only the adverse side is monotone: start from an adverse position.
          fc.pre(brier >= 0.12);
          expect(build(worse)).toBeGreaterThanOrEqual(build(0));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('deterministic: same input, same output; list and key order do not matter', () => {
    fc.assert(
      fc.property(violationSet, fc.integer(), (chosen, seed) => {
        const manifest = withViolations(chosen);
        const expected = JSON.stringify(classifyChange(manifest, policy));
        expect(JSON.stringify(classifyChange(manifest, policy))).toBe(expected);
        expect(JSON.stringify(classifyChange(reordered(manifest, seed), policy))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  test('total: any manifest value gives a classification, never an exception, and its output is JSON data', () => {
    const check = (manifest: unknown) => {
      const result = classifyChange(manifest as ChangeManifest, policy);
      expect([1, 2, 3]).toContain(result.class);
      expect(result.reasons.length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 300 });
    const places = [
      ['champion', 'features'],
      ['challenger', 'objective'],
      ['challenger', 'dataSources'],
      ['comparison', 'metrics'],
      ['comparison', 'psi'],
      ['comparison', 'psi', 'features', 'age'],
      ['challenger', 'population'],
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

  test('an unreadable manifest is class 3, with a reason for each structural field it could not read', () => {
    const result = classifyChange(null as unknown as ChangeManifest, policy);
    expect(result.class).toBe(3);
    expect(result.reasons.filter((reason) => reason.class === 3).map((reason) => reason.subject)).toEqual([
      '/champion/features',
      '/champion/objective/target',
      '/champion/objective/loss',
      '/champion/dataSources',
    ]);
  });

  test('a manifest whose getters throw is raised, not crashed', () => {
    const data = manifestData();
    Object.defineProperty(data.challenger, 'features', {
      get() {
        throw new Error('hostile');
      },
    });
    const result = classifyChange(data as unknown as ChangeManifest, policy);
    expect(result.class).toBe(3);
    expect(result.reasons[0]).toMatchObject({ rule: 'evidence-unparseable', class: 3 });
  });

  test('NaN and negative values in a hand-built manifest raise the class', () => {
    const data = manifestData();
    data.comparison.metrics.auc.challenger = Number.NaN;
    data.comparison.psi.features.age = -0.2;
    const result = classifyChange(data as unknown as ChangeManifest, policy);
    expect(result.class).toBe(2);
    expect(result.reasons.map((reason) => [reason.subject, reason.observed])).toEqual([
      ['/comparison/metrics/auc/challenger', 'NaN'],
      ['/comparison/psi/features/age', '-0.2 (negative)'],
    ]);
  });
});
