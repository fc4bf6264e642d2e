/**
 * Versioned migrations of the local registry (`registry.db` in the docket home). Each runs once, in order, inside a
 * transaction; `PRAGMA user_version` records how far the database has come.
 *
 * The database enforces what the registry promises, whoever writes to it (docket or an operator's ad-hoc SQL):
 * versions are numbered 1, 2, 3… per model and never change; an alias names an existing version; and every alias
 * change, by whatever path, appends a row to `alias_history`, which refuses UPDATE and DELETE. That history is the
 * one thing no real registry keeps (MLflow overwrites aliases silently).
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE models (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE versions (
    model TEXT NOT NULL REFERENCES models(name),
    version INTEGER NOT NULL CHECK (version >= 1),
    location_kind TEXT NOT NULL CHECK (location_kind IN ('directory', 'file', 'artefact-directory', 'artefact-file')),
    location TEXT NOT NULL,
    run_id TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (model, version)
  ) STRICT;

  CREATE TABLE aliases (
    model TEXT NOT NULL REFERENCES models(name),
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES versions(model, version)
  ) STRICT;

  CREATE TABLE alias_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    model TEXT NOT NULL,
    alias TEXT NOT NULL,
    from_version INTEGER,
    to_version INTEGER,
    changed_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX alias_history_by_alias ON alias_history (model, alias, seq);

  CREATE TABLE version_tags (
    model TEXT NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (model, version, key),
    FOREIGN KEY (model, version) REFERENCES versions(model, version)
  ) STRICT;

  CREATE TRIGGER versions_next_number BEFORE INSERT ON versions
  WHEN NEW.version <> (SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE model = NEW.model)
  BEGIN SELECT RAISE(ABORT, 'docket: versions are numbered 1, 2, 3... per model'); END;

  CREATE TRIGGER models_no_update BEFORE UPDATE ON models
  BEGIN SELECT RAISE(ABORT, 'docket: models are immutable'); END;
  CREATE TRIGGER models_no_delete BEFORE DELETE ON models
  BEGIN SELECT RAISE(ABORT, 'docket: models are immutable'); END;
  CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
  BEGIN SELECT RAISE(ABORT, 'docket: versions are immutable'); END;
  CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
  BEGIN SELECT RAISE(ABORT, 'docket: versions are immutable'); END;
  CREATE TRIGGER alias_history_no_update BEFORE UPDATE ON alias_history
  BEGIN SELECT RAISE(ABORT, 'docket: alias_history is append-only'); END;
  CREATE TRIGGER alias_history_no_delete BEFORE DELETE ON alias_history
  BEGIN SELECT RAISE(ABORT, 'docket: alias_history is append-only'); END;

  CREATE TRIGGER aliases_no_rename BEFORE UPDATE OF model, alias ON aliases
  BEGIN SELECT RAISE(ABORT, 'docket: an alias cannot be renamed; delete it and set another'); END;

  CREATE TRIGGER aliases_history_set AFTER INSERT ON aliases
  BEGIN
    INSERT INTO alias_history (model, alias, from_version, to_version, changed_at)
    VALUES (NEW.model, NEW.alias, NULL, NEW.version, NEW.updated_at);
  END;
  CREATE TRIGGER aliases_history_move AFTER UPDATE OF version ON aliases
  WHEN NEW.version <> OLD.version
  BEGIN
    INSERT INTO alias_history (model, alias, from_version, to_version, changed_at)
    VALUES (NEW.model, NEW.alias, OLD.version, NEW.version, NEW.updated_at);
  END;
  CREATE TRIGGER aliases_history_delete AFTER DELETE ON aliases
  BEGIN
    INSERT INTO alias_history (model, alias, from_version, to_version, changed_at)
    VALUES (OLD.model, OLD.alias, OLD.version, NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
  END;
  `,
];
