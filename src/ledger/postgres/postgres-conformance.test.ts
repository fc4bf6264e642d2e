import { afterAll, beforeAll } from 'vitest';
import { startPostgresServer, type TestPostgresServer } from '../../test-support/postgres-server.js';
import { describeLogStoreConformance } from '../test-support/log-store-conformance.js';
import { postgresLogFixture } from './test-support/postgres-log-fixture.js';

let server: TestPostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

// A page of 3 rows makes every scan in the suite cross page boundaries (keyset pagination).
describeLogStoreConformance('postgres', () => postgresLogFixture(server, { scanBatchSize: 3 }));
