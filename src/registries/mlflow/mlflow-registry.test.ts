import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryManifest, manifestDigest } from '../../digest/index.js';
import { RegistryErrorCode } from '../errors.js';
import { frozenDigest } from '../frozen-digest.js';
import { currentTargetVersion, listTargetAssignments, moveTarget } from '../promotion-target.js';
import {
  serverArtifactDir,
  startMlflowServer,
  type TestMlflowServer,
} from '../test-support/mlflow-server.js';
import { type ModelFiles, writeModelFiles } from '../test-support/model-files.js';
import { type ConformanceFixture, registryConformance } from '../test-support/registry-conformance.js';
import { MlflowRegistry } from './mlflow-registry.js';

const code = (c: string) => expect.objectContaining({ code: c });

// One real server for the whole file: it takes 10-20 s to start on two cores. The last tests stop it.
describe('MlflowRegistry against a real MLflow server', () => {
  let server: TestMlflowServer;
  let registry: MlflowRegistry;
  let fixture: ConformanceFixture;
  let files: ModelFiles;

  beforeAll(async () => {
    server = await startMlflowServer();
    registry = new MlflowRegistry({ trackingUri: server.trackingUri, legacyStages: true, timeoutMs: 15_000 });
    files = await writeModelFiles('mlflow');
    fixture = {
      registry,
      expectedId: `mlflow:${server.trackingUri}`,
      async createVersions(model, dirs) {
        const versions: string[] = [];
        for (const dir of dirs) versions.push((await server.createModelVersion(model, dir)).version);
        return versions;
      },
      async readTag(model, version, key) {
        const { json } = await server.api(
          'GET',
          `mlflow/model-versions/get?name=${encodeURIComponent(model)}&version=${version}`,
        );
        const tags = (json.model_version as { tags?: { key: string; value: string }[] }).tags ?? [];
        return tags.find((t) => t.key === key)?.value;
      },
    };
  }, 150_000);

  afterAll(async () => {
    await files?.cleanup();
    await server?.stop();
  });

  describe('conformance', () => {
    registryConformance(() => fixture);
  });

  it('moves legacy stages, archiving the previous holder, and lists them', async () => {
    const model = `stages-${Date.now()}`;
    const v1 = (await server.createModelVersion(model, files.dir)).version;
    const v2 = (await server.createModelVersion(model, files.dir)).version;
    const stages = registry.stages;
    if (stages === undefined) throw new Error('legacyStages was set');
    expect(await stages.stageVersion(model, 'Production')).toBeUndefined();
    await moveTarget(registry, model, { kind: 'stage', stage: 'Production' }, v1);
    expect(await currentTargetVersion(registry, model, { kind: 'stage', stage: 'Production' })).toBe(v1);
    await moveTarget(registry, model, { kind: 'stage', stage: 'Production' }, v2);
    expect(await stages.stageVersion(model, 'Production')).toBe(v2);
    expect((await registry.getVersion(model, v1)).stage).toBe('Archived');
    await stages.transitionStage(model, v1, 'Staging');
    const mine = (await stages.listStages()).filter((s) => s.model === model);
    expect(mine).toEqual([
      { model, stage: 'Production', version: v2 },
      { model, stage: 'Staging', version: v1 },
    ]);
    expect(await listTargetAssignments(registry, { kind: 'stage', stage: 'Production' })).toContainEqual({
      model,
      version: v2,
    });
    await expect(stages.stageVersion(`absent-${Date.now()}`, 'Production')).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
  });

  it('has no stages unless configured, and says so when a stage target is used', async () => {
    const plain = new MlflowRegistry({ trackingUri: server.trackingUri });
    expect(plain.stages).toBeUndefined();
    await expect(moveTarget(plain, 'm', { kind: 'stage', stage: 'Production' }, '1')).rejects.toEqual(
      code(RegistryErrorCode.Unsupported),
    );
  });

  it('sees an alias moved behind docket’s back (what reconcile looks for)', async () => {
    const model = `direct-${Date.now()}`;
    const v1 = (await server.createModelVersion(model, files.dir)).version;
    const v2 = (await server.createModelVersion(model, files.dir)).version;
    await registry.setAlias(model, 'champion', v1);
    const direct = await server.api('POST', 'mlflow/registered-models/alias', {
      name: model,
      alias: 'champion',
      version: v2,
    });
    expect(direct.status).toBe(200);
    expect(await listTargetAssignments(registry, { kind: 'alias', alias: 'champion' })).toContainEqual({
      model,
      version: v2,
    });
  });

  it('resolves a runs:/ source through the run’s artifact root', async () => {
    const model = `runs-source-${Date.now()}`;
    const created = await server.createModelVersion(model, files.dir, { source: 'runs' });
    expect((await registry.getVersion(model, created.version)).source).toBe(`runs:/${created.runId}/model`);
    expect((await frozenDigest(registry, model, created.version)).digest).toBe(
      manifestDigest(await directoryManifest(files.dir)),
    );
  });

  it('digests a model logged by MLflow’s own Python client the same as the bytes the server stores', async () => {
    const model = `python-logged-${Date.now()}`;
    const extra = await mkdtemp(join(tmpdir(), 'docket-pyfunc-'));
    try {
      await writeFile(join(extra, 'thresholds.json'), '{"approve": 0.62}\n');
      const script = [
        'import os, sys, mlflow',
        'mlflow.set_tracking_uri(sys.argv[1])',
        'class Model(mlflow.pyfunc.PythonModel):',
        '    def predict(self, context, model_input): return model_input',
        'with mlflow.start_run():',
        '    mlflow.pyfunc.log_model(name="model", python_model=Model(), pip_requirements=[],',
        '        artifacts={"thresholds": os.path.join(sys.argv[3], "thresholds.json")},',
        '        registered_model_name=sys.argv[2])',
      ].join('\n');
      await promisify(execFile)(server.python, ['-c', script, server.trackingUri, model, extra], {
        env: { ...process.env, MLFLOW_ENABLE_ASYNC_LOGGING: 'false' },
      });
      const uri = await server.api(
        'GET',
        `mlflow/model-versions/get-download-uri?name=${encodeURIComponent(model)}&version=1`,
      );
      const stored = serverArtifactDir(server, String(uri.json.artifact_uri));
      const frozen = await frozenDigest(registry, model, '1');
      expect(frozen.kind).toBe('directory');
      expect(frozen.manifest?.files.map((f) => f.path)).toContain('MLmodel');
      expect(frozen.digest).toBe(manifestDigest(await directoryManifest(stored)));
    } finally {
      await rm(extra, { recursive: true, force: true });
    }
  });

  it('reports a server that accepts connections but never answers as UNREACHABLE within the timeout', async () => {
    const model = `hang-${Date.now()}`;
    const { version } = await server.createModelVersion(model, files.dir);
    const impatient = new MlflowRegistry({ trackingUri: server.trackingUri, timeoutMs: 1_500 });
    server.pause();
    try {
      const started = Date.now();
      await expect(impatient.getVersion(model, version)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
      await expect(impatient.setAlias(model, 'champion', version)).rejects.toEqual(
        code(RegistryErrorCode.Unreachable),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      server.resume();
    }
    expect((await registry.getVersion(model, version)).version).toBe(version);
  });

  it('reports a stopped server as UNREACHABLE (connection refused), for every operation', async () => {
    await server.stop();
    const calls: (() => Promise<unknown>)[] = [
      () => registry.getVersion('m', '1'),
      () => registry.resolveAlias('m', 'champion'),
      () => registry.setAlias('m', 'champion', '1'),
      () => registry.deleteAlias('m', 'champion'),
      () => registry.listAliases(),
      () => registry.setVersionTag('m', '1', 'k', 'v'),
      () => registry.fetchArtefacts('m', '1'),
    ];
    for (const call of calls) await expect(call()).rejects.toEqual(code(RegistryErrorCode.Unreachable));
  });
});
