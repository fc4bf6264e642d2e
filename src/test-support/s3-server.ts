/**
 * A real S3-compatible server for tests: versitygw (posix backend) on 127.0.0.1 with a free port, fresh random
 * root keys, and its data, sidecar metadata and version directories in one temporary directory. It enforces Object
 * Lock: a version under COMPLIANCE retention cannot be deleted (it does accept a retention *shortened* to an
 * earlier future date, so tests claim no more than the DELETE refusal; see SERVICES.md).
 *
 * The binary is built by `scripts/setup/s3.sh` (run by `scripts/test.sh`); when it is missing, starting fails
 * with a message naming that script, so the tests fail rather than skip.
 *
 * @example
 * const s3 = await startS3Server();
 * const bucket = await s3.createBucket({ objectLock: true });
 * const client = s3.client();
 * await s3.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** Where `scripts/setup/s3.sh` puts the binary: `${DOCKET_CACHE:-$HOME/.cache/docket}/bin/versitygw`. */
export function versitygwBinary(): string {
  return join(process.env.DOCKET_CACHE || join(homedir(), '.cache', 'docket'), 'bin', 'versitygw');
}

export const S3_SETUP_SCRIPT = 'scripts/setup/s3.sh';

/** A running test server and what a client needs to reach it. */
export interface TestS3Server {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A client for the server (path-style, no retries beyond the SDK default). */
  client(): S3Client;
  /** Creates a bucket with a fresh random name (Object Lock enabled at creation when asked) and returns its name. */
  createBucket(options?: { objectLock?: boolean; name?: string }): Promise<string>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts versitygw; throws (naming the setup script) when its binary is absent. */
export async function startS3Server(): Promise<TestS3Server> {
  const binary = versitygwBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `versitygw is not installed at ${binary}: run \`bash ${S3_SETUP_SCRIPT}\` (scripts/test.sh does)`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'docket-s3-'));
  const [root, sidecar, versions] = ['data', 'meta', 'versions'].map((name) => join(dir, name)) as [
    string,
    string,
    string,
  ];
  await Promise.all([root, sidecar, versions].map((path) => mkdir(path)));
  const credentials = {
    accessKeyId: `docket${randomBytes(8).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('base64url'),
  };
  const region = 'us-east-1';
  let started: { child: ChildProcess; port: number } | undefined;
  let lastError: unknown;
  // A free port found by binding port 0 can be taken before versitygw binds it; try a few.
  for (let attempt = 0; attempt < 3 && started === undefined; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      binary,
      [
        '--port',
        `127.0.0.1:${port}`,
        '--access',
        credentials.accessKeyId,
        '--secret',
        credentials.secretAccessKey,
        '--region',
        region,
        '--quiet',
        'posix',
        '--sidecar',
        sidecar,
        '--versioning-dir',
        versions,
        root,
      ],
      // A clean environment: versitygw reads ROOT_ACCESS_KEY_ID, VGW_* and the like from it.
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      await waitUntilListening(child, port);
      started = { child, port };
    } catch (err) {
      lastError = err;
      await stopChild(child);
    }
  }
  if (started === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`versitygw did not start: ${(lastError as Error)?.message ?? lastError}`, {
      cause: lastError,
    });
  }
  const { child } = started;
  const endpoint = `http://127.0.0.1:${started.port}`;
  const clients: S3Client[] = [];
  const client = (): S3Client => {
    const made = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
    clients.push(made);
    return made;
  };
  return {
    endpoint,
    region,
    credentials,
    client,
    async createBucket(options = {}) {
      const name = options.name ?? `docket-${randomBytes(6).toString('hex')}`;
      const admin = client();
      await admin.send(
        new CreateBucketCommand({
          Bucket: name,
          ...(options.objectLock === true ? { ObjectLockEnabledForBucket: true } : {}),
        }),
      );
      return name;
    },
    async stop() {
      for (const made of clients) made.destroy();
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Polls a TCP connect until versitygw accepts, failing early (with its stderr) if it exits.
async function waitUntilListening(child: ChildProcess, port: number): Promise<void> {
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    if (stderr.length < 8192) stderr += text;
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  child.once('error', (err) => {
    exited = err.message;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`versitygw ${exited}: ${stderr.trim()}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `versitygw did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`,
  );
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
