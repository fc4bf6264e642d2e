import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigner, writeSignerKeyFile } from '../../keys/index.js';
import { startPostgresServer, type TestPostgresServer } from '../../test-support/postgres-server.js';
import { repoRoot } from '../../test-support/shared.js';
import { Ledger } from '../ledger.js';
import { hashLeaf, verifyConsistency } from '../merkle/index.js';
import { openCheckpoint } from '../note/index.js';
import { verifyLog } from '../verify-log.js';
import { PostgresLogStore } from './postgres-log-store.js';
import { migratedDatabase } from './test-support/postgres-log-fixture.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'test-support', 'append-worker.mjs');
const DIST = join(repoRoot, 'dist');
const PROCESSES = 5;
const RECORDS = 40;
const RACES = 6;
const RACE_KEYS = 3;

interface Line {
  worker: number;
  kind: 'appended' | 'conflict' | 'done';
  index: number;
  leafHash: string;
  checkpointSize: number;
  batch: number;
  key?: string;
  after?: number | null;
}

function runWorker(
  config: Record<string, unknown>,
): Promise<{ code: number | null; lines: Line[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Line);
      resolve({ code, lines, stderr });
    });
  });
}

let server: TestPostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('many docket processes appending to one PostgreSQL log', () => {
  it(`${PROCESSES} processes, singles, batches and racing conditional appends: one gapless, verifiable log`, async () => {
    if (!existsSync(join(DIST, 'ledger', 'postgres', 'index.js'))) {
      throw new Error(`${DIST} has no PostgreSQL store: run \`npm run build\` first (scripts/test.sh does)`);
    }
    const db = await migratedDatabase(server);
    const dir = await mkdtemp(join(tmpdir(), 'docket-pg-workers-'));
    const signer = generateSigner('many.docket.local/ledger');
    const keyFile = join(dir, 'ledger.key');
    writeSignerKeyFile(keyFile, signer);
    const store = await PostgresLogStore.open({ connectionString: db.runtimeUrl });
    const ledger = new Ledger({ store, signer });
    try {
      await ledger.initialise();
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, (_, worker) =>
          runWorker({
            dist: DIST,
            url: db.runtimeUrl,
            keyFile,
            worker,
            records: RECORDS,
            races: RACES,
            raceKeys: RACE_KEYS,
          }),
        ),
      );
      for (const run of runs) {
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.lines.at(-1)?.kind).toBe('done');
      }
      const acknowledged = runs.flatMap((r) => r.lines).filter((l) => l.kind === 'appended');
      // The processes really ran at once: their entries interleave, and conditional appends lost races.
      const byIndex = [...acknowledged].sort((a, b) => a.index - b.index);
      const switches = byIndex.filter((l, i) => i > 0 && byIndex[i - 1]?.worker !== l.worker).length;
      expect(switches).toBeGreaterThan(PROCESSES);
      expect(runs.flatMap((r) => r.lines).filter((l) => l.kind === 'conflict').length).toBeGreaterThan(0);

      // Sizes add up; indices 0..n-1, each acknowledged to exactly one process.
      const total = PROCESSES * (RECORDS + RACES);
      expect(acknowledged).toHaveLength(total);
      expect(await store.size()).toBe(total);
      expect(acknowledged.map((l) => l.index).sort((a, b) => a - b)).toEqual(
        Array.from({ length: total }, (_, i) => i),
      );

      // Every acknowledged entry is stored with its exact leaf hash, over the bytes stored.
      for (const line of acknowledged) {
        const stored = await store.entry(line.index);
        expect(Buffer.from(stored?.leafHash ?? []).toString('base64')).toBe(line.leafHash);
        expect(Buffer.from(hashLeaf(stored?.envelope ?? new Uint8Array())).toString('base64')).toBe(
          line.leafHash,
        );
      }

      // A batch is contiguous and its checkpoint ends right after it: nothing interleaved within an append.
      const appends = new Map<string, number[]>();
      for (const line of acknowledged) {
        const id = `${line.worker}/${line.checkpointSize}`;
        appends.set(id, [...(appends.get(id) ?? []), line.index]);
      }
      for (const [id, indices] of appends) {
        const size = Number(id.split('/')[1]);
        expect(indices.sort((a, b) => a - b)).toEqual(indices.map((_, k) => size - indices.length + k));
      }

      // One checkpoint per append, sizes strictly growing, issued in time order, each consistent with the last.
      const checkpoints = await store.checkpoints();
      expect(checkpoints.map((c) => c.size)).toEqual([
        0,
        ...[...new Set(acknowledged.map((l) => l.checkpointSize))].sort((a, b) => a - b),
      ]);
      const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
      for (let i = 1; i < checkpoints.length; i++) {
        const [previous, current] = [checkpoints[i - 1], checkpoints[i]];
        if (previous === undefined || current === undefined) continue;
        expect(current.createdAt >= previous.createdAt).toBe(true);
        if (previous.size === 0) continue;
        const proof = await ledger.proveConsistency(previous.size, current.size);
        const root1 = openCheckpoint(proof.checkpoint1, ledger.verifiers, { origin: ledger.origin }).rootHash;
        const root2 = openCheckpoint(proof.checkpoint2, ledger.verifiers, { origin: ledger.origin }).rootHash;
        verifyConsistency(previous.size, current.size, proof.proof.map(b64), root1, root2);
      }

      // Each raced history is a chain: every entry extended the one before it, so no two won the same head.
      for (let k = 0; k < RACE_KEYS; k++) {
        const key = `race-${k}`;
        const history = await ledger.find('request', key);
        expect(history).toHaveLength(acknowledged.filter((l) => l.key === key).length);
        let head: number | null = null;
        for (const index of history) {
          const entry = await ledger.readEntry(index);
          expect(entry.statement.predicate.after).toBe(head);
          head = index;
        }
      }

      const report = await verifyLog(store, ledger.origin, ledger.verifiers);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, size: total, entriesChecked: total });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
