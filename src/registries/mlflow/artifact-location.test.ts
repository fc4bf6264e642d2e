import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from '../errors.js';
import { parseArtifactUri, proxyPath } from './artifact-location.js';
import { parseTrackingUri } from './tracking-uri.js';

const tracking = parseTrackingUri('http://127.0.0.1:5000/');

// URI forms as MLflow 3.17 reports them (model-versions/get-download-uri, runs/get): see mlflow-registry.test.ts.
describe('parseArtifactUri', () => {
  it.each([
    ['mlflow-artifacts:/1/models/m-d64a/artifacts', { kind: 'proxy', path: '1/models/m-d64a/artifacts' }],
    ['mlflow-artifacts:///1/r/artifacts/model/', { kind: 'proxy', path: '1/r/artifacts/model' }],
    ['mlflow-artifacts://127.0.0.1:5000/1/r/artifacts/model', { kind: 'proxy', path: '1/r/artifacts/model' }],
    ['runs:/6366be4e/model', { kind: 'run', runId: '6366be4e', path: 'model' }],
    ['runs:/6366be4e', { kind: 'run', runId: '6366be4e', path: '' }],
    [
      'http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/r/sub%20dir',
      { kind: 'proxy', path: '1/r/sub dir' },
    ],
  ])('reads %s', (uri, expected) => {
    expect(parseArtifactUri(uri, tracking)).toEqual(expected);
  });

  it('encodes each segment of a proxy path', () => {
    expect(proxyPath('1/r/sub dir/déjà#?.txt')).toBe(
      'mlflow-artifacts/artifacts/1/r/sub%20dir/d%C3%A9j%C3%A0%23%3F.txt',
    );
  });

  it('refuses a percent-encoded climb in a proxy URL', () => {
    expect(() =>
      parseArtifactUri(
        'http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/%2E%2E/%2E%2E/etc',
        tracking,
      ),
    ).toThrow(expect.objectContaining({ code: RegistryErrorCode.ResponseInvalid }));
  });
});
