/**
 * A real MLflow tracking server for tests: `mlflow server` from the venv that `scripts/setup/mlflow.sh` installs,
 * on 127.0.0.1 with a free port, a SQLite backend and the artifact proxy (`--artifacts-destination`) in a temporary
 * directory. Nothing is faked. Start one per test file (it takes 10–20 s on two cores; give `beforeAll` 150 s) and stop
 * it in `afterAll`.
 *
 * @example
 * const mlflow = await startMlflowServer();
 * const { version } = await mlflow.createModelVersion('credit', modelDir);
 * await mlflow.stop();
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { walkDirectory } from '../../digest/index.js';
import { repoRoot } from '../../test-support/shared.js';

/** The setup script a developer or CI must have run. */
export const MLFLOW_SETUP_SCRIPT = 'scripts/setup/mlflow.sh';
const REQUIREMENTS = 'scripts/setup/mlflow-requirements.txt';

/** Where the setup script puts the venv: `${DOCKET_CACHE:-$HOME/.cache/docket}/mlflow-venv`. */
export function mlflowVenv(): string {
  return join(process.env.DOCKET_CACHE ?? join(homedir(), '.cache', 'docket'), 'mlflow-venv');
}

/** The MLflow version pinned in `scripts/setup/mlflow-requirements.txt`. */
export function pinnedMlflowVersion(): string {
  const text = readFileSync(join(repoRoot, REQUIREMENTS), 'utf8');
  const match = /^mlflow==(\S+)/m.exec(text);
  if (match?.[1] === undefined) throw new Error(`${REQUIREMENTS} pins no mlflow==<version>`);
  return match[1];
}

/**
 * The venv's `mlflow` and `python`, checked to be the pinned version. Fails (never skips) with a message naming the
 * setup script, so a machine without MLflow is a red test run, not a silently thinner one.
 */
export async function requireMlflow(): Promise<{ mlflow: string; python: string; version: string }> {
  const venv = mlflowVenv();
  const mlflow = join(venv, 'bin', 'mlflow');
  const python = join(venv, 'bin', 'python');
  const pinned = pinnedMlflowVersion();
  const hint = `run \`bash ${MLFLOW_SETUP_SCRIPT}\` first (it installs mlflow ${pinned} into ${venv})`;
  if (!existsSync(mlflow) || !existsSync(python)) throw new Error(`MLflow is not installed: ${hint}`);
  const { stdout } = await promisify(execFile)(python, [
    '-c',
    'import importlib.metadata as m; print(m.version("mlflow"))',
  ]).catch((err: unknown) => {
    throw new Error(`the MLflow venv is broken (${String(err)}): ${hint}`);
  });
  const version = stdout.trim();
  if (version !== pinned) throw new Error(`mlflow ${version} is installed, ${pinned} is pinned: ${hint}`);
  return { mlflow, python, version };
}

/** A version created by {@link TestMlflowServer.createModelVersion}. */
export interface CreatedVersion {
  readonly version: string;
  readonly runId: string;
  readonly source: string;
}

