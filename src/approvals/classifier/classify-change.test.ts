import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { repoRoot } from '../../test-support/shared.js';
import { type ChangeManifest, parseChangeManifest } from '../change-manifest/index.js';
import { type FixtureData, manifestData } from '../change-manifest/test-support/manifest-fixtures.js';
import { loadPolicy, type Policy, validatePolicy } from '../policy/index.js';
import { MINIMAL_POLICY_YAML, minimalPolicyData } from '../policy/test-support/policy-fixtures.js';
import { CLASSIFICATION_RULES, CLASSIFIER_ERRORS, CLASSIFIER_VERSION, classifyChange } from './index.js';

type Data = FixtureData;
type Mutation = (manifest: Data) => void;

const minimal = loadPolicy(MINIMAL_POLICY_YAML);

/** The policy with one change to its data. */
function policyWith(mutate: (policy: Data) => void): Policy {
  const data = minimalPolicyData() as Data;
  mutate(data);
  return validatePolicy(data).policy;
}

/** The fixture manifest with `mutate` applied, through the parser (so every row is a manifest the parser accepts). */
function manifestWith(mutate: Mutation): ChangeManifest {
  const data = manifestData();
  mutate(data);
  return parseChangeManifest(data);
}

/** The reasons, reduced to the fields a row states. */
function summary(manifest: ChangeManifest, policy: Policy = minimal.policy) {
  const result = classifyChange(manifest, policy);
  return {
    class: result.class,
    reasons: result.reasons.map(({ rule, class: c, subject, observed, threshold }) => ({
      rule,
      class: c,
      ...(subject === undefined ? {} : { subject }),
      observed,
      ...(threshold === undefined ? {} : { threshold }),
    })),
  };
}

const WITHIN = { rule: 'within-envelope', class: 1, observed: null };

const renameFeature =
  (from: string, to: string): Mutation =>
  (m) => {
    m.challenger.features = m.challenger.features.map((name: string) => (name === from ? to : name));
    m.comparison.psi.features[to] = m.comparison.psi.features[from];
    delete m.comparison.psi.features[from];
  };

