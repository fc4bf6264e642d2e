import type { FixtureData } from '../../policy/test-support/policy-fixtures.js';

export type { FixtureData };

const digest = (seed: string): string => `sha256:${seed.repeat(64).slice(0, 64)}`;

/**
 * A plain, mutable change manifest (fresh on every call) whose challenger changes nothing structural and stays
 * inside the drift envelope of MINIMAL_POLICY_YAML: with that policy it classifies as class 1.
 */
export function manifestData(): FixtureData {
  const model = (version: string, training: string) => ({
    model: 'credit-decisioning',
    version,
    features: ['age', 'income', 'debt_ratio', 'months_employed'],
    objective: { target: 'default: 90+ days past due within 12 months', loss: 'binary-log-loss' },
    dataSources: ['core-banking.loans', 'bureau.experian'],
    population: { definition: 'retail applicants aged 18 or over', segments: ['new-to-bank', 'existing'] },
    datasets: { training: digest(training), evaluation: digest('e') },
    hyperparameterSearchSpace: 'hp-space-2024-01',
  });
  return {
    formatVersion: 1,
    champion: model('16', 'a'),
    challenger: model('17', 'b'),
    comparison: {
      metrics: {
        auc: { champion: 0.81, challenger: 0.815 },
        brier: { champion: 0.12, challenger: 0.119 },
        ks: { champion: 0.42, challenger: 0.425 },
      },
      psi: { features: { age: 0.01, income: 0.02, debt_ratio: 0.03, months_employed: 0.04 }, score: 0.05 },
    },
  };
}
