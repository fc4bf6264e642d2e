import { describe, expect, it } from 'vitest';
import { DocketError } from '../errors/index.js';
import { parseConfig } from './config.js';
import { parseHomeRegistryConfig } from './registry-config.js';

const fail = (why: string): never => {
  throw new DocketError('ERR_HOME_CONFIG_INVALID', why);
};
const parse = (value: unknown) => parseHomeRegistryConfig(value, 'config.json', fail);

describe('config.json registry', () => {
  it('defaults to the local registry moving the champion alias', () => {
    expect(parse(undefined)).toEqual({
      registry: { kind: 'local' },
      name: 'local',
      target: { kind: 'alias', alias: 'champion' },
      targetText: 'champion',
    });
  });

  it('names an MLflow registry `mlflow` unless told, and takes an alias or a stage as target', () => {
    expect(parse({ kind: 'mlflow', trackingUri: 'http://mlflow:5000' })).toMatchObject({
      registry: { kind: 'mlflow', trackingUri: 'http://mlflow:5000' },
      name: 'mlflow',
      target: { kind: 'alias', alias: 'champion' },
    });
    expect(
      parse({
        kind: 'mlflow',
        trackingUri: 'http://mlflow:5000',
        legacyStages: true,
        target: 'stage:Production',
        name: 'mlflow-prod',
      }),
    ).toMatchObject({ name: 'mlflow-prod', target: { kind: 'stage', stage: 'Production' } });
  });

  it.each([
    [
      'a stage without legacy stages',
      { kind: 'mlflow', trackingUri: 'http://m', target: 'stage:Production' },
    ],
    ['a reserved alias', { kind: 'local', target: 'latest' }],
    ['another name for the local registry', { kind: 'local', name: 'mine' }],
    ['a name requests cannot spell', { kind: 'mlflow', trackingUri: 'http://m', name: 'MLflow Prod' }],
    ['an unknown field', { kind: 'mlflow', trackingUri: 'http://m', tag: 1 }],
    ['an unknown kind', { kind: 'sagemaker' }],
    ['a target that is not text', { kind: 'local', target: 7 }],
  ])('refuses %s as ERR_HOME_CONFIG_INVALID', (_what, value) => {
    expect(() => parse(value)).toThrow(expect.objectContaining({ code: 'ERR_HOME_CONFIG_INVALID' }));
  });

  it('round-trips through config.json as written', () => {
    const base = {
      version: 1,
      log: { origin: 'o', store: { kind: 'sqlite', path: 'ledger.db' } },
      keys: { ledger: 'k', verifiers: ['v'] },
      artefacts: { kind: 'fs', path: 'a' },
    };
    const registry = { kind: 'mlflow', trackingUri: 'http://mlflow:5000', target: 'champion' };
    expect(parseConfig(JSON.stringify({ ...base, registry }), 'config.json').registry).toEqual(registry);
    expect(parseConfig(JSON.stringify(base), 'config.json').registry).toBeUndefined();
  });
});