describe('classifyChange: one rule at a time', () => {
  test.each<[string, Mutation, 1 | 2 | 3, object[]]>([
    ['nothing changed: class 1, everything within the envelope', () => {}, 1, [WITHIN]],

    // Feature set: a set, not a list.
    [
      'a reordered feature list is not a feature-set change',
      (m) => {
        m.challenger.features.reverse();
      },
      1,
      [WITHIN],
    ],
    [
      'a renamed feature is a feature-set change',
      renameFeature('income', 'annual_income'),
      3,
      [
        {
          rule: 'feature-set-changed',
          class: 3,
          observed: { added: ['annual_income'], removed: ['income'] },
        },
      ],
    ],
    [
      'a rename that only changes case is a feature-set change',
      renameFeature('age', 'Age'),
      3,
      [{ rule: 'feature-set-changed', class: 3, observed: { added: ['Age'], removed: ['age'] } }],
    ],
    [
      'an added feature',
      (m) => {
        m.challenger.features.push('utilisation');
        m.comparison.psi.features.utilisation = 0.01;
      },
      3,
      [{ rule: 'feature-set-changed', class: 3, observed: { added: ['utilisation'], removed: [] } }],
    ],
    [
      'a removed feature',
      (m) => {
        m.challenger.features.pop();
      },
      3,
      [{ rule: 'feature-set-changed', class: 3, observed: { added: [], removed: ['months_employed'] } }],
    ],

    // Objective.
    [
      'a changed loss is an objective change',
      (m) => {
        m.challenger.objective.loss = 'focal-loss';
      },
      3,
      [
        {
          rule: 'objective-changed',
          class: 3,
          subject: 'loss',
          observed: { champion: 'binary-log-loss', challenger: 'focal-loss' },
        },
      ],
    ],
    [
      'a changed target is an objective change',
      (m) => {
        m.challenger.objective.target = 'default: 60+ days past due within 12 months';
      },
      3,
      [
        {
          rule: 'objective-changed',
          class: 3,
          subject: 'target',
          observed: {
            champion: 'default: 90+ days past due within 12 months',
            challenger: 'default: 60+ days past due within 12 months',
          },
        },
      ],
    ],

    // Data sources.
    [
      'a new data source',
      (m) => {
        m.challenger.dataSources.push('open-banking.transactions');
      },
      3,
      [{ rule: 'data-source-added', class: 3, observed: ['open-banking.transactions'] }],
    ],
    [
      'a dropped data source is not a new one',
      (m) => {
        m.challenger.dataSources.pop();
      },
      1,
      [WITHIN],
    ],
    [
      'reordered data sources',
      (m) => {
        m.challenger.dataSources.reverse();
      },
      1,
      [WITHIN],
    ],
    [
      'a replaced data source (one new, one dropped)',
      (m) => {
        m.challenger.dataSources = ['core-banking.loans', 'bureau.equifax'];
      },
      3,
      [{ rule: 'data-source-added', class: 3, observed: ['bureau.equifax'] }],
    ],

    // Population.
    [
      'a changed population definition',
      (m) => {
        m.challenger.population.definition = 'retail applicants aged 21 or over';
      },
      2,
      [
        {
          rule: 'population-changed',
          class: 2,
          subject: 'definition',
          observed: {
            champion: 'retail applicants aged 18 or over',
            challenger: 'retail applicants aged 21 or over',
          },
        },
      ],
    ],
    [
      'whitespace in the definition counts under `exact`',
      (m) => {
        m.challenger.population.definition = 'retail applicants  aged 18 or over';
      },
      2,
      [expect.objectContaining({ rule: 'population-changed', subject: 'definition' })],
    ],
    [
      'an added segment',
      (m) => {
        m.challenger.population.segments.push('thin-file');
      },
      2,
      [
        {
          rule: 'population-changed',
          class: 2,
          subject: 'segments',
          observed: { added: ['thin-file'], removed: [] },
        },
      ],
    ],
    [
      'reordered segments',
      (m) => {
        m.challenger.population.segments.reverse();
      },
      1,
      [WITHIN],
    ],
    [
      'segments dropped altogether',
      (m) => {
        delete m.challenger.population.segments;
      },
      2,
      [
        {
          rule: 'population-changed',
          class: 2,
          subject: 'segments',
          observed: { added: [], removed: ['existing', 'new-to-bank'] },
        },
      ],
    ],
    [
      'segments absent on both sides',
      (m) => {
        delete m.champion.population.segments;
        delete m.challenger.population.segments;
      },
      1,
      [WITHIN],
    ],

    // Metrics (auc: higher is better, max adverse 0.01; brier: lower is better, max adverse 0.005, max absolute 0.02).
    [
      'an AUC loss exactly at the limit (0.81 -> 0.80) is within',
      (m) => {
        m.comparison.metrics.auc.challenger = 0.8;
      },
      1,
      [WITHIN],
    ],
    [
      'an AUC loss just beyond the limit',
      (m) => {
        m.comparison.metrics.auc.challenger = 0.7999;
      },
      2,
      [{ rule: 'metric-adverse-change', class: 2, subject: 'auc', observed: 0.0101, threshold: 0.01 }],
    ],
    [
      'a large AUC gain (no absolute limit on auc)',
      (m) => {
        m.comparison.metrics.auc.challenger = 0.95;
      },
      1,
      [WITHIN],
    ],
    [
      'a Brier rise exactly at the limit is within',
      (m) => {
        m.comparison.metrics.brier.challenger = 0.125;
      },
      1,
      [WITHIN],
    ],
    [
      'a Brier rise beyond the limit (lower is better)',
      (m) => {
        m.comparison.metrics.brier.challenger = 0.126;
      },
      2,
      [{ rule: 'metric-adverse-change', class: 2, subject: 'brier', observed: 0.006, threshold: 0.005 }],
    ],
    [
      'a Brier improvement exactly at the absolute limit is within',
      (m) => {
        m.comparison.metrics.brier.challenger = 0.1;
      },
      1,
      [WITHIN],
    ],
    [
      'a Brier improvement beyond the absolute limit',
      (m) => {
        m.comparison.metrics.brier.challenger = 0.09;
      },
      2,
      [{ rule: 'metric-absolute-change', class: 2, subject: 'brier', observed: 0.03, threshold: 0.02 }],
    ],
    [
      'a Brier rise beyond both limits gives both reasons',
      (m) => {
        m.comparison.metrics.brier.challenger = 0.15;
      },
      2,
      [
        { rule: 'metric-adverse-change', class: 2, subject: 'brier', observed: 0.03, threshold: 0.005 },
        { rule: 'metric-absolute-change', class: 2, subject: 'brier', observed: 0.03, threshold: 0.02 },
      ],
    ],
    [
      'a metric the envelope names is missing',
      (m) => {
        delete m.comparison.metrics.auc;
      },
      2,
      [{ rule: 'evidence-missing', class: 2, subject: '/comparison/metrics/auc', observed: null }],
    ],
    [
      'a metric the envelope names could not be computed (null)',
      (m) => {
        m.comparison.metrics.auc.challenger = null;
      },
      2,
      [
        {
          rule: 'evidence-unparseable',
          class: 2,
          subject: '/comparison/metrics/auc/challenger',
          observed: 'null (not computed)',
        },
      ],
    ],
    [
      'a champion value that could not be computed',
      (m) => {
        m.comparison.metrics.brier.champion = null;
      },
      2,
      [
        {
          rule: 'evidence-unparseable',
          class: 2,
          subject: '/comparison/metrics/brier/champion',
          observed: 'null (not computed)',
        },
      ],
    ],
    [
      'a metric that could not be computed on either side gives both reasons',
      (m) => {
        m.comparison.metrics.auc = { champion: null, challenger: null };
      },
      2,
      [
        {
          rule: 'evidence-unparseable',
          class: 2,
          subject: '/comparison/metrics/auc/champion',
          observed: 'null (not computed)',
        },
        {
          rule: 'evidence-unparseable',
          class: 2,
          subject: '/comparison/metrics/auc/challenger',
          observed: 'null (not computed)',
        },
      ],
    ],
    [
      'a metric the envelope does not name may be missing',
      (m) => {
        delete m.comparison.metrics.ks;
      },
      1,
      [WITHIN],
    ],
    [
      'no metrics at all',
      (m) => {
        m.comparison.metrics = {};
      },
      2,
      [
        { rule: 'evidence-missing', class: 2, subject: '/comparison/metrics/auc', observed: null },
        { rule: 'evidence-missing', class: 2, subject: '/comparison/metrics/brier', observed: null },
      ],
    ],

    // PSI (featureMax 0.1, income overridden to 0.2, scoreMax 0.1); exactly at a limit is within.
    [
      'a feature PSI exactly at the limit is within',
      (m) => {
        m.comparison.psi.features.age = 0.1;
      },
      1,
      [WITHIN],
    ],
    [
      'a feature PSI just above the limit',
      (m) => {
        m.comparison.psi.features.age = 0.1000001;
      },
      2,
      [{ rule: 'feature-psi-exceeded', class: 2, subject: 'age', observed: 0.1000001, threshold: 0.1 }],
    ],
    [
      'a feature PSI within its override',
      (m) => {
        m.comparison.psi.features.income = 0.2;
      },
      1,
      [WITHIN],
    ],
    [
      'a feature PSI above its override',
      (m) => {
        m.comparison.psi.features.income = 0.21;
      },
      2,
      [{ rule: 'feature-psi-exceeded', class: 2, subject: 'income', observed: 0.21, threshold: 0.2 }],
    ],
    [
      'a challenger feature without PSI',
      (m) => {
        delete m.comparison.psi.features.debt_ratio;
      },
      2,
      [
        {
          rule: 'evidence-missing',
          class: 2,
          subject: '/comparison/psi/features/debt_ratio',
          observed: null,
        },
      ],
    ],
    [
      'a feature PSI that could not be computed',
      (m) => {
        m.comparison.psi.features.age = null;
      },
      2,
      [
        {
          rule: 'evidence-unparseable',
          class: 2,
          subject: '/comparison/psi/features/age',
          observed: 'null (not computed)',
        },
      ],
    ],
    [
      'the score PSI exactly at the limit is within',
      (m) => {
        m.comparison.psi.score = 0.1;
      },
      1,
      [WITHIN],
    ],
    [
      'the score PSI above the limit',
      (m) => {
        m.comparison.psi.score = 0.11;
      },
      2,
      [{ rule: 'score-psi-exceeded', class: 2, subject: 'score', observed: 0.11, threshold: 0.1 }],
    ],
    [
      'the score PSI could not be computed',
      (m) => {
        m.comparison.psi.score = null;
      },
      2,
      [
        {
          rule: 'evidence-unparseable',
          class: 2,
          subject: '/comparison/psi/score',
          observed: 'null (not computed)',
        },
      ],
    ],
    [
      'a removed feature is not held to a PSI limit, but is a feature-set change',
      (m) => {
        m.challenger.features = ['age', 'income', 'debt_ratio'];
        m.comparison.psi.features.months_employed = 0.9;
      },
      3,
      [{ rule: 'feature-set-changed', class: 3, observed: { added: [], removed: ['months_employed'] } }],
    ],
  ])('%s', (_name, mutate, expectedClass, expectedReasons) => {
    const result = summary(manifestWith(mutate));
    expect(result.class).toBe(expectedClass);
    expect(result.reasons).toEqual(expectedReasons);
  });
});

