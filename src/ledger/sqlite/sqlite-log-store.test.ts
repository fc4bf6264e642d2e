import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRecord, type TempLedger, tempLedger } from '../test-support/temp-ledger.js';

describe('SqliteLogStore', () => {
  let t: TempLedger;
  beforeEach(async () => {
    t = await tempLedger();
    await t.ledger.append([sampleRecord('a'), sampleRecord('b')]);
    await t.store.close();
  });
  afterEach(async () => {
    await t.reopen();
    await t.cleanup();
  });

  const raw = (): Database.Database => new Database(t.dbPath);

  it.each([
    ['UPDATE entries SET record_type = ? WHERE idx = 0', ['policy']],
    ['DELETE FROM entries WHERE idx = 1', []],
    ['UPDATE tree_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 0', []],
    ['DELETE FROM tree_nodes', []],
    ['DELETE FROM checkpoints WHERE tree_size = 2', []],
    ['UPDATE checkpoints SET note = ? WHERE tree_size = 2', ['x']],
    ['UPDATE log_meta SET value = ? WHERE key = ?', ['evil', 'origin']],
    ['DELETE FROM entry_keys', []],
  ])('the database itself refuses %s', (sql, params) => {
    const db = raw();
    try {
      expect(() => db.prepare(sql).run(...params)).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('refuses an entry at any index but the next one (no gaps, no forks)', () => {
    const db = raw();
    try {
      const insert = db.prepare(
        "INSERT INTO entries (idx, leaf_hash, envelope, record_type, recorded_at) VALUES (?, zeroblob(32), x'00', ?, ?)",
      );
      expect(() => insert.run(5, 'artefact', 'now')).toThrow(/next index/);
      expect(() => insert.run(1, 'artefact', 'now')).toThrow();
      expect(() => insert.run(2, 'artefact', 'now')).not.toThrow();
    } finally {
      db.close();
    }
  });

  it('refuses a checkpoint beyond the log or older than the latest', () => {
    const db = raw();
    try {
      const insert = db.prepare(
        'INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, zeroblob(32), ?, ?)',
      );
      expect(() => insert.run(3, 'n', 'now')).toThrow(/cover the current log/);
      expect(() => insert.run(1, 'n', 'now')).toThrow(/cover the current log/);
    } finally {
      db.close();
    }
  });

  it('keeps the log durable: WAL with synchronous FULL', async () => {
    const ledger = await t.reopen();
    const store = ledger.store as unknown as { db: Database.Database };
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('refuses a database whose schema is newer than this docket', async () => {
    const db = raw();
    db.pragma('user_version = 99');
    db.close();
    const { SqliteLogStore } = await import('./sqlite-log-store.js');
    expect(() => SqliteLogStore.open(t.dbPath)).toThrow(expect.objectContaining({ code: 'ERR_LEDGER_OPEN' }));
    const fix = raw();
    fix.pragma('user_version = 1');
    fix.close();
  });
});
