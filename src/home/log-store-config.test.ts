import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type TestPostgresServer } from '../test-support/postgres-server.js';
import { initHome, openHome } from './home.js';
import { parseLogStoreConfig } from './log-store-config.js';

const fail = (why: string): never => {
  throw new Error(why);
};

describe('parseLogStoreConfig', () => {
  it('accepts SQLite, and PostgreSQL by URL or by the name of a variable holding it', () => {
    expect(parseLogStoreConfig({ kind: 'sqlite', path: 'ledger.db' }, fail)).toEqual({
      kind: 'sqlite',
      path: 'ledger.db',
    });
    const url = 'postgres://docket@db.internal:5432/ledger?sslmode=verify-full';
    expect(parseLogStoreConfig({ kind: 'postgres', url, poolSize: 20, schema: 'log_2026' }, fail)).toEqual({
      kind: 'postgres',
      url,
      poolSize: 20,
      schema: 'log_2026',
    });
    expect(parseLogStoreConfig({ kind: 'postgres', urlEnv: 'DOCKET_PG_URL', migrate: true }, fail)).toEqual({
      kind: 'postgres',
      urlEnv: 'DOCKET_PG_URL',
      migrate: true,
    });
  });

  it.each([
    [{ kind: 'mysql', url: 'x' }, /kind must be/],
    [{ kind: 'postgres', url: 'postgres://docket:hunter2@db/ledger' }, /carries a password/],
    [{ kind: 'postgres', url: 'postgres://db/ledger?password=hunter2' }, /carries a password/],
    [{ kind: 'postgres', url: 'http://db/ledger' }, /postgres:\/\//],
    [{ kind: 'postgres' }, /exactly one of url and urlEnv/],
    [{ kind: 'postgres', url: 'postgres://db/l', urlEnv: 'X' }, /exactly one of url and urlEnv/],
    [{ kind: 'postgres', url: 'postgres://db/l', poolSize: 0 }, /positive integer/],
    [{ kind: 'postgres', url: 'postgres://db/l', path: 'ledger.db' }, /unknown field log.store.path/],
    [{ kind: 'sqlite', path: 'ledger.db', url: 'postgres://db/l' }, /unknown field log.store.url/],
    [{ kind: 'postgres', url: 'postgres://db/l', migrate: 'yes' }, /true or false/],
  ])('refuses %j', (value, why) => {
    expect(() => parseLogStoreConfig(value, fail)).toThrow(why);
  });
});

describe('a docket home on PostgreSQL', () => {
  let server: TestPostgresServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgresServer();
    dir = await mkdtemp(join(tmpdir(), 'docket-pg-home-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('initialises and reopens a home whose log is in PostgreSQL, the URL read from the environment', async () => {
    const db = await server.createDatabase();
    process.env.DOCKET_TEST_PG_URL = db.ownerUrl;
    try {
      const home = join(dir, 'home');
      const config = await initHome(home, {
        origin: 'pg-home.docket.local/ledger',
        store: { kind: 'postgres', urlEnv: 'DOCKET_TEST_PG_URL', migrate: true },
      });
      expect(config.log.store).toEqual({ kind: 'postgres', urlEnv: 'DOCKET_TEST_PG_URL', migrate: true });
      const docket = await openHome(home);
      try {
        expect(docket.ledger.store.backend).toBe('postgres');
        expect((await docket.ledger.latestCheckpoint()).size).toBe(0);
      } finally {
        await docket.close();
      }
      delete process.env.DOCKET_TEST_PG_URL;
      await expect(openHome(home)).rejects.toMatchObject({ code: 'ERR_HOME_CONFIG_INVALID' });
    } finally {
      delete process.env.DOCKET_TEST_PG_URL;
    }
  });
});
