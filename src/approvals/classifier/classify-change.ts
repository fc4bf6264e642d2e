import { DocketError, isDocketError } from '../../errors/index.js';
import type { ChangeManifest } from '../change-manifest/index.js';
import { type LoadedPolicy, type MaterialityClass, type Policy, validatePolicy } from '../policy/index.js';
import { deepFreeze } from '../policy/json-data.js';
import { featurePsiRule, metricRules, scorePsiRule } from './drift-rules.js';
import { CLASSIFIER_ERRORS } from './errors.js';
import { pointer, readNameSet } from './evidence.js';
import { populationRule } from './population-rule.js';
import { dataSourceRule, featureSetRule, objectiveRule } from './structure-rules.js';
import type { ApprovalsRequired, Classification, ClassificationReason } from './types.js';
import { CLASSIFIER_VERSION } from './version.js';

/** A rule and the highest class it can assign: the class it raises to when it cannot read its evidence at all. */
interface Rule {
  readonly name: string;
  readonly ceiling: MaterialityClass;
  readonly evaluate: (manifest: unknown, policy: Policy) => ClassificationReason[];
}

// Evaluation order is the order of reasons in the record (CLASSIFICATION_RULES).
const RULES: readonly Rule[] = [
  { name: 'feature set', ceiling: 3, evaluate: featureSetRule },
  { name: 'objective', ceiling: 3, evaluate: objectiveRule },
  { name: 'data sources', ceiling: 3, evaluate: dataSourceRule },
  { name: 'population', ceiling: 2, evaluate: populationRule },
  { name: 'metrics', ceiling: 2, evaluate: metricRules },
  { name: 'feature PSI', ceiling: 2, evaluate: featurePsiRule },
  { name: 'score PSI', ceiling: 2, evaluate: scorePsiRule },
];

/**
 * Assigns the materiality class of a change (DESIGN.md principle 4): pure and deterministic, the same manifest
 * and policy give the same classification, reasons in the same order. Every rule is evaluated and every reason
 * listed; the class is the highest any reason calls for. Missing or unusable evidence never lowers the class: it
 * raises it to the highest class the evidence could have ruled out, with a reason. The policy is re-validated
 * and the digest cited is computed from the policy actually used.
 *
 * @throws DocketError ERR_CLASSIFIER_POLICY_INVALID when `policy` is not a valid policy (never for the manifest)
 * @example
 * const { policy } = loadPolicy(policyYaml, { sourceName: 'credit-risk.yaml' });
 * const verdict = classifyChange(parseChangeManifest(JSON.parse(manifestJson)), policy);
 * verdict.class; // 1 | 2 | 3
 * verdict.approvalsRequired; // { approvers: 2, requiredRoles: { risk: 1 }, evidence: [...], ... }
 */
export function classifyChange(manifest: ChangeManifest, policy: Policy): Classification {
  const { policy: rules, digest } = usablePolicy(policy);
  const reasons = RULES.flatMap((rule) => evaluateSafely(rule, manifest, rules));
  if (reasons.length === 0) reasons.push(withinEnvelope(manifest, rules));
  const materiality = reasons.reduce<MaterialityClass>(
    (highest, reason) => Math.max(highest, reason.class) as MaterialityClass,
    1,
  );
  return deepFreeze({
    class: materiality,
    reasons,
    approvalsRequired: approvalsFor(rules, materiality),
    policyDigest: digest,
    classifierVersion: CLASSIFIER_VERSION,
  });
}

function usablePolicy(policy: Policy): LoadedPolicy {
  try {
    return validatePolicy(policy, { sourceName: 'the policy given to the classifier' });
  } catch (cause) {
    throw new DocketError(CLASSIFIER_ERRORS.POLICY_INVALID, 'the classifier was given an invalid policy', {
      cause,
      details: { issues: isDocketError(cause) ? (cause.details.issues ?? []) : [] },
    });
  }
}

// A parsed manifest cannot make a rule throw; a hand-built one with a throwing getter or proxy must still not
// lower the class, so the rule's evidence counts as unusable and the rule's highest class applies.
function evaluateSafely(rule: Rule, manifest: unknown, policy: Policy): ClassificationReason[] {
  try {
    return rule.evaluate(manifest, policy);
  } catch {
    return [
      {
        rule: 'evidence-unparseable',
        class: rule.ceiling,
        subject: pointer([]),
        observed: 'unreadable',
        message: `evidence unparseable: the manifest could not be read for the ${rule.name} rule, so the class is raised to ${rule.ceiling}`,
      },
    ];
  }
}

function withinEnvelope(manifest: unknown, policy: Policy): ClassificationReason {
  const metrics = Object.keys(policy.drift.metrics).length;
  const challengerFeatures = readNameSet(manifest, ['challenger', 'features']);
  const features = challengerFeatures.ok ? challengerFeatures.value.length : 0;
  return {
    rule: 'within-envelope',
    class: 1,
    observed: null,
    message: `same features, objective, data sources and population; ${metrics} metric${metrics === 1 ? '' : 's'}, the PSI of ${features} feature${features === 1 ? '' : 's'} and the score PSI within the drift envelope`,
  };
}

function approvalsFor(policy: Policy, materiality: MaterialityClass): ApprovalsRequired {
  const rule = policy.classes[materiality];
  return {
    approvers: rule.approvers,
    requiredRoles: rule.requiredRoles,
    ...(rule.committee === undefined ? {} : { committee: rule.committee }),
    evidence: rule.evidence,
    separationOfDuties: policy.separationOfDuties,
  };
}
