import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { type ConformanceFixture, registryConformance } from '../test-support/registry-conformance.js';
import { LOCAL_REGISTRY_FILE, LocalRegistry } from './local-registry.js';

describe('ModelRegistry conformance: local', () => {
  let dir: string;
  let registry: LocalRegistry;
  let fixture: ConformanceFixture;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-local-registry-'));
    const dbPath = join(dir, LOCAL_REGISTRY_FILE);
    registry = LocalRegistry.open(dbPath, { create: true });
    fixture = {
      registry,
      expectedId: 'local',
      async createVersions(model, dirs) {
        await registry.createModel(model).catch((err: unknown) => {
          if (!isDocketError(err, RegistryErrorCode.AlreadyExists)) throw err;
        });
        const versions: string[] = [];
        for (const path of dirs) versions.push((await registry.registerVersion(model, { path })).version);
        return versions;
      },
      async readTag(model, version, key) {
        const db = new Database(dbPath, { readonly: true });
        try {
          const row = db
            .prepare('SELECT value FROM version_tags WHERE model = ? AND version = ? AND key = ?')
            .get(model, Number(version), key) as { value: string } | undefined;
          return row?.value;
        } finally {
          db.close();
        }
      },
    };
  });

  afterAll(async () => {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  });

  registryConformance(() => fixture);
});
