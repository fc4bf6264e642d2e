import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeLogStoreConformance } from '../test-support/log-store-conformance.js';
import { SqliteLogStore } from './sqlite-log-store.js';

// A second connection to the file plays the database user: it goes through the same triggers as docket does.
function onFile<T>(path: string, use: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    return use(db);
  } finally {
    db.close();
  }
}

describeLogStoreConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'docket-sqlite-conformance-'));
  const path = join(dir, 'ledger.db');
  const store = SqliteLogStore.open(path, { create: true });
  const others: SqliteLogStore[] = [];
  return {
    store,
    async openAnother() {
      const other = SqliteLogStore.open(path);
      others.push(other);
      return other;
    },
    async exec(sql, params = []) {
      onFile(path, (db) => db.prepare(sql).run(...params));
    },
    async tamper(sql, params = []) {
      onFile(path, (db) => {
        db.pragma('foreign_keys = OFF');
        const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
          name: string;
        }[];
        db.transaction(() => {
          for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
          db.prepare(sql).run(...params);
        })();
      });
    },
    async cleanup() {
      await Promise.all([store, ...others].map((s) => s.close().catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
