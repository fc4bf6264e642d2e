export { DEFAULT_SCHEMA } from './log-schema.js';
export type { MigratePostgresLogOptions, MigrationResult } from './migrate.js';
export { migratePostgresLog, POSTGRES_SCHEMA_VERSION } from './migrate.js';
export type { PostgresLogStoreOptions } from './postgres-log-store.js';
export { PostgresLogStore } from './postgres-log-store.js';
