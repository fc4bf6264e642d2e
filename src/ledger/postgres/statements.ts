/**
 * The store's SQL, qualified with the log's schema. Statements are sent unnamed (no server-side prepared
 * statements), so the store also works behind a transaction-pooling proxy (PgBouncer and managed equivalents).
 */
export function statements(s: string) {
  return {
    size: `SELECT COALESCE(max(idx) + 1, 0)::int8 AS n FROM ${s}.entries`,
    entry: `SELECT idx, leaf_hash, envelope, record_type, recorded_at FROM ${s}.entries WHERE idx = $1`,
    // Keyset pagination: each page starts after the last index seen, so a page costs the same anywhere in the log.
    scanEntries: `SELECT idx, leaf_hash, envelope, record_type, recorded_at FROM ${s}.entries
      WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT $3`,
    scanNodes: `SELECT level, idx, hash FROM ${s}.tree_nodes
      WHERE (level, idx) > ($1, $2) ORDER BY level, idx LIMIT $3`,
    nodes: `SELECT level, idx, hash FROM ${s}.tree_nodes
      WHERE (level, idx) IN (SELECT l, i FROM unnest($1::int2[], $2::int8[]) AS wanted (l, i))`,
    lastEntryFor: `SELECT max(idx) AS idx FROM ${s}.entry_keys WHERE key = $1 AND value = $2`,
    findEntries: `SELECT idx FROM ${s}.entry_keys WHERE key = $1 AND value = $2 ORDER BY idx`,
    // One statement per batch; WITH ORDINALITY keeps the batch's order, which the next-index trigger checks.
    insertEntries: `INSERT INTO ${s}.entries (idx, leaf_hash, envelope, record_type, recorded_at)
      SELECT i, h, e, t, r FROM unnest($1::int8[], $2::bytea[], $3::bytea[], $4::text[], $5::text[])
        WITH ORDINALITY AS batch (i, h, e, t, r, n) ORDER BY n`,
    // A record may name the same key twice (two subjects with one digest); the index row is kept once.
    insertKeys: `INSERT INTO ${s}.entry_keys (key, value, idx)
      SELECT k, v, i FROM unnest($1::text[], $2::text[], $3::int8[]) AS batch (k, v, i)
      ON CONFLICT DO NOTHING`,
    insertNodes: `INSERT INTO ${s}.tree_nodes (level, idx, hash)
      SELECT l, i, h FROM unnest($1::int2[], $2::int8[], $3::bytea[]) WITH ORDINALITY AS batch (l, i, h, n)
        ORDER BY n`,
    insertCheckpoint: `INSERT INTO ${s}.checkpoints (tree_size, root_hash, note, created_at)
      VALUES ($1, $2, $3, $4)`,
    checkpoint: `SELECT tree_size, root_hash, note, created_at FROM ${s}.checkpoints WHERE tree_size = $1`,
    latestCheckpoint: `SELECT tree_size, root_hash, note, created_at FROM ${s}.checkpoints
      ORDER BY tree_size DESC LIMIT 1`,
    checkpoints: `SELECT tree_size, root_hash, note, created_at FROM ${s}.checkpoints ORDER BY tree_size`,
    getMeta: `SELECT value FROM ${s}.log_meta WHERE key = $1`,
    initMeta: `INSERT INTO ${s}.log_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
    schemaVersion: `SELECT COALESCE(max(version), 0)::int4 AS version FROM ${s}.schema_migrations`,
  } as const;
}

export type Statements = ReturnType<typeof statements>;
