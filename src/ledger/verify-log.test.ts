import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigner } from '../keys/index.js';
import { signCheckpoint } from './note/index.js';
import { sampleRecord, type TempLedger, tempLedger } from './test-support/temp-ledger.js';
import { verifyLog } from './verify-log.js';

describe('verifyLog', () => {
  let t: TempLedger;
  beforeEach(async () => {
    t = await tempLedger();
    for (let i = 0; i < 6; i++) await t.ledger.append([sampleRecord(`r${i}`)]);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const verify = async () => verifyLog(t.store, t.signer.name, t.ledger.verifiers);

  it('passes an untouched log, checking every entry, node and checkpoint', async () => {
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entriesChecked).toBe(6);
    expect(report.checkpointsChecked).toBe(7);
    expect(report.nodesChecked).toBe(6 + 3 + 1);
  });

  it('names an entry one of whose stored bytes changed', async () => {
    const entry = await t.store.entry(3);
    const bytes = Buffer.from(entry?.envelope ?? []);
    bytes[40] = (bytes[40] ?? 0) ^ 0x01;
    await t.tamper('UPDATE entries SET envelope = ? WHERE idx = 3', bytes);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'ENTRY_CORRUPT', index: 3 }));
    expect(report.problems.some((p) => p.code === 'CHECKPOINT_ROOT')).toBe(true);
  });

  it('names an entry re-signed by another key even when its leaf hash was rewritten to match', async () => {
    const { Ledger } = await import('./ledger.js');
    const { hashLeaf } = await import('./merkle/index.js');
    const forger = generateSigner(t.signer.name);
    const other = await tempLedger(t.signer.name);
    try {
      const forged = new Ledger({ store: other.store, signer: forger });
      await forged.append([sampleRecord('forged')]);
      const envelope = (await other.store.entry(0))?.envelope ?? new Uint8Array();
      await t.tamper(
        'UPDATE entries SET envelope = ?, leaf_hash = ? WHERE idx = 2',
        envelope,
        hashLeaf(envelope),
      );
      const report = await verify();
      expect(report.problems).toContainEqual(expect.objectContaining({ code: 'ENTRY_CORRUPT', index: 2 }));
    } finally {
      await other.cleanup();
    }
  });

  it('names a stored tree hash that changed', async () => {
    await t.tamper('UPDATE tree_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 1');
    const report = await verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'NODE_MISMATCH', node: { level: 1, index: 1 } }),
    );
  });

  it('names a checkpoint whose note changed by one byte', async () => {
    const cp = await t.store.checkpoint(4);
    const note = `${cp?.note.slice(0, -3)}A${cp?.note.slice(-2)}`;
    await t.tamper(
      'UPDATE checkpoints SET note = ? WHERE tree_size = 4',
      note === cp?.note ? `${note}x` : note,
    );
    const report = await verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'CHECKPOINT_SIGNATURE', treeSize: 4 }),
    );
  });

  it('names a checkpoint re-signed over a root that is not the tree', async () => {
    const forged = signCheckpoint({ origin: t.signer.name, size: 5, rootHash: new Uint8Array(32) }, t.signer);
    await t.tamper('UPDATE checkpoints SET note = ? WHERE tree_size = 5', forged);
    const report = await verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'CHECKPOINT_MISMATCH', treeSize: 5 }),
    );
  });

  it('names a deleted entry', async () => {
    await t.tamper('DELETE FROM entries WHERE idx = 5');
    const report = await verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'CHECKPOINT_BEYOND_LOG', treeSize: 6 }),
    );
  });

  it('names a gap in the middle of the log', async () => {
    await t.tamper('DELETE FROM entries WHERE idx = 2');
    const report = await verify();
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'ENTRY_MISSING', index: 2 }));
  });

  it('names two swapped entries', async () => {
    const e1 = await t.store.entry(1);
    const e2 = await t.store.entry(2);
    await t.tamper(
      'UPDATE entries SET envelope = CASE idx WHEN 1 THEN ? ELSE ? END, leaf_hash = CASE idx WHEN 1 THEN ? ELSE ? END WHERE idx IN (1, 2)',
      e2?.envelope,
      e1?.envelope,
      e2?.leafHash,
      e1?.leafHash,
    );
    const report = await verify();
    expect(report.problems.filter((p) => p.code === 'CHECKPOINT_ROOT').length).toBeGreaterThan(0);
    expect(report.problems.some((p) => p.code === 'NODE_MISMATCH')).toBe(true);
  });

  it('names entries appended behind docket’s back, outside any checkpoint', async () => {
    const e = await t.store.entry(0);
    await t.tamper(
      'INSERT INTO entries (idx, leaf_hash, envelope, record_type, recorded_at) VALUES (6, ?, ?, ?, ?)',
      e?.leafHash,
      e?.envelope,
      e?.recordType,
      e?.recordedAt,
    );
    const report = await verify();
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'UNCOVERED_ENTRIES' }));
  });
});
