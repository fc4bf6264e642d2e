/**
 * Stable codes of the errors {@link classifyChange} throws. It throws only when it cannot know the rules: a
 * manifest with missing or unusable evidence is never an error, it raises the class.
 */
export const CLASSIFIER_ERRORS = {
  /** The policy handed to the classifier is not a valid policy; `cause` is the policy error, `details.issues` its issues. */
  POLICY_INVALID: 'ERR_CLASSIFIER_POLICY_INVALID',
} as const;

/** One of the {@link CLASSIFIER_ERRORS} codes. */
export type ClassifierErrorCode = (typeof CLASSIFIER_ERRORS)[keyof typeof CLASSIFIER_ERRORS];
