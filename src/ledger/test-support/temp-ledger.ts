import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sha256Digest } from '../../digest/index.js';
import { generateSigner, type Signer } from '../../keys/index.js';
import { Ledger } from '../ledger.js';
import type { LedgerRecord } from '../record.js';
import { SqliteLogStore } from '../sqlite/index.js';

export interface TempLedger {
  dir: string;
  dbPath: string;
  signer: Signer;
  store: SqliteLogStore;
  ledger: Ledger;
  /** Reopens the store (after raw tampering) and returns a fresh ledger over it. */
  reopen(): Promise<Ledger>;
  /** Runs raw SQL on the database with the append-only triggers dropped: an operator with database access. */
  tamper(sql: string, ...params: unknown[]): Promise<void>;
  cleanup(): Promise<void>;
}

export async function tempLedger(origin = 'test.docket.local/ledger'): Promise<TempLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-ledger-'));
  const dbPath = join(dir, 'ledger.db');
  const signer = generateSigner(origin);
  let store = SqliteLogStore.open(dbPath, { create: true });
  let ledger = new Ledger({ store, signer });
  await ledger.initialise();
  const t: TempLedger = {
    dir,
    dbPath,
    signer,
    get store() {
      return store;
    },
    get ledger() {
      return ledger;
    },
    async reopen() {
      await store.close();
      store = SqliteLogStore.open(dbPath);
      ledger = new Ledger({ store, signer });
      return ledger;
    },
    async tamper(sql, ...params) {
      await store.close();
      const db = new Database(dbPath);
      db.pragma('foreign_keys = OFF');
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
        name: string;
      }[];
      for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
      db.prepare(sql).run(...params);
      db.close();
      store = SqliteLogStore.open(dbPath);
      ledger = new Ledger({ store, signer });
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** A small artefact-like record whose subject is the digest of `text`. */
export function sampleRecord(text: string): LedgerRecord {
  return {
    type: 'artefact',
    subject: [{ name: `${text}.txt`, digest: sha256Digest(new TextEncoder().encode(text)) }],
    predicate: { kind: 'other', name: `${text}.txt`, size: text.length },
  };
}
