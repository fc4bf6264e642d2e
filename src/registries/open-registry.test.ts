import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from './errors.js';
import { LocalRegistry } from './local/index.js';
import { MlflowRegistry } from './mlflow/index.js';
import { mlflowAuthorizationFromEnv, openRegistry, parseRegistryConfig } from './open-registry.js';

const invalid = expect.objectContaining({ code: RegistryErrorCode.InvalidArgument });

describe('parseRegistryConfig', () => {
  it('accepts local and mlflow', () => {
    expect(parseRegistryConfig({ kind: 'local' }, 'c')).toEqual({ kind: 'local' });
    expect(
      parseRegistryConfig(
        { kind: 'mlflow', trackingUri: 'http://m:5000', legacyStages: true, timeoutMs: 5000 },
        'c',
      ),
    ).toEqual({ kind: 'mlflow', trackingUri: 'http://m:5000', legacyStages: true, timeoutMs: 5000 });
  });

  it.each([
    null,
    [],
    'local',
    {},
    { kind: 'sagemaker' },
    { kind: 'local', trackingUri: 'http://m' },
    { kind: 'mlflow' },
    { kind: 'mlflow', trackingUri: 7 },
    { kind: 'mlflow', trackingUri: 'http://m', legacyStages: 'yes' },
    { kind: 'mlflow', trackingUri: 'http://m', timeoutMs: -1 },
    { kind: 'mlflow', trackingUri: 'http://m', token: 'secret' },
  ])('refuses %j', (value) => {
    expect(() => parseRegistryConfig(value, 'config.json')).toThrow(invalid);
  });
});

describe('openRegistry', () => {
  it('opens registry.db in the home, or an MLflow adapter', async () => {
    const home = await mkdtemp(join(tmpdir(), 'docket-home-'));
    try {
      const local = openRegistry({ kind: 'local' }, { home });
      expect(local).toBeInstanceOf(LocalRegistry);
      await local.close();
      const mlflow = openRegistry(
        { kind: 'mlflow', trackingUri: 'http://m:5000/', legacyStages: true },
        { home },
      );
      expect(mlflow).toBeInstanceOf(MlflowRegistry);
      expect(mlflow.id).toBe('mlflow:http://m:5000');
      expect(mlflow.stages).toBeDefined();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('mlflowAuthorizationFromEnv', () => {
  it('follows MLflow’s own client variables', () => {
    expect(mlflowAuthorizationFromEnv({ MLFLOW_TRACKING_TOKEN: 'abc' })).toBe('Bearer abc');
    expect(mlflowAuthorizationFromEnv({ MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
    expect(mlflowAuthorizationFromEnv({})).toBeUndefined();
  });
});
