import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocketError, isDocketError } from '../../errors/index.js';
import { generateSigner, type Signer } from '../../keys/index.js';
import { LedgerErrorCode } from '../errors.js';
import { Ledger } from '../ledger.js';
import { EMPTY_ROOT, hashLeaf, verifyConsistency, verifyInclusion } from '../merkle/index.js';
import { openCheckpoint, signCheckpoint } from '../note/index.js';
import type { LedgerRecord } from '../record.js';
import type { LogStore, TreeNode } from '../store/index.js';
import { nodeKey } from '../store/index.js';
import { verifyLog } from '../verify-log.js';
import { sampleRecord } from './temp-ledger.js';

/** A backend's fresh, empty log and the raw database access the conformance suite needs. */
export interface LogStoreFixture {
  /** The store under test: empty, no origin, no checkpoint. */
  store: LogStore;
  /** Opens a second store on the same log (another connection, as another docket process would). */
  openAnother(): Promise<LogStore>;
  /**
   * Runs one SQL statement (`?` placeholders, portable SQL) as the most privileged role docket's own tooling
   * uses, with every database guard in force. Rejects with the database's error.
   */
  exec(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Runs one SQL statement with the append-only guards removed: an operator with full database access. */
  tamper(sql: string, params?: readonly unknown[]): Promise<void>;
  cleanup(): Promise<void>;
}

const ORIGIN = 'conformance.docket.local/ledger';
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const keyed = (text: string, request: string): LedgerRecord => ({
  ...sampleRecord(text),
  keys: [{ key: 'request', value: request }],
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Stored tree nodes of a log of `size` leaves: every complete subtree, ⌊size / 2^level⌋ at each level. */
function storedNodeCount(size: number): number {
  let count = 0;
  for (let width = 1; width <= size; width *= 2) count += Math.floor(size / width);
  return count;
}

/**
 * The behaviour every {@link LogStore} must show, exercised through {@link Ledger} and {@link verifyLog}: appends
 * and batches at consecutive indices, proofs that verify, atomic transactions, sequencing under concurrent
 * appends, conditional appends that cannot fork a history, the database's own refusal of rewrites and
 * out-of-sequence inserts, and verification that names tampering. Each backend's test file calls it once with a
 * factory giving a fresh, empty log per test (tessera runs one suite against every storage driver the same way).
 *
 * @example
 * describeLogStoreConformance('sqlite', async () => sqliteFixture());
 */
export function describeLogStoreConformance(name: string, makeStore: () => Promise<LogStoreFixture>): void {
  describe(`LogStore conformance: ${name}`, () => {
    let fixture: LogStoreFixture;
    let signer: Signer;
    let ledger: Ledger;
    beforeEach(async () => {
      fixture = await makeStore();
      signer = generateSigner(ORIGIN);
      ledger = new Ledger({ store: fixture.store, signer });
      await ledger.initialise();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    const verify = () => verifyLog(fixture.store, ORIGIN, ledger.verifiers);
    const appendSingles = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await ledger.append([sampleRecord(`r${i}`)]);
    };

    describe('appends and reads', () => {
      it('starts with one signed checkpoint of the empty tree, and initialising again changes nothing', async () => {
        const cp = await ledger.latestCheckpoint();
        expect(cp.size).toBe(0);
        const opened = openCheckpoint(cp.note, ledger.verifiers, { origin: ORIGIN });
        expect(Buffer.from(opened.rootHash).equals(Buffer.from(EMPTY_ROOT))).toBe(true);
        await ledger.initialise();
        expect((await fixture.store.checkpoints()).map((c) => c.size)).toEqual([0]);
        expect(await fixture.store.getMeta('origin')).toBe(ORIGIN);
      });

      it('appends singles and batches at consecutive indices, one checkpoint per append', async () => {
        const first = await ledger.append([sampleRecord('a'), sampleRecord('b')]);
        const second = await ledger.append([sampleRecord('c')]);
        const third = await ledger.append([sampleRecord('d'), sampleRecord('e'), sampleRecord('f')]);
        expect([...first, ...second, ...third].map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(third.map((e) => e.checkpointSize)).toEqual([6, 6, 6]);
        expect((await fixture.store.checkpoints()).map((c) => c.size)).toEqual([0, 2, 3, 6]);
        expect(await fixture.store.size()).toBe(6);
        const decoded = await ledger.readEntry(4);
        expect(decoded.recordType).toBe('artefact');
        expect(decoded.statement.predicateType).toBe('urn:docket:record:artefact:v1');
      });

      it('keeps every entry byte for byte, with its leaf hash, type and time', async () => {
        const appended = await ledger.append([sampleRecord('x'), sampleRecord('y')]);
        for (const entry of appended) {
          const stored = await fixture.store.entry(entry.index);
          expect(stored?.index).toBe(entry.index);
          expect(Buffer.from(stored?.leafHash ?? []).toString('base64')).toBe(entry.leafHash);
          expect(Buffer.from(hashLeaf(stored?.envelope ?? new Uint8Array())).toString('base64')).toBe(
            entry.leafHash,
          );
          expect(stored?.recordType).toBe('artefact');
          expect(stored?.recordedAt).toBe(entry.recordedAt);
        }
        expect(await fixture.store.entry(2)).toBeUndefined();
      });

      it('proves inclusion of every entry and consistency between every pair of kept checkpoints', async () => {
        await appendSingles(5);
        await ledger.append([sampleRecord('b1'), sampleRecord('b2'), sampleRecord('b3')]);
        await appendSingles(3);
        const sizes = (await fixture.store.checkpoints()).map((c) => c.size);
        expect(sizes.at(-1)).toBe(11);
        for (const size of sizes.filter((s) => s > 0)) {
          for (let index = 0; index < size; index++) {
            const p = await ledger.proveInclusion(index, size);
            const cp = openCheckpoint(p.checkpoint, ledger.verifiers, { origin: ORIGIN });
            verifyInclusion(b64(p.leafHash), index, size, p.proof.map(b64), cp.rootHash);
          }
        }
        for (const size1 of sizes.filter((s) => s > 0)) {
          for (const size2 of sizes.filter((s) => s >= size1)) {
            const p = await ledger.proveConsistency(size1, size2);
            const cp1 = openCheckpoint(p.checkpoint1, ledger.verifiers, { origin: ORIGIN });
            const cp2 = openCheckpoint(p.checkpoint2, ledger.verifiers, { origin: ORIGIN });
            verifyConsistency(size1, size2, p.proof.map(b64), cp1.rootHash, cp2.rootHash);
          }
        }
      });

      it('finds entries by lookup key, in log order', async () => {
        await ledger.append([keyed('a', 'r1'), sampleRecord('b')]);
        await ledger.append([keyed('c', 'r1')]);
        expect(await ledger.find('request', 'r1')).toEqual([0, 2]);
        expect(await ledger.find('type', 'artefact')).toEqual([0, 1, 2]);
        expect(await ledger.find('request', 'none')).toEqual([]);
      });

      it('scans entry ranges and every stored node exactly once, in order', async () => {
        await appendSingles(4);
        await ledger.append(Array.from({ length: 9 }, (_, i) => sampleRecord(`batch${i}`)));
        const size = await fixture.store.size();
        expect(size).toBe(13);
        expect((await collect(fixture.store.scanEntries(0, size))).map((e) => e.index)).toEqual(
          Array.from({ length: 13 }, (_, i) => i),
        );
        expect((await collect(fixture.store.scanEntries(5, 9))).map((e) => e.index)).toEqual([5, 6, 7, 8]);
        expect(await collect(fixture.store.scanEntries(13, 20))).toEqual([]);
        const nodes: TreeNode[] = await collect(fixture.store.scanNodes());
        expect(nodes).toHaveLength(storedNodeCount(13));
        const keys = nodes.map((n) => nodeKey(n.id));
        expect(new Set(keys).size).toBe(keys.length);
        const sorted = [...nodes].sort((a, b) => a.id.level - b.id.level || a.id.index - b.id.index);
        expect(nodes.map((n) => nodeKey(n.id))).toEqual(sorted.map((n) => nodeKey(n.id)));
        const fetched = await fixture.store.nodes(nodes.map((n) => n.id));
        for (const node of nodes) {
          expect(Buffer.from(fetched.get(nodeKey(node.id)) ?? []).equals(Buffer.from(node.hash))).toBe(true);
        }
        expect((await fixture.store.nodes([{ level: 0, index: 99 }])).size).toBe(0);
      });

      it('sets log meta once: the same value again is accepted, another refused', async () => {
        await fixture.store.initMeta('created', '2026-01-01');
        await fixture.store.initMeta('created', '2026-01-01');
        await expect(fixture.store.initMeta('created', '2027-01-01')).rejects.toMatchObject({
          code: LedgerErrorCode.Append,
        });
        expect(await fixture.store.getMeta('created')).toBe('2026-01-01');
        expect(await fixture.store.getMeta('absent')).toBeUndefined();
      });

      it('is the same log from another connection, and survives closing', async () => {
        await ledger.append([sampleRecord('a'), sampleRecord('b')]);
        const other = await fixture.openAnother();
        try {
          expect(await other.size()).toBe(2);
          const again = new Ledger({ store: other, signer });
          await again.append([sampleRecord('c')]);
          expect(await fixture.store.size()).toBe(3);
          expect((await verifyLog(other, ORIGIN, ledger.verifiers)).ok).toBe(true);
        } finally {
          await other.close();
        }
      });
    });

    describe('transactions and sequencing', () => {
      it('writes nothing when the append transaction fails midway', async () => {
        await ledger.append([sampleRecord('kept')]);
        const coded = new DocketError('ERR_TEST_ABORT', 'stop here');
        await expect(
          fixture.store.appendTransaction(async (tx) => {
            const size = await tx.size();
            await tx.insertEntries(size, [
              {
                leafHash: hashLeaf(new Uint8Array([1])),
                envelope: new Uint8Array([1]),
                recordType: 'artefact',
                recordedAt: 'now',
                keys: [{ key: 'k', value: 'v' }],
              },
            ]);
            expect(await tx.size()).toBe(size + 1);
            expect(await tx.lastEntryFor('k', 'v')).toBe(size);
            throw coded;
          }),
        ).rejects.toBe(coded);
        expect(await fixture.store.size()).toBe(1);
        expect(await fixture.store.findEntries('k', 'v')).toEqual([]);
        expect((await verify()).ok).toBe(true);
      });

      it('codes a failure that is not its own as ERR_LEDGER_APPEND, with the cause', async () => {
        const boom = new TypeError('boom');
        const err = await fixture.store
          .appendTransaction(async () => {
            throw boom;
          })
          .catch((e: unknown) => e);
        expect(err).toMatchObject({ code: LedgerErrorCode.Append, cause: boom });
        await ledger.append([sampleRecord('after')]);
        expect(await fixture.store.size()).toBe(1);
      });

      // Two ledgers over one store: on a pooled backend each append runs on its own connection, so this races in
      // the database itself; many processes on one log are each backend's own test.
      it('sequences concurrent appends without gaps, duplicates or forks', async () => {
        const second = new Ledger({ store: fixture.store, signer });
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            (i % 2 === 0 ? ledger : second).append(
              Array.from({ length: 1 + (i % 3) }, (_, j) => sampleRecord(`c${i}-${j}`)),
            ),
          ),
        );
        const indices = results.flat().map((e) => e.index);
        const total = indices.length;
        expect([...indices].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
        for (const batch of results) {
          const batchIndices = batch.map((e) => e.index);
          expect(batchIndices).toEqual(batchIndices.map((_, k) => (batchIndices[0] ?? 0) + k));
        }
        const sizes = (await fixture.store.checkpoints()).map((c) => c.size);
        expect(sizes).toEqual([0, ...results.map((b) => b[0]?.checkpointSize ?? -1).sort((a, b) => a - b)]);
        const report = await verify();
        expect(report.problems).toEqual([]);
        expect(report.entriesChecked).toBe(total);
      });

      it('lets exactly one of several racing conditional appends extend a history', async () => {
        const expectHead = (index: number | null) => ({ expectHead: { key: 'request', value: 'r1', index } });
        const [opened] = await ledger.append([keyed('open', 'r1')], expectHead(null));
        const second = new Ledger({ store: fixture.store, signer });
        const racers = await Promise.allSettled(
          [ledger, second, ledger, second].map((l, i) =>
            l.append([keyed(`decide-${i}`, 'r1')], expectHead(opened?.index ?? -1)),
          ),
        );
        expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const lost of racers.filter((r) => r.status === 'rejected')) {
          expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: LedgerErrorCode.Conflict });
        }
        expect(await ledger.find('request', 'r1')).toHaveLength(2);
        expect(await fixture.store.size()).toBe(2);
      });
    });

    describe('the database refuses rewrites', () => {
      beforeEach(async () => {
        await ledger.append([sampleRecord('a'), sampleRecord('b')]);
      });

      it.each([
        ['UPDATE entries SET record_type = ? WHERE idx = 0', ['policy']],
        ['DELETE FROM entries WHERE idx = 1', []],
        ['UPDATE tree_nodes SET hash = ? WHERE level = 0 AND idx = 0', [Buffer.alloc(32)]],
        ['DELETE FROM tree_nodes', []],
        ['DELETE FROM checkpoints WHERE tree_size = 2', []],
        ['UPDATE checkpoints SET note = ? WHERE tree_size = 2', ['x']],
        ['UPDATE log_meta SET value = ? WHERE key = ?', ['evil', 'origin']],
        ['DELETE FROM entry_keys', []],
      ])('%s', async (sql, params) => {
        await expect(fixture.exec(sql, params)).rejects.toThrow(/append-only/);
        expect((await verify()).ok).toBe(true);
      });

      it('refuses an entry at any index but the next one (no gaps, no forks)', async () => {
        const insert = (idx: number) =>
          fixture.exec(
            'INSERT INTO entries (idx, leaf_hash, envelope, record_type, recorded_at) VALUES (?, ?, ?, ?, ?)',
            [idx, Buffer.alloc(32), Buffer.from([0]), 'artefact', 'now'],
          );
        await expect(insert(5)).rejects.toThrow(/next index/);
        await expect(insert(1)).rejects.toThrow();
        await expect(insert(2)).resolves.toBeUndefined();
        expect(await fixture.store.size()).toBe(3);
      });

      it('refuses a checkpoint beyond the log or older than the latest', async () => {
        const insert = (size: number) =>
          fixture.exec(
            'INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)',
            [size, Buffer.alloc(32), 'n', 'now'],
          );
        await expect(insert(3)).rejects.toThrow(/cover the current log/);
        await expect(insert(1)).rejects.toThrow(/cover the current log/);
      });
    });

    describe('verification names tampering', () => {
      beforeEach(async () => {
        await appendSingles(6);
      });

      it('passes the untouched log, checking every entry, node and checkpoint', async () => {
        const report = await verify();
        expect(report.problems).toEqual([]);
        expect(report).toMatchObject({ ok: true, entriesChecked: 6, checkpointsChecked: 7 });
        expect(report.nodesChecked).toBe(storedNodeCount(6));
      });

      it('an entry one of whose bytes changed', async () => {
        const bytes = Buffer.from((await fixture.store.entry(3))?.envelope ?? []);
        bytes[40] = (bytes[40] ?? 0) ^ 0x01;
        await fixture.tamper('UPDATE entries SET envelope = ? WHERE idx = 3', [bytes]);
        const report = await verify();
        expect(report.problems).toContainEqual(expect.objectContaining({ code: 'ENTRY_CORRUPT', index: 3 }));
        expect(report.problems.some((p) => p.code === 'CHECKPOINT_ROOT')).toBe(true);
      });

      it('a stored tree hash that changed', async () => {
        await fixture.tamper('UPDATE tree_nodes SET hash = ? WHERE level = 1 AND idx = 1', [
          Buffer.alloc(32),
        ]);
        expect((await verify()).problems).toContainEqual(
          expect.objectContaining({ code: 'NODE_MISMATCH', node: { level: 1, index: 1 } }),
        );
      });

      it('a checkpoint re-signed over a root that is not the tree', async () => {
        const forged = signCheckpoint({ origin: ORIGIN, size: 5, rootHash: new Uint8Array(32) }, signer);
        await fixture.tamper('UPDATE checkpoints SET note = ? WHERE tree_size = 5', [forged]);
        expect((await verify()).problems).toContainEqual(
          expect.objectContaining({ code: 'CHECKPOINT_MISMATCH', treeSize: 5 }),
        );
      });

      it('a deleted last entry and a gap in the middle', async () => {
        await fixture.tamper('DELETE FROM entries WHERE idx = 5');
        await fixture.tamper('DELETE FROM entries WHERE idx = 2');
        const problems = (await verify()).problems;
        expect(problems).toContainEqual(
          expect.objectContaining({ code: 'CHECKPOINT_BEYOND_LOG', treeSize: 6 }),
        );
        expect(problems).toContainEqual(expect.objectContaining({ code: 'ENTRY_MISSING', index: 2 }));
      });

      it('entries appended behind docket’s back, outside any checkpoint', async () => {
        const e = await fixture.store.entry(0);
        await fixture.tamper(
          'INSERT INTO entries (idx, leaf_hash, envelope, record_type, recorded_at) VALUES (?, ?, ?, ?, ?)',
          [6, Buffer.from(e?.leafHash ?? []), Buffer.from(e?.envelope ?? []), e?.recordType, e?.recordedAt],
        );
        expect((await verify()).problems).toContainEqual(
          expect.objectContaining({ code: 'UNCOVERED_ENTRIES' }),
        );
      });
    });
  });
}

/** Narrows a rejection to its DocketError code, for tests that compare codes. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (err: unknown) => (isDocketError(err) ? err.code : 'uncoded'),
  );
}