/** A running MLflow server. */
export interface TestMlflowServer {
  readonly trackingUri: string;
  /** The server's local artifact store (`--artifacts-destination`), to compare downloads with what it holds. */
  readonly artifactsDir: string;
  readonly python: string;
  /** Calls the REST API directly (`/api/2.0/<path>`), for setup and for checking what docket did. */
  api(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Creates the registered model if needed, and a version whose artifacts are `dir`'s files, uploaded through the proxy. */
  createModelVersion(
    model: string,
    dir: string,
    options?: { source?: 'artifact-uri' | 'runs' },
  ): Promise<CreatedVersion>;
  /** Freezes the server's processes (SIGSTOP): it accepts connections and never answers. */
  pause(): void;
  resume(): void;
  /** Stops the process group (SIGTERM, then SIGKILL) and removes the temporary directory. */
  stop(): Promise<void>;
}

/** Starts `mlflow server` and waits for `/health`. */
export async function startMlflowServer(): Promise<TestMlflowServer> {
  const { mlflow, python } = await requireMlflow();
  const dir = await mkdtemp(join(tmpdir(), 'docket-mlflow-'));
  const artifactsDir = join(dir, 'artifacts');
  const port = await freePort();
  const log = openSync(join(dir, 'server.log'), 'a');
  const child = spawn(
    mlflow,
    [
      'server',
      '--backend-store-uri',
      `sqlite:///${join(dir, 'mlflow.db')}`,
      '--artifacts-destination',
      artifactsDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      '1',
    ],
    {
      detached: true, // its own process group, so stop() reaches uvicorn and every worker
      stdio: ['ignore', log, log],
      // The job runner (huey consumers) is not needed for the registry and costs seconds of start-up.
      env: { ...process.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', PYTHONUNBUFFERED: '1' },
    },
  );
  const trackingUri = `http://127.0.0.1:${port}`;
  // If the test process dies without afterAll, take the server's process group with it.
  const orphanGuard = (): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', orphanGuard);
  child.once('exit', () => process.removeListener('exit', orphanGuard));
  const server = makeServer(child, dir, artifactsDir, trackingUri, python);
  try {
    await waitForHealth(trackingUri, child, dir);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

function makeServer(
  child: ChildProcess,
  dir: string,
  artifactsDir: string,
  trackingUri: string,
  python: string,
): TestMlflowServer {
  let experimentId: string | undefined;
  const api: TestMlflowServer['api'] = async (method, path, body) => {
    const response = await fetch(`${trackingUri}/api/2.0/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const ok = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const { status, json } = await api(method, path, body);
    if (status !== 200) throw new Error(`${method} ${path} answered ${status}: ${JSON.stringify(json)}`);
    return json;
  };
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  };
  return {
    trackingUri,
    artifactsDir,
    python,
    api,
    async createModelVersion(model, sourceDir, options = {}) {
      if (experimentId === undefined) {
        const created = await ok('POST', 'mlflow/experiments/create', { name: `docket-tests-${Date.now()}` });
        experimentId = String(created.experiment_id);
      }
      const run = (await ok('POST', 'mlflow/runs/create', { experiment_id: experimentId })) as {
        run: { info: { run_id: string; artifact_uri: string } };
      };
      const { run_id: runId, artifact_uri: artifactUri } = run.run.info;
      const proxyRoot = artifactUri.replace(/^mlflow-artifacts:\//, '');
      for (const file of await walkDirectory(sourceDir)) {
        const path = `${proxyRoot}/model/${file.path}`.split('/').map(encodeURIComponent).join('/');
        const response = await fetch(`${trackingUri}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
          method: 'PUT',
          body: await readFile(file.absolutePath),
        });
        if (response.status !== 200) throw new Error(`uploading ${file.path} answered ${response.status}`);
      }
      const exists = await api('GET', `mlflow/registered-models/get?name=${encodeURIComponent(model)}`);
      if (exists.status === 404) await ok('POST', 'mlflow/registered-models/create', { name: model });
      const source = options.source === 'runs' ? `runs:/${runId}/model` : `${artifactUri}/model`;
      const created = (await ok('POST', 'mlflow/model-versions/create', {
        name: model,
        source,
        run_id: runId,
      })) as {
        model_version: { version: string };
      };
      return { version: created.model_version.version, runId, source };
    },
    pause: () => signalGroup('SIGSTOP'),
    resume: () => signalGroup('SIGCONT'),
    async stop() {
      signalGroup('SIGCONT');
      signalGroup('SIGTERM');
      if (!(await exited(child, 10_000))) {
        signalGroup('SIGKILL');
        await exited(child, 5_000);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(trackingUri: string, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 100_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mlflow server exited during start-up:\n${await logTail(dir)}`);
    }
    try {
      const response = await fetch(`${trackingUri}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`mlflow server did not become healthy within 100 s:\n${await logTail(dir)}`);
}

async function logTail(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '(no log)');
  return text.split('\n').slice(-30).join('\n');
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A port that was free a moment ago (the kernel's choice for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The server-side directory of an artifact URI `mlflow-artifacts:/<path>` (to digest what the server holds). */
export function serverArtifactDir(server: TestMlflowServer, uri: string): string {
  const path = uri.replace(/^mlflow-artifacts:\/+/, '');
  const dir = join(server.artifactsDir, ...path.split('/'));
  if (relative(server.artifactsDir, dir).startsWith('..'))
    throw new Error(`${uri} is outside the artifact store`);
  return dir;
}
