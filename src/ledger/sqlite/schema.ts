/**
 * Versioned migrations for the SQLite log store. Each runs once, in order, inside a transaction;
 * `PRAGMA user_version` records how far the database has come.
 *
 * Append-only is enforced by the database: triggers refuse UPDATE and DELETE on every log table, and an
 * insert into `entries` must take exactly the next index, so no code path (ours or an operator's ad-hoc SQL)
 * can leave a gap, a fork or a rewrite without dropping the triggers first, which verification then exposes.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE log_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE entries (
    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
    envelope BLOB NOT NULL,
    record_type TEXT NOT NULL,
    recorded_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tree_nodes (
    level INTEGER NOT NULL CHECK (level >= 0),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE checkpoints (
    tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 0),
    root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE entry_keys (
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    idx INTEGER NOT NULL REFERENCES entries(idx),
    PRIMARY KEY (key, value, idx)
  ) STRICT, WITHOUT ROWID;

  CREATE TRIGGER entries_next_index BEFORE INSERT ON entries
  WHEN NEW.idx <> (SELECT COALESCE(MAX(idx) + 1, 0) FROM entries)
  BEGIN SELECT RAISE(ABORT, 'docket: entries must be appended at the next index'); END;

  CREATE TRIGGER checkpoints_grow BEFORE INSERT ON checkpoints
  WHEN NEW.tree_size > (SELECT COALESCE(MAX(idx) + 1, 0) FROM entries)
    OR NEW.tree_size < (SELECT COALESCE(MAX(tree_size), 0) FROM checkpoints)
  BEGIN SELECT RAISE(ABORT, 'docket: a checkpoint must cover the current log'); END;
  ` +
    ['log_meta', 'entries', 'tree_nodes', 'checkpoints', 'entry_keys']
      .map(
        (table) => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, 'docket: ${table} is append-only'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, 'docket: ${table} is append-only'); END;`,
      )
      .join('\n'),
];