describe('classifyChange: several reasons', () => {
  test('the highest class wins and every reason is listed, in rule order', () => {
    const manifest = manifestWith((m) => {
      m.comparison.psi.score = 0.3;
      m.comparison.metrics.auc.challenger = 0.7;
      m.challenger.dataSources.push('social-media');
      m.challenger.features.push('zip_code');
      m.comparison.psi.features.zip_code = 0.5;
      m.challenger.population.definition = 'all applicants';
    });
    const result = summary(manifest);
    expect(result.class).toBe(3);
    expect(result.reasons.map((reason) => [reason.rule, reason.class])).toEqual([
      ['feature-set-changed', 3],
      ['data-source-added', 3],
      ['population-changed', 2],
      ['metric-adverse-change', 2],
      ['feature-psi-exceeded', 2],
      ['score-psi-exceeded', 2],
    ]);
  });

  test('two class-2 reasons give class 2 with both', () => {
    const result = summary(
      manifestWith((m) => {
        m.comparison.psi.features.age = 0.5;
        m.comparison.psi.features.debt_ratio = 0.6;
      }),
    );
    expect(result.class).toBe(2);
    expect(result.reasons.map((reason) => reason.subject)).toEqual(['age', 'debt_ratio']);
  });

  test('missing evidence raises a change that would otherwise be class 1 and never lowers a class 3', () => {
    expect(
      summary(
        manifestWith((m) => {
          m.comparison.psi.score = null;
        }),
      ).class,
    ).toBe(2);
    const both = summary(
      manifestWith((m) => {
        m.comparison.psi.score = null;
        m.challenger.objective.loss = 'hinge';
      }),
    );
    expect(both.class).toBe(3);
    expect(both.reasons.map((reason) => reason.rule)).toEqual(['objective-changed', 'evidence-unparseable']);
  });
});

