import type { ModelExplanation } from './model-explanation.js';

/** The two explanation bundles an explanation diff compares. */
export interface ExplanationDiffInputs {
  readonly champion: ModelExplanation;
  readonly challenger: ModelExplanation;
}
