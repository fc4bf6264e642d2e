import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { EMPTY_ROOT, verifyConsistency, verifyInclusion } from './merkle/index.js';
import { openCheckpoint } from './note/index.js';
import { sampleRecord, type TempLedger, tempLedger } from './test-support/temp-ledger.js';

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

describe('Ledger', () => {
  let t: TempLedger;
  beforeEach(async () => {
    t = await tempLedger();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('starts with a signed checkpoint of the empty tree', async () => {
    const cp = await t.ledger.latestCheckpoint();
    expect(cp.size).toBe(0);
    const opened = openCheckpoint(cp.note, t.ledger.verifiers, { origin: t.signer.name });
    expect(Buffer.from(opened.rootHash).equals(Buffer.from(EMPTY_ROOT))).toBe(true);
  });

  it('appends records at consecutive indices, each append under a new signed checkpoint', async () => {
    const first = await t.ledger.append([sampleRecord('a'), sampleRecord('b')]);
    const second = await t.ledger.append([sampleRecord('c')]);
    expect(first.map((e) => e.index)).toEqual([0, 1]);
    expect(second.map((e) => e.index)).toEqual([2]);
    expect(first[0]?.checkpointSize).toBe(2);
    expect((await t.store.checkpoints()).map((c) => c.size)).toEqual([0, 2, 3]);
    const entry = await t.ledger.readEntry(1);
    expect(entry.recordType).toBe('artefact');
    expect(entry.statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(entry.statement.predicateType).toBe('urn:docket:record:artefact:v1');
    expect(entry.keyId).toBe(t.signer.keyIdHex);
  });

  it('proves inclusion of every entry and consistency between every pair of kept checkpoints', async () => {
    for (let i = 0; i < 13; i++) await t.ledger.append([sampleRecord(`r${i}`)]);
    const sizes = (await t.store.checkpoints()).map((c) => c.size);
    for (const size of sizes.filter((s) => s > 0)) {
      for (let index = 0; index < size; index++) {
        const p = await t.ledger.proveInclusion(index, size);
        const cp = openCheckpoint(p.checkpoint, t.ledger.verifiers, { origin: t.signer.name });
        expect(cp.size).toBe(size);
        verifyInclusion(b64(p.leafHash), index, size, p.proof.map(b64), cp.rootHash);
      }
    }
    for (const size1 of sizes) {
      for (const size2 of sizes.filter((s) => s >= size1)) {
        const p = await t.ledger.proveConsistency(size1, size2);
        const cp1 = openCheckpoint(p.checkpoint1, t.ledger.verifiers, { origin: t.signer.name });
        const cp2 = openCheckpoint(p.checkpoint2, t.ledger.verifiers, { origin: t.signer.name });
        if (size1 > 0) verifyConsistency(size1, size2, p.proof.map(b64), cp1.rootHash, cp2.rootHash);
      }
    }
  });

  it('appends nothing when one record of a batch is invalid', async () => {
    await t.ledger.append([sampleRecord('ok')]);
    const bad = { ...sampleRecord('bad'), subject: [{ name: 'x', digest: 'sha256:XYZ' }] };
    await expect(t.ledger.append([sampleRecord('fine'), bad])).rejects.toMatchObject({
      code: 'ERR_LEDGER_RECORD_INVALID',
    });
    expect(await t.ledger.size()).toBe(1);
    expect((await t.ledger.latestCheckpoint()).size).toBe(1);
  });

  it('refuses a predicate that tries to set recordedAt itself', async () => {
    const record = { ...sampleRecord('x'), predicate: { recordedAt: '1999-01-01T00:00:00Z' } };
    await expect(t.ledger.append([record])).rejects.toMatchObject({ code: 'ERR_LEDGER_RECORD_INVALID' });
  });

  it('finds entries by record type, subject digest and extra keys', async () => {
    const [a] = await t.ledger.append([
      { ...sampleRecord('a'), keys: [{ key: 'model-version', value: 'm/1' }] },
    ]);
    await t.ledger.append([sampleRecord('b')]);
    expect(await t.ledger.find('type', 'artefact')).toEqual([0, 1]);
    expect(await t.ledger.find('model-version', 'm/1')).toEqual([a?.index]);
    expect(await t.ledger.find('subject', sampleRecord('b').subject[0]?.digest ?? '')).toEqual([1]);
  });

  it('gives coded errors for indices and sizes it cannot prove', async () => {
    await t.ledger.append([sampleRecord('a')]);
    const codes = async (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'resolved',
        (err: unknown) => (isDocketError(err) ? err.code : 'uncoded'),
      );
    expect(await codes(t.ledger.proveInclusion(1))).toBe('ERR_LEDGER_OUT_OF_RANGE');
    expect(await codes(t.ledger.proveInclusion(-1))).toBe('ERR_LEDGER_OUT_OF_RANGE');
    expect(await codes(t.ledger.proveInclusion(0.5))).toBe('ERR_LEDGER_OUT_OF_RANGE');
    expect(await codes(t.ledger.proveInclusion(0, 7))).toBe('ERR_LEDGER_CHECKPOINT_NOT_FOUND');
    expect(await codes(t.ledger.proveConsistency(2, 1))).toBe('ERR_LEDGER_CHECKPOINT_NOT_FOUND');
    expect(await codes(t.ledger.readEntry(5))).toBe('ERR_LEDGER_ENTRY_NOT_FOUND');
  });

  it('refuses to append with a key that is not the log origin key', async () => {
    const other = await tempLedger('other.docket.local/ledger');
    try {
      const { Ledger } = await import('./ledger.js');
      const foreign = new Ledger({ store: t.store, signer: other.signer });
      await expect(foreign.append([sampleRecord('x')])).rejects.toMatchObject({ code: 'ERR_LEDGER_OPEN' });
      expect(await t.ledger.size()).toBe(0);
    } finally {
      await other.cleanup();
    }
  });

  it('chains a record to an earlier one of the same batch through prev', async () => {
    await t.ledger.append([sampleRecord('x')]);
    const [open, next] = await t.ledger.append([sampleRecord('a'), { ...sampleRecord('b'), chainTo: 0 }]);
    expect(next?.statement.predicate).toMatchObject({
      prev: { index: open?.index, leafHash: open?.leafHash },
    });
    await expect(t.ledger.append([{ ...sampleRecord('c'), chainTo: 0 }])).rejects.toMatchObject({
      code: 'ERR_LEDGER_RECORD_INVALID',
    });
  });

  it('appends conditionally on the head of a history, so two writers cannot fork it', async () => {
    const keyed = (s: string) => ({ ...sampleRecord(s), keys: [{ key: 'request', value: 'r1' }] });
    const expectHead = (index: number | null) => ({ expectHead: { key: 'request', value: 'r1', index } });
    const [first] = await t.ledger.append([keyed('open')], expectHead(null));
    const racers = await Promise.allSettled([
      t.ledger.append([keyed('decide-1')], expectHead(first?.index ?? -1)),
      t.ledger.append([keyed('decide-2')], expectHead(first?.index ?? -1)),
    ]);
    expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = racers.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'ERR_LEDGER_CONFLICT' });
    expect(await t.ledger.find('request', 'r1')).toHaveLength(2);
  });
});
