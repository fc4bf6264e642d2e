/**
 * Version of the classification rules, recorded with every classification. Bump it on any change that can alter
 * a class, a reason or its order for some input: the same manifest and policy must give the same record forever
 * under one version.
 */
export const CLASSIFIER_VERSION = '1.0.0';
