import type { Sha256Digest } from '../policy/index.js';

/** What a model is trained to predict (`target`, the label definition) and how (`loss`). */
export interface ModelObjective {
  readonly target: string;
  readonly loss: string;
}

/** The population a model is built for; `segments` is a set. */
export interface ModelPopulation {
  readonly definition: string;
  readonly segments?: readonly string[];
}

/** Digests of the exact datasets used. */
export interface ModelDatasets {
  readonly training: Sha256Digest;
  readonly evaluation: Sha256Digest;
}

/** One model as the classifier sees it. `features` and `dataSources` are sets (order is not significant). */
export interface ModelManifest {
  readonly model: string;
  readonly version: string;
  readonly features: readonly string[];
  readonly objective: ModelObjective;
  readonly dataSources: readonly string[];
  readonly population: ModelPopulation;
  readonly datasets: ModelDatasets;
  readonly hyperparameterSearchSpace: string;
}

/** A measured metric; null when it could not be computed (NaN at the source). */
export interface MetricValues {
  readonly champion: number | null;
  readonly challenger: number | null;
}

/** The comparison's measured values. A null PSI could not be computed. */
export interface ChangeComparison {
  readonly metrics: Readonly<Record<string, MetricValues>>;
  readonly psi: {
    readonly features: Readonly<Record<string, number | null>>;
    readonly score: number | null;
  };
}

/** What the classifier inspects: see schemas/change-manifest.schema.json. Deeply frozen once parsed. */
export interface ChangeManifest {
  readonly formatVersion: 1;
  readonly champion: ModelManifest;
  readonly challenger: ModelManifest;
  readonly comparison: ChangeComparison;
}