describe('classifyChange: policy inputs', () => {
  test('collapse-whitespace ignores re-wrapping of the population definition', () => {
    const policy = policyWith((p) => {
      p.population = { definition: 'collapse-whitespace' };
    });
    const rewrapped = manifestWith((m) => {
      m.challenger.population.definition = '  retail applicants\n  aged 18 or over ';
    });
    expect(summary(rewrapped, policy).class).toBe(1);
    const edited = manifestWith((m) => {
      m.challenger.population.definition = 'retail applicants aged 18 or over, employed';
    });
    expect(summary(edited, policy).class).toBe(2);
  });

  test('segments: ignore', () => {
    const policy = policyWith((p) => {
      p.population = { segments: 'ignore' };
    });
    expect(
      summary(
        manifestWith((m) => {
          m.challenger.population.segments = ['everyone'];
        }),
        policy,
      ).class,
    ).toBe(1);
  });

  test('a feature named like an Object.prototype member is not given an inherited limit', () => {
    const manifest = manifestWith((m) => {
      m.champion.features.push('constructor', '__proto__');
      m.challenger.features.push('constructor', '__proto__');
      m.comparison.psi.features.constructor = 0.5;
      Object.defineProperty(m.comparison.psi.features, '__proto__', { value: 0.5, enumerable: true });
    });
    const result = summary(manifest);
    expect(result.class).toBe(2);
    expect(result.reasons.map((reason) => [reason.subject, reason.threshold])).toEqual([
      ['__proto__', 0.1],
      ['constructor', 0.1],
    ]);
  });

  test('approvals required follow the class', () => {
    const approvals = (mutate: Mutation) =>
      classifyChange(manifestWith(mutate), minimal.policy).approvalsRequired;
    const sod = { requesterMayApprove: false, identityCountsOnce: true, oneSlotPerApprover: false };
    expect(approvals(() => {})).toEqual({
      approvers: 1,
      requiredRoles: {},
      evidence: ['comparison'],
      separationOfDuties: sod,
    });
    expect(
      approvals((m) => {
        m.comparison.psi.score = 0.5;
      }),
    ).toEqual({
      approvers: 2,
      requiredRoles: { risk: 1 },
      evidence: ['comparison', 'explanation'],
      separationOfDuties: sod,
    });
    expect(
      approvals((m) => {
        m.challenger.objective.loss = 'hinge';
      }),
    ).toEqual({
      approvers: 3,
      requiredRoles: {},
      committee: { role: 'committee', quorum: 3, size: 5 },
      evidence: ['comparison', 'explanation', 'change-manifest'],
      separationOfDuties: sod,
    });
  });

  test('cites the digest of the policy it used, and its version', () => {
    const result = classifyChange(
      manifestWith(() => {}),
      minimal.policy,
    );
    expect(result.policyDigest).toBe(minimal.digest);
    expect(result.classifierVersion).toBe(CLASSIFIER_VERSION);
  });

  test('the example policy classifies an unremarkable retrain as class 1 for one model owner', () => {
    const { policy, digest } = loadPolicy(
      readFileSync(join(repoRoot, 'examples', 'policies', 'credit-risk.yaml'), 'utf8'),
    );
    const result = classifyChange(
      manifestWith(() => {}),
      policy,
    );
    expect(result.class).toBe(1);
    expect(result.policyDigest).toBe(digest);
    expect(result.approvalsRequired.requiredRoles).toEqual({ 'model-owner': 1 });
  });

  test('an invalid policy is refused with a coded error that keeps the cause', () => {
    const broken = { ...minimal.policy, classes: { 1: minimal.policy.classes[1] } } as unknown as Policy;
    try {
      classifyChange(
        manifestWith(() => {}),
        broken,
      );
      expect.unreachable();
    } catch (err) {
      expect(isDocketError(err, CLASSIFIER_ERRORS.POLICY_INVALID)).toBe(true);
      expect(isDocketError((err as Error).cause)).toBe(true);
    }
  });
});

describe('classifyChange: output', () => {
  test('is deeply frozen JSON data that survives a canonical round trip', () => {
    const result = classifyChange(
      manifestWith((m) => {
        m.challenger.features.push('x');
        m.comparison.psi.features.x = 0.9;
      }),
      minimal.policy,
    );
    expect(Object.isFrozen(result.reasons[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  test('every reason cites a known rule and carries a message', () => {
    const result = classifyChange(
      manifestWith((m) => {
        m.comparison.psi.score = 0.5;
      }),
      minimal.policy,
    );
    for (const reason of result.reasons) {
      expect(CLASSIFICATION_RULES).toContain(reason.rule);
      expect(reason.message.length).toBeGreaterThan(0);
    }
    expect(result.reasons[0]?.message).toBe('PSI of the score is 0.5, above its limit 0.1');
  });
});
