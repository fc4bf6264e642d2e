import { escapeIdentifier } from 'pg';

/** One versioned migration; `sql` gets the quoted schema name (every object is schema-qualified). */
export interface PostgresMigration {
  version: number;
  name: string;
  sql(schema: string): string;
}

/** The tables of a log, in the order their grants and guards are applied. */
export const LOG_TABLES = ['log_meta', 'entries', 'tree_nodes', 'checkpoints', 'entry_keys'] as const;

/** SQLSTATEs the guards raise (class DK is docket's own), so the store can name what the database refused. */
export const GuardState = {
  AppendOnly: 'DK001',
  OutOfSequence: 'DK002',
  CheckpointNotCurrent: 'DK003',
  NodeBeyondLog: 'DK004',
} as const;

/**
 * The schema_migrations table records which versions ran; it is created before the first migration, outside the
 * numbered list, so that the list itself can be checked against it.
 */
export function bootstrapSql(schema: string): string {
  return `
  CREATE SCHEMA IF NOT EXISTS ${schema};
  CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
    version integer PRIMARY KEY CHECK (version > 0),
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );`;
}

/**
 * Versioned migrations for the PostgreSQL log store, applied in order by `migratePostgresLog` as the role that owns
 * the schema. Never edit one that has shipped: add the next version.
 *
 * Append-only is enforced by the database, for every role including the owner: statement-level triggers refuse
 * UPDATE, DELETE and TRUNCATE on every log table (statement-level, so even a statement matching no row is refused);
 * an entry must take exactly the next index, a checkpoint must cover exactly the current log and grow, and a tree
 * node must lie within the log. The service role additionally holds no UPDATE, DELETE or TRUNCATE grant and owns
 * nothing, so it cannot disable the triggers either. An owner who does is an operator rewriting history, which
 * verification against signed checkpoints exposes.
 */
export const migrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'log tables, append-only and sequencing guards',
    sql: (s) => `
  CREATE TABLE ${s}.log_meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );

  CREATE TABLE ${s}.entries (
    idx bigint PRIMARY KEY CHECK (idx >= 0),
    leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
    envelope bytea NOT NULL,
    record_type text NOT NULL,
    recorded_at text NOT NULL
  );

  CREATE TABLE ${s}.tree_nodes (
    level smallint NOT NULL CHECK (level >= 0 AND level < 63),
    idx bigint NOT NULL CHECK (idx >= 0),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
  );

  CREATE TABLE ${s}.checkpoints (
    tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
    root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
    note text NOT NULL,
    created_at text NOT NULL
  );

  CREATE TABLE ${s}.entry_keys (
    key text NOT NULL,
    value text NOT NULL,
    idx bigint NOT NULL REFERENCES ${s}.entries (idx),
    PRIMARY KEY (key, value, idx)
  );

  CREATE FUNCTION ${s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'docket: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
      USING ERRCODE = '${GuardState.AppendOnly}';
  END $$;

  -- Rows inserted earlier by the same statement are visible here (a volatile trigger function sees the effects of
  -- rows its outer command already processed), so one multi-row insert of a batch is checked row by row.
  CREATE FUNCTION ${s}.entries_next_index() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE expected bigint;
  BEGIN
    SELECT COALESCE(max(idx) + 1, 0) INTO expected FROM ${s}.entries;
    IF NEW.idx <> expected THEN
      RAISE EXCEPTION 'docket: entries must be appended at the next index (got %, next is %)', NEW.idx, expected
        USING ERRCODE = '${GuardState.OutOfSequence}';
    END IF;
    RETURN NEW;
  END $$;

  CREATE FUNCTION ${s}.checkpoints_cover_log() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE current_size bigint; latest bigint;
  BEGIN
    SELECT COALESCE(max(idx) + 1, 0) INTO current_size FROM ${s}.entries;
    SELECT max(tree_size) INTO latest FROM ${s}.checkpoints;
    IF NEW.tree_size <> current_size OR NEW.tree_size <= latest THEN
      RAISE EXCEPTION 'docket: a checkpoint must cover the current log (size %, got %)', current_size, NEW.tree_size
        USING ERRCODE = '${GuardState.CheckpointNotCurrent}';
    END IF;
    RETURN NEW;
  END $$;

  -- RFC 9162 §2.1.1: node (level, idx) hashes leaves [idx * 2^level, (idx + 1) * 2^level), all of which must exist.
  CREATE FUNCTION ${s}.tree_nodes_within_log() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE current_size bigint;
  BEGIN
    SELECT COALESCE(max(idx) + 1, 0) INTO current_size FROM ${s}.entries;
    IF (NEW.idx + 1)::numeric * power(2::numeric, NEW.level) > current_size THEN
      RAISE EXCEPTION 'docket: tree node (%, %) lies beyond the log of size %', NEW.level, NEW.idx, current_size
        USING ERRCODE = '${GuardState.NodeBeyondLog}';
    END IF;
    RETURN NEW;
  END $$;

  CREATE TRIGGER entries_next_index BEFORE INSERT ON ${s}.entries
    FOR EACH ROW EXECUTE FUNCTION ${s}.entries_next_index();
  CREATE TRIGGER checkpoints_cover_log BEFORE INSERT ON ${s}.checkpoints
    FOR EACH ROW EXECUTE FUNCTION ${s}.checkpoints_cover_log();
  CREATE TRIGGER tree_nodes_within_log BEFORE INSERT ON ${s}.tree_nodes
    FOR EACH ROW EXECUTE FUNCTION ${s}.tree_nodes_within_log();
  ${LOG_TABLES.map(
    (table) => `
  CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.${table}
    FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_change();`,
  ).join('')}
  `,
  },
];

/**
 * The service role's grants, reapplied after every migration run (a new table gets its grant, nothing more): read
 * and insert on the log tables, read on schema_migrations, and nothing else. No UPDATE, DELETE or TRUNCATE, no
 * CREATE on the schema, and PUBLIC gets nothing.
 */
export function grantsSql(schema: string, runtimeRole: string): string {
  const role = escapeIdentifier(runtimeRole);
  const tables = LOG_TABLES.map((t) => `${schema}.${t}`).join(', ');
  return `
  REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC;
  REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM PUBLIC, ${role};
  GRANT USAGE ON SCHEMA ${schema} TO ${role};
  GRANT SELECT, INSERT ON ${tables} TO ${role};
  GRANT SELECT ON ${schema}.schema_migrations TO ${role};`;
}
