import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64, generateSigner } from '../../keys/index.js';
import type { Ledger } from '../../ledger/index.js';
import { signCheckpoint } from '../../ledger/note/index.js';
import { sampleRecord, type TempLedger, tempLedger } from '../../ledger/test-support/temp-ledger.js';
import { startS3Server, type TestS3Server } from '../../test-support/s3-server.js';
import { anchorCheckpoint } from './anchor-checkpoint.js';
import { type Anchor, listAnchors } from './list-anchors.js';
import type { AnchorTarget } from './targets.js';
import { type LedgerWithKey, ledgerWithKey, singles } from './test-support/anchored-ledger.js';
import { verifyAgainstAnchors } from './verify-against-anchors.js';

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

let t: TempLedger;
let dir: string;
let targets: AnchorTarget[];
const rebuilt: LedgerWithKey[] = [];
beforeEach(async () => {
  t = await tempLedger();
  dir = await mkdtemp(join(tmpdir(), 'docket-anchors-'));
  const bucket = await s3.createBucket({ objectLock: true });
  targets = [
    { kind: 'directory', path: dir },
    { kind: 's3', bucket, endpoint: s3.endpoint, credentials: s3.credentials, retentionDays: 1 },
  ];
  for (let i = 0; i < 3; i++) await t.ledger.append([sampleRecord(`honest-${i}`)]);
  const results = await anchorCheckpoint((await t.ledger.latestCheckpoint()).note, targets);
  expect(results.every((result) => result.ok)).toBe(true);
});
afterEach(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
  for (const log of rebuilt.splice(0)) await log.cleanup();
});

async function anchorsOf(ledger: Ledger): Promise<readonly Anchor[]> {
  const { anchors, rejected } = await listAnchors(targets, ledger);
  expect(rejected).toEqual([]);
  expect(anchors).toHaveLength(2);
  return anchors;
}

async function rebuild(batches: readonly (readonly string[])[]): Promise<Ledger> {
  const log = await ledgerWithKey(t.signer, batches);
  rebuilt.push(log);
  return log.ledger;
}

describe('verifyAgainstAnchors', () => {
  it('passes a log that only grew since it was anchored', async () => {
    await t.ledger.append([sampleRecord('later-1'), sampleRecord('later-2')]);
    await t.ledger.append([sampleRecord('later-3')]);
    const report = await verifyAgainstAnchors(t.ledger, await anchorsOf(t.ledger));
    expect(report).toMatchObject({ ok: true, anchorsChecked: 2, findings: [], latest: { size: 6 } });
  });

  it('passes the anchored checkpoint itself (equal sizes, empty proof)', async () => {
    expect((await verifyAgainstAnchors(t.ledger, await anchorsOf(t.ledger))).ok).toBe(true);
  });

  it('names every anchor of a log rebuilt wholesale with the same key and other entries (ROOT_DIFFERS)', async () => {
    const anchors = await anchorsOf(t.ledger);
    const forged = await rebuild(singles('forged-', 5));
    // The rebuilt log is internally consistent and signed by the log's own key: only the anchors expose it.
    const report = await verifyAgainstAnchors(forged, anchors);
    expect(report.ok).toBe(false);
    const root = encodeBase64((await t.ledger.latestCheckpoint()).rootHash);
    expect(report.findings).toEqual(
      anchors.map((anchor) =>
        expect.objectContaining({
          code: 'LOG_REWRITTEN',
          reason: 'ROOT_DIFFERS',
          anchor: { target: anchor.target, location: anchor.location, size: 3, rootHash: root },
        }),
      ),
    );
    expect(report.findings[0]?.message).toContain(
      `log rewritten: the checkpoint anchored at ${anchors[0]?.location}`,
    );
  });

  it('names an anchored size at which the rebuilt log keeps no checkpoint (CHECKPOINT_MISSING)', async () => {
    const anchors = await anchorsOf(t.ledger);
    const forged = await rebuild([['honest-0', 'honest-1', 'honest-2', 'more']]);
    const report = await verifyAgainstAnchors(forged, anchors);
    expect(report.findings.map((f) => f.code === 'LOG_REWRITTEN' && f.reason)).toEqual([
      'CHECKPOINT_MISSING',
      'CHECKPOINT_MISSING',
    ]);
  });

  it('names an anchor larger than the log (BEYOND_LOG)', async () => {
    const anchors = await anchorsOf(t.ledger);
    const forged = await rebuild(singles('honest-', 2));
    const report = await verifyAgainstAnchors(forged, anchors);
    expect(report.findings.map((f) => f.code === 'LOG_REWRITTEN' && f.reason)).toEqual([
      'BEYOND_LOG',
      'BEYOND_LOG',
    ]);
  });

  it('names an anchor the current tree does not extend when stored tree nodes were tampered (INCONSISTENT)', async () => {
    const anchors = await anchorsOf(t.ledger);
    for (let i = 0; i < 5; i++) await t.ledger.append([sampleRecord(`later-${i}`)]);
    // The node over leaves 2..3 enters the proof from size 3 to size 8; it no longer matches the anchored root.
    await t.tamper('UPDATE tree_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 2');
    const report = await verifyAgainstAnchors(t.ledger, anchors);
    expect(report.findings.map((f) => f.code === 'LOG_REWRITTEN' && f.reason)).toEqual([
      'INCONSISTENT',
      'INCONSISTENT',
    ]);
  });

  it('names a kept checkpoint whose note no longer verifies (CHECKPOINT_INVALID)', async () => {
    const anchors = await anchorsOf(t.ledger);
    const forger = generateSigner(t.signer.name);
    const { rootHash } = await t.ledger.latestCheckpoint();
    const forged = signCheckpoint({ origin: t.signer.name, size: 3, rootHash }, forger);
    await t.ledger.append([sampleRecord('later')]);
    await t.tamper('UPDATE checkpoints SET note = ? WHERE tree_size = 3', forged);
    const report = await verifyAgainstAnchors(t.ledger, anchors);
    expect(report.findings.map((f) => f.code === 'LOG_REWRITTEN' && f.reason)).toEqual([
      'CHECKPOINT_INVALID',
      'CHECKPOINT_INVALID',
    ]);
  });

  it('reports a log whose latest checkpoint is gone (LATEST_CHECKPOINT_INVALID)', async () => {
    const anchors = await anchorsOf(t.ledger);
    await t.tamper('DELETE FROM checkpoints');
    const report = await verifyAgainstAnchors(t.ledger, anchors);
    expect(report).toMatchObject({ ok: false, findings: [{ code: 'LATEST_CHECKPOINT_INVALID' }] });
  });

  it('re-checks anchors handed to it and names one not signed by the log (ANCHOR_INVALID)', async () => {
    const [anchor] = await anchorsOf(t.ledger);
    const forger = generateSigner(t.signer.name);
    const note = signCheckpoint({ origin: t.signer.name, size: 3, rootHash: new Uint8Array(32) }, forger);
    const report = await verifyAgainstAnchors(t.ledger, [{ ...(anchor as Anchor), note }]);
    expect(report.findings).toMatchObject([
      { code: 'ANCHOR_INVALID', anchor: { location: anchor?.location } },
    ]);
  });
});
