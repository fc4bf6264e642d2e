import { isDocketError } from '../../../errors/index.js';
import type { PolicyIssue } from '../errors.js';

/** Loosely typed policy or manifest data that tests mutate freely to build edge cases and hostile input. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited field by field, including into invalid shapes.
export type FixtureData = Record<string, any>;

/** A small valid policy as YAML; line numbers in tests refer to this text (line 1 is `formatVersion`). */
export const MINIMAL_POLICY_YAML = `formatVersion: 1
name: minimal
identity:
  claim: groups
  mapping:
    owners: [model-owner]
    mrm: [risk]
    committee: [committee]
classes:
  1:
    approvers: 1
    evidence: [comparison]
  2:
    approvers: 2
    requiredRoles:
      risk: 1
    evidence: [comparison, explanation]
  3:
    approvers: 3
    committee:
      role: committee
      quorum: 3
      size: 5
    evidence: [comparison, explanation, change-manifest]
drift:
  metrics:
    auc:
      direction: higher-is-better
      maxAdverseChange: 0.01
    brier:
      direction: lower-is-better
      maxAdverseChange: 0.005
      maxAbsoluteChange: 0.02
  psi:
    featureMax: 0.1
    features:
      income: 0.2
    scoreMax: 0.1
`;

/** The same policy as plain data (a fresh, mutable copy on every call). */
export function minimalPolicyData(): FixtureData {
  return {
    formatVersion: 1,
    name: 'minimal',
    identity: {
      claim: 'groups',
      mapping: { owners: ['model-owner'], mrm: ['risk'], committee: ['committee'] },
    },
    classes: {
      1: { approvers: 1, evidence: ['comparison'] },
      2: { approvers: 2, requiredRoles: { risk: 1 }, evidence: ['comparison', 'explanation'] },
      3: {
        approvers: 3,
        committee: { role: 'committee', quorum: 3, size: 5 },
        evidence: ['comparison', 'explanation', 'change-manifest'],
      },
    },
    drift: {
      metrics: {
        auc: { direction: 'higher-is-better', maxAdverseChange: 0.01 },
        brier: { direction: 'lower-is-better', maxAdverseChange: 0.005, maxAbsoluteChange: 0.02 },
      },
      psi: { featureMax: 0.1, features: { income: 0.2 }, scoreMax: 0.1 },
    },
  };
}

/** Replaces the first line of `yaml` that equals `from` (after trimming its indentation) with `to`, keeping the indentation. */
export function replaceLine(yaml: string, from: string, to: string): string {
  const lines = yaml.split('\n');
  const index = lines.findIndex((line) => line.trim() === from);
  if (index < 0) throw new Error(`fixture line not found: ${from}`);
  const indent = (lines[index] ?? '').match(/^ */)?.[0] ?? '';
  lines[index] = `${indent}${to}`;
  return lines.join('\n');
}

/** 1-based line number of the first line of `yaml` whose trimmed text is `text`. */
export function lineOf(yaml: string, text: string): number {
  const index = yaml.split('\n').findIndex((line) => line.trim() === text);
  if (index < 0) throw new Error(`fixture line not found: ${text}`);
  return index + 1;
}

/** Runs `fn`, expecting a DocketError; returns its code and issues. */
export function catchPolicyError(fn: () => unknown): {
  code: string;
  message: string;
  issues: PolicyIssue[];
} {
  try {
    fn();
  } catch (err) {
    if (!isDocketError(err)) throw err;
    return { code: err.code, message: err.message, issues: (err.details.issues ?? []) as PolicyIssue[] };
  }
  throw new Error('expected a DocketError, but nothing was thrown');
}
