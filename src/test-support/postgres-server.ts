/**
 * A real, throwaway PostgreSQL cluster for tests: `initdb` into a temporary directory, `pg_ctl start` on a free
 * loopback port with a private socket directory, password (SCRAM) authentication over TCP. Three roles, as a
 * managed deployment has them: the bootstrap superuser (the DBA: creates roles and databases, used by nothing
 * else), `docket_migrator` (owns each test database and the log schema, runs migrations) and `docket` (what the
 * store connects as: SELECT and INSERT only). Start one per test file in `beforeAll`, stop it in `afterAll`.
 *
 * PostgreSQL refuses to run as root; as root the server runs as the `postgres` system user. The binaries come
 * from `scripts/setup/postgres.sh` (run by `scripts/test.sh`); when they are missing, starting fails with a
 * message naming that script, so the tests fail rather than skip.
 *
 * @example
 * const pg = await startPostgresServer();
 * const db = await pg.createDatabase();   // db.ownerUrl, db.runtimeUrl
 * await pg.stop();
 */
import { type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, escapeLiteral } from 'pg';

export const POSTGRES_SETUP_SCRIPT = 'scripts/setup/postgres.sh';

/** A running cluster. */
export interface TestPostgresServer {
  readonly host: string;
  readonly port: number;
  readonly roles: { readonly owner: string; readonly runtime: string };
  /** A connection string for one of the three roles in `database`. */
  url(role: 'admin' | 'owner' | 'runtime', database: string): string;
  /** A fresh, empty database owned by the migration role. */
  createDatabase(): Promise<TestDatabase>;
  /** Stops the cluster and removes its directory. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  readonly name: string;
  /** As the superuser (the DBA): for tests that play an operator beyond docket's roles. */
  readonly adminUrl: string;
  /** As the migration role, which owns the database and the log schema. */
  readonly ownerUrl: string;
  /** As the restricted `docket` role the store connects as. */
  readonly runtimeUrl: string;
}

const ADMIN = 'docket_admin';
const OWNER = 'docket_migrator';
const RUNTIME = 'docket';

/** Where the server binaries are: DOCKET_PG_BIN, else the newest `/usr/lib/postgresql/<major>/bin` (Debian). */
export function postgresBinDir(): string | undefined {
  const complete = (dir: string): boolean =>
    ['initdb', 'pg_ctl', 'postgres'].every((bin) => existsSync(join(dir, bin)));
  const explicit = process.env.DOCKET_PG_BIN;
  if (explicit !== undefined && explicit !== '') return complete(explicit) ? explicit : undefined;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return majors.map((major) => join(base, major, 'bin')).find(complete);
}

/** As root, the uid/gid of the `postgres` system user (PostgreSQL will not run as root); else undefined. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      `running as root and there is no postgres system user: run \`bash ${POSTGRES_SETUP_SCRIPT}\``,
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts a cluster; throws (naming the setup script) when PostgreSQL is not installed. */
export async function startPostgresServer(): Promise<TestPostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed${process.env.DOCKET_PG_BIN ? ` in DOCKET_PG_BIN=${process.env.DOCKET_PG_BIN}` : ''}: run \`bash ${POSTGRES_SETUP_SCRIPT}\` (scripts/test.sh does)`,
    );
  }
  const user = serverUser();
  const dir = await mkdtemp(join(clusterParent(user !== undefined), 'docket-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  const log = join(dir, 'server.log');
  const pwfile = join(dir, 'pwfile');
  const passwords = { admin: secret(), owner: secret(), runtime: secret() };
  await mkdir(sockets, { mode: 0o700 });
  await writeFile(pwfile, `${passwords.admin}\n`, { mode: 0o600 });
  if (user !== undefined) {
    for (const path of [dir, sockets, pwfile]) await chown(path, user.uid, user.gid);
  }
  await chmod(dir, 0o700);
  const run = (command: string, args: string[]): Promise<void> =>
    runAs(join(bin, command), args, { env: { PATH: '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' }, ...user });
  try {
    await run('initdb', [
      '--pgdata',
      data,
      '--username',
      ADMIN,
      '--pwfile',
      pwfile,
      '--auth-host',
      'scram-sha-256',
      '--auth-local',
      'trust',
      '--encoding',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let port: number | undefined;
  let lastError: unknown;
  // A free port found by binding port 0 can be taken before the postmaster binds it; try a few.
  for (let attempt = 0; attempt < 3 && port === undefined; attempt += 1) {
    const candidate = await freePort();
    // Durability settings are off: the cluster is thrown away, and the tests are about logic, not crashes.
    const options = [
      `-p ${candidate}`,
      `-k ${sockets}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      await run('pg_ctl', [
        '--pgdata',
        data,
        '--log',
        log,
        '--wait',
        '--timeout',
        '60',
        '-o',
        options,
        'start',
      ]);
      port = candidate;
    } catch (err) {
      lastError = new Error(`${(err as Error).message}\n${readTail(log)}`, { cause: err });
    }
  }
  if (port === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(lastError as Error)?.message ?? lastError}`, {
      cause: lastError,
    });
  }
  const stopNow = (): void => {
    spawnSync(join(bin, 'pg_ctl'), ['--pgdata', data, '--mode', 'immediate', 'stop'], {
      stdio: 'ignore',
      ...user,
    });
  };
  // A test process that exits without afterAll (a crash, a bail) must not leave a postmaster behind.
  process.once('exit', stopNow);

  const host = '127.0.0.1';
  const url = (role: 'admin' | 'owner' | 'runtime', database: string): string => {
    const name = { admin: ADMIN, owner: OWNER, runtime: RUNTIME }[role];
    return `postgres://${name}:${encodeURIComponent(passwords[role])}@${host}:${port}/${encodeURIComponent(database)}`;
  };
  const admin = new Client({ connectionString: url('admin', 'postgres') });
  await admin.connect();
  // The roles a managed deployment has: a migration role that owns the schema, and the service role.
  await admin.query(
    `CREATE ROLE ${OWNER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${escapeLiteral(passwords.owner)}`,
  );
  await admin.query(
    `CREATE ROLE ${RUNTIME} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${escapeLiteral(passwords.runtime)}`,
  );
  let databases = 0;
  return {
    host,
    port,
    roles: { owner: OWNER, runtime: RUNTIME },
    url,
    async createDatabase() {
      databases += 1;
      const name = `docket_${databases}_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER}`);
      return {
        name,
        adminUrl: url('admin', name),
        ownerUrl: url('owner', name),
        runtimeUrl: url('runtime', name),
      };
    },
    async stop() {
      await admin.end().catch(() => undefined);
      await run('pg_ctl', ['--pgdata', data, '--mode', 'fast', '--wait', 'stop']).catch(() => stopNow());
      process.removeListener('exit', stopNow);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The server user must be able to reach the cluster directory: as root, a TMPDIR under a private home (0700) is
// no good, so fall back to /tmp when any ancestor of the temporary directory is not searchable by others.
function clusterParent(asOtherUser: boolean): string {
  const base = tmpdir();
  if (!asOtherUser) return base;
  for (let dir = base; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    if (dirname(dir) === dir) return base;
  }
}

function secret(): string {
  return randomBytes(18).toString('base64url');
}

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

function runAs(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    // pg_ctl's postmaster keeps the inherited stdout open; read stderr only, and pass --log for the server.
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (stderr.length < 8192) stderr += text;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.at(-1)} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
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
