import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegistryErrorCode } from '../errors.js';
import {
  type FakeHandler,
  type HostileMlflow,
  json,
  modelVersion,
  startHostileMlflow,
  text,
} from '../test-support/hostile-mlflow.js';
import { MlflowRegistry } from './mlflow-registry.js';

const code = (c: string) => expect.objectContaining({ code: c });
const API = '/api/2.0/mlflow';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

// Hostile answers from a FAKE server (no honest MLflow misbehaves on demand); honest behaviour is tested against
// the real server in mlflow-registry.test.ts.
describe('MlflowRegistry against a hostile server (fake)', () => {
  let fake: HostileMlflow;
  let registry: MlflowRegistry;
  let parent: string;

  beforeAll(async () => {
    fake = await startHostileMlflow();
    registry = new MlflowRegistry({
      trackingUri: fake.trackingUri,
      timeoutMs: 800,
      maxResponseBytes: 64 * 1024,
    });
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(async () => {
    fake.reset();
    parent = await mkdtemp(join(tmpdir(), 'docket-hostile-'));
  });
  afterEach(async () => {
    // Nothing may be left behind in the temp parent, whatever the server did.
    expect(await readdir(parent)).toEqual([]);
    await rm(parent, { recursive: true, force: true });
  });

  const getVersion = (handler: FakeHandler) => {
    fake.route('GET', `${API}/model-versions/get`, handler);
    return registry.getVersion('credit', '3');
  };

  it.each<[string, FakeHandler]>([
    ['HTML with status 200', text('<html>hello</html>', 200, 'text/html')],
    ['truncated JSON', text('{"model_version": {"name": "cre')],
    ['a JSON array', json([modelVersion('credit', '3')])],
    ['JSON null', text('null')],
    ['invalid UTF-8', (_q, r) => r.writeHead(200).end(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['no model_version', json({})],
    ['a numeric version', json(modelVersion('credit', 3 as unknown as string))],
    ['another model', json(modelVersion('fraud', '3'))],
    ['another version', json(modelVersion('credit', '4'))],
    ['an unknown stage', json(modelVersion('credit', '3', { current_stage: 'Prod; rm -rf /' }))],
    ['an unknown status', json(modelVersion('credit', '3', { status: 'MAYBE' }))],
    ['a source of 100,000 characters', json(modelVersion('credit', '3', { source: 'x'.repeat(100_000) }))],
    ['a negative timestamp', json(modelVersion('credit', '3', { creation_timestamp: -5 }))],
  ])('refuses %s as RESPONSE_INVALID', async (_label, handler) => {
    await expect(getVersion(handler)).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
  });

  it('ignores unknown fields and a __proto__ key', async () => {
    const body = `{"__proto__": {"polluted": true}, "model_version": ${JSON.stringify(
      (modelVersion('credit', '3', { future_field: [1, 2] }) as { model_version: unknown }).model_version,
    )}}`;
    const version = await getVersion(text(body));
    expect(version).toMatchObject({ model: 'credit', version: '3', stage: 'None', status: 'ready' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body over the size bound, announced or streamed, without reading it all', async () => {
    await expect(getVersion(text('x'.repeat(200 * 1024)))).rejects.toEqual(
      code(RegistryErrorCode.ResponseInvalid),
    );
    let sent = 0;
    const endless: FakeHandler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 64 * 1024 * 1024 && response.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024 && !response.destroyed) response.once('drain', pump);
      };
      response.on('close', () => undefined);
      pump();
    };
    await expect(getVersion(endless)).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it.each<[number, string, string]>([
    [500, '{"error_code": "INTERNAL_ERROR", "message": "db locked"}', RegistryErrorCode.Unreachable],
    [502, '<html>Bad Gateway</html>', RegistryErrorCode.Unreachable],
    [503, '', RegistryErrorCode.Unreachable],
    [429, '{"error_code": "REQUEST_LIMIT_EXCEEDED"}', RegistryErrorCode.Unreachable],
    [408, '', RegistryErrorCode.Unreachable],
    [
      404,
      '{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Model Version not found"}',
      RegistryErrorCode.NotFound,
    ],
    [404, '<html>Not Found</html>', RegistryErrorCode.Refused],
    [403, '{"error_code": "PERMISSION_DENIED", "message": "no"}', RegistryErrorCode.Refused],
    [401, '', RegistryErrorCode.Refused],
    [
      400,
      '{"error_code": "INVALID_PARAMETER_VALUE", "message": "\\u001b[31mred"}',
      RegistryErrorCode.Refused,
    ],
    [400, '{"error_code": "RESOURCE_ALREADY_EXISTS"}', RegistryErrorCode.AlreadyExists],
  ])('maps status %i %s to %s', async (status, body, expected) => {
    const err = await getVersion(text(body, status)).catch((e: unknown) => e);
    expect(err).toEqual(code(expected));
    expect((err as Error).message).not.toContain('\u001b');
  });

  it('follows no redirect, so a registry cannot send docket elsewhere', async () => {
    const elsewhere = await startHostileMlflow();
    try {
      elsewhere.route('GET', `${API}/model-versions/get`, json(modelVersion('credit', '3')));
      const redirect: FakeHandler = (_q, r) =>
        r
          .writeHead(302, {
            location: `${elsewhere.trackingUri}${API}/model-versions/get?name=credit&version=3`,
          })
          .end();
      await expect(getVersion(redirect)).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });

  it('times out a server that never answers, or stalls mid-body, as UNREACHABLE', async () => {
    const started = Date.now();
    await expect(getVersion(() => undefined)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
    const stall: FakeHandler = (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.write('{"model_version": ');
    };
    await expect(getVersion(stall)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
    // A body dripping in a byte at a time never resets the deadline of a JSON call.
    const drip: FakeHandler = (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => (r.destroyed ? clearInterval(timer) : r.write(' ')), 50);
      r.on('close', () => clearInterval(timer));
    };
    await expect(getVersion(drip)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('reports a connection reset mid-body as UNREACHABLE', async () => {
    const reset: FakeHandler = (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      r.write('{"model_version": {');
      setTimeout(() => r.socket?.destroy(), 20);
    };
    await expect(getVersion(reset)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
  });

  describe('aliases and search', () => {
    const model = (extra: Record<string, unknown>) =>
      json({ registered_model: { name: 'credit', ...extra } });

    it.each<[string, Record<string, unknown>]>([
      ['a reserved alias', { aliases: [{ alias: 'latest', version: '1' }] }],
      ['an alias with a newline', { aliases: [{ alias: 'cham\npion', version: '1' }] }],
      ['a non-numeric version', { aliases: [{ alias: 'champion', version: '1; DROP' }] }],
      [
        'the same alias twice',
        {
          aliases: [
            { alias: 'champion', version: '1' },
            { alias: 'champion', version: '2' },
          ],
        },
      ],
      ['aliases as an object', { aliases: { champion: '1' } }],
      ['another model', { name: 'fraud' }],
    ])('refuses %s', async (_label, extra) => {
      fake.route('GET', `${API}/registered-models/get`, model(extra));
      await expect(registry.resolveAlias('credit', 'champion')).rejects.toEqual(
        code(RegistryErrorCode.ResponseInvalid),
      );
    });

    it('refuses a search that repeats its page token instead of looping forever', async () => {
      fake.route(
        'GET',
        `${API}/registered-models/search`,
        json({ registered_models: [{ name: 'credit' }], next_page_token: 'again' }),
      );
      await expect(registry.listAliases()).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
      expect(fake.requests.length).toBe(2);
    });
  });

  describe('artefact download', () => {
    const ROOT = '1/run/artifacts/model';
    const downloadUri = (uri: string) =>
      fake.route('GET', `${API}/model-versions/get-download-uri`, json({ artifact_uri: uri }));
    const listing = (files: unknown[], at = ROOT) => {
      const previous: FakeHandler = (_q, r, url) => {
        const path = url.searchParams.get('path');
        r.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify(path === at ? { files } : {}),
        );
      };
      fake.route('GET', ARTIFACTS, previous);
    };
    const fetchIt = (options: { maxBytes?: number } = {}) =>
      registry.fetchArtefacts('credit', '3', { tempDir: parent, ...options });

    beforeEach(() => downloadUri(`mlflow-artifacts:/${ROOT}`));

    it.each<[string, string]>([
      ['..', 'a parent reference'],
      ['../../../../tmp/evil', 'a climbing path'],
      ['a/b', 'a slash'],
      ['a\\b', 'a backslash'],
      ['.', 'a dot'],
      ['', 'an empty name'],
      ['bad\u0000name', 'a NUL'],
      ['bad\u001bname', 'an escape character'],
      ['x'.repeat(300), 'a 300-character name'],
    ])('refuses the artifact name %j (%s) before writing anything', async (name) => {
      listing([{ path: name, is_dir: false, file_size: 3 }]);
      fake.route('GET', `${ARTIFACTS}/${ROOT}/x`, text('abc'));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
      expect(fake.requests.some((r) => r.startsWith(`GET ${ARTIFACTS}/`))).toBe(false);
    });

    it('refuses a listing that names a file twice', async () => {
      listing([
        { path: 'w.bin', is_dir: false, file_size: 1 },
        { path: 'w.bin', is_dir: false, file_size: 1 },
      ]);
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
    });

    it('refuses a file larger or smaller than listed', async () => {
      listing([{ path: 'w.bin', is_dir: false, file_size: 3 }]);
      fake.route('GET', `${ARTIFACTS}/${ROOT}/w.bin`, text('abcdef'));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
      fake.route('GET', `${ARTIFACTS}/${ROOT}/w.bin`, text('a'));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ResponseInvalid));
    });

    it('stops a download past the byte limit', async () => {
      listing([{ path: 'w.bin', is_dir: false }]);
      fake.route('GET', `${ARTIFACTS}/${ROOT}/w.bin`, text('y'.repeat(100_000)));
      await expect(fetchIt({ maxBytes: 10_000 })).rejects.toEqual(code(RegistryErrorCode.ArtefactTooLarge));
    });

    it('refuses directories nested without end', async () => {
      fake.route('GET', ARTIFACTS, json({ files: [{ path: 'deeper', is_dir: true }] }));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ArtefactTooLarge));
    });

    it('times out a download that stops sending', async () => {
      listing([{ path: 'w.bin', is_dir: false, file_size: 10 }]);
      fake.route('GET', `${ARTIFACTS}/${ROOT}/w.bin`, (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/octet-stream' });
        r.write('abc');
      });
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.Unreachable));
    });

    it.each<[string, string]>([
      ['s3://bucket/model', RegistryErrorCode.ArtefactUnavailable],
      ['file:///etc', RegistryErrorCode.ArtefactUnavailable],
      ['models:/m-0123', RegistryErrorCode.ArtefactUnavailable],
      ['mlflow-artifacts://evil.example:443/1/run/artifacts/model', RegistryErrorCode.ArtefactUnavailable],
      ['http://evil.example/api/2.0/mlflow-artifacts/artifacts/1/x', RegistryErrorCode.ArtefactUnavailable],
      ['mlflow-artifacts:/', RegistryErrorCode.ArtefactUnavailable],
      ['runs:/../../x/model', RegistryErrorCode.ArtefactUnavailable],
      ['mlflow-artifacts:/1/../../../etc', RegistryErrorCode.ResponseInvalid],
      ['runs:/abc/../../etc', RegistryErrorCode.ResponseInvalid],
    ])('refuses the artifact URI %s', async (uri, expected) => {
      downloadUri(uri);
      await expect(fetchIt()).rejects.toEqual(code(expected));
      expect(fake.requests.some((r) => r.startsWith(`GET ${ARTIFACTS}`))).toBe(false);
    });

    it('tells a server without the artifact proxy from one that is down', async () => {
      const disabled =
        'Endpoint: /api/2.0/mlflow-artifacts/artifacts disabled due to the mlflow server running with `--no-serve-artifacts`.';
      fake.route('GET', ARTIFACTS, text(disabled, 503, 'text/html'));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ArtefactUnavailable));
      fake.route('GET', ARTIFACTS, text('<html>Service Unavailable</html>', 503, 'text/html'));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.Unreachable));
    });

    it('downloads a root that lists nothing as a single file, and says when there is none', async () => {
      listing([]);
      fake.route('GET', `${ARTIFACTS}/${ROOT}`, text('single', 200, 'application/octet-stream'));
      const fetched = await fetchIt();
      expect(fetched).toMatchObject({ kind: 'file', files: 1, bytes: 6 });
      await fetched.remove();
      fake.route('GET', `${ARTIFACTS}/${ROOT}`, text('{"error_code": "RESOURCE_DOES_NOT_EXIST"}', 404));
      await expect(fetchIt()).rejects.toEqual(code(RegistryErrorCode.ArtefactUnavailable));
    });
  });

  it('refuses a tracking URI with credentials, or not http(s)', () => {
    expect(() => new MlflowRegistry({ trackingUri: 'http://user:secret@127.0.0.1:5000' })).toThrow(
      code(RegistryErrorCode.InvalidArgument),
    );
    expect(() => new MlflowRegistry({ trackingUri: 'file:///tmp/mlruns' })).toThrow(
      code(RegistryErrorCode.InvalidArgument),
    );
    expect(() => new MlflowRegistry({ trackingUri: 'databricks' })).toThrow(
      code(RegistryErrorCode.InvalidArgument),
    );
    expect(() => new MlflowRegistry({ trackingUri: 'http://h', timeoutMs: 0 })).toThrow(
      code(RegistryErrorCode.InvalidArgument),
    );
  });

  it('names the registry by its normalised tracking URI, and sends the Authorization header it was given', async () => {
    expect(new MlflowRegistry({ trackingUri: 'http://mlflow.internal:5000//' }).id).toBe(
      'mlflow:http://mlflow.internal:5000',
    );
    expect(new MlflowRegistry({ trackingUri: 'https://host/prefix/' }).id).toBe('mlflow:https://host/prefix');
    let seen: string | undefined;
    fake.route('GET', `${API}/model-versions/get`, (request, response) => {
      seen = request.headers.authorization;
      json(modelVersion('credit', '3'))(request, response, new URL('http://x'));
    });
    const authed = new MlflowRegistry({ trackingUri: fake.trackingUri, authorization: 'Bearer t0ken' });
    await authed.getVersion('credit', '3');
    expect(seen).toBe('Bearer t0ken');
  });
});
