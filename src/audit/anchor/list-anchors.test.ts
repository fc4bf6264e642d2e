import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSigner } from '../../keys/index.js';
import { MAX_NOTE_BYTES, signCheckpoint } from '../../ledger/note/index.js';
import { sampleRecord, type TempLedger, tempLedger } from '../../ledger/test-support/temp-ledger.js';
import { startS3Server, type TestS3Server } from '../../test-support/s3-server.js';
import { anchorCheckpoint } from './anchor-checkpoint.js';
import { listAnchors } from './list-anchors.js';
import type { S3AnchorTarget } from './targets.js';

const SEGMENT = 'test.docket.local%2Fledger';

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

let t: TempLedger;
let dir: string;
beforeEach(async () => {
  t = await tempLedger();
  dir = await mkdtemp(join(tmpdir(), 'docket-anchors-'));
});
afterEach(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const s3Target = (bucket: string, extra: Partial<S3AnchorTarget> = {}): S3AnchorTarget => ({
  kind: 's3',
  bucket,
  endpoint: s3.endpoint,
  credentials: s3.credentials,
  retentionDays: 1,
  ...extra,
});

async function anchorNow(targets: Parameters<typeof anchorCheckpoint>[1]): Promise<string> {
  const { note } = await t.ledger.latestCheckpoint();
  const results = await anchorCheckpoint(note, targets);
  expect(results.every((result) => result.ok)).toBe(true);
  return note;
}

describe('listAnchors', () => {
  it('reads back every anchor of the log from a directory and a bucket, verified and sorted by size', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const targets = [{ kind: 'directory', path: dir } as const, s3Target(bucket)];
    await t.ledger.append([sampleRecord('a')]);
    const first = await anchorNow(targets);
    await t.ledger.append([sampleRecord('b'), sampleRecord('c')]);
    const second = await anchorNow(targets);
    const { anchors, rejected } = await listAnchors(targets, t.ledger);
    expect(rejected).toEqual([]);
    expect(anchors.map((anchor) => [anchor.checkpoint.size, anchor.target, anchor.note])).toEqual([
      [1, `dir:${dir}`, first],
      [1, `s3://${bucket}/`, first],
      [3, `dir:${dir}`, second],
      [3, `s3://${bucket}/`, second],
    ]);
    expect(anchors[0]?.location).toBe(join(dir, SEGMENT, '1.checkpoint'));
  });

  it('rejects, one by one, files at anchor names that are not valid anchors of this log', async () => {
    await t.ledger.append([sampleRecord('a'), sampleRecord('b')]);
    const good = await anchorNow([{ kind: 'directory', path: dir }]);
    const here = join(dir, SEGMENT);
    const forger = generateSigner(t.signer.name);
    const { rootHash } = await t.ledger.latestCheckpoint();
    await writeFile(join(here, '5.checkpoint'), 'garbage');
    await writeFile(
      join(here, '7.checkpoint'),
      signCheckpoint({ origin: t.signer.name, size: 7, rootHash }, forger),
    );
    await writeFile(join(here, '9.checkpoint'), good);
    await symlink(join(here, '2.checkpoint'), join(here, '11.checkpoint'));
    await writeFile(join(here, '13.checkpoint'), Buffer.alloc(MAX_NOTE_BYTES + 1, 0x61));
    await writeFile(join(here, 'README'), 'not an anchor name: ignored');
    await writeFile(join(here, '.2.checkpoint.0f.tmp'), 'a temporary: ignored');
    const { anchors, rejected } = await listAnchors([{ kind: 'directory', path: dir }], t.ledger);
    expect(anchors.map((anchor) => anchor.location)).toEqual([join(here, '2.checkpoint')]);
    expect(rejected.map((r) => [r.location.slice(here.length + 1), r.error.code])).toEqual([
      ['11.checkpoint', 'ERR_ANCHOR_INVALID'],
      ['13.checkpoint', 'ERR_ANCHOR_INVALID'],
      ['5.checkpoint', 'ERR_ANCHOR_INVALID'],
      ['7.checkpoint', 'ERR_ANCHOR_INVALID'],
      ['9.checkpoint', 'ERR_ANCHOR_INVALID'],
    ]);
    expect(rejected.find((r) => r.location.endsWith('/7.checkpoint'))?.error.cause).toMatchObject({
      code: 'ERR_NOTE_UNVERIFIED',
    });
    expect(rejected.find((r) => r.location.endsWith('/9.checkpoint'))?.error.message).toMatch(
      /named for tree size 9 but holds a checkpoint of size 2/,
    );
  });

  it("does not read another log's anchors, even signed by a key of the same name in its directory", async () => {
    await t.ledger.append([sampleRecord('a')]);
    await anchorNow([{ kind: 'directory', path: dir }]);
    const other = await tempLedger('other.docket.local/ledger');
    try {
      await other.ledger.append([sampleRecord('x')]);
      const { note } = await other.ledger.latestCheckpoint();
      await anchorCheckpoint(note, [{ kind: 'directory', path: dir }]);
      await writeFile(join(dir, SEGMENT, '1.checkpoint.other'), note);
      await mkdir(join(dir, SEGMENT, '3.checkpoint'));
      const { anchors, rejected } = await listAnchors([{ kind: 'directory', path: dir }], t.ledger);
      expect(anchors.map((anchor) => anchor.checkpoint.origin)).toEqual([t.signer.name]);
      expect(rejected.map((r) => r.location)).toEqual([join(dir, SEGMENT, '3.checkpoint')]);
    } finally {
      await other.cleanup();
    }
  });

  it('keeps reading a locked S3 anchor after another version or a delete marker is stacked over it', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    await t.ledger.append([sampleRecord('a')]);
    const note = await anchorNow([s3Target(bucket)]);
    const client = s3.client();
    const key = `${SEGMENT}/1.checkpoint`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'overwritten' }));
    let listing = await listAnchors([s3Target(bucket)], t.ledger);
    expect(listing.anchors.map((anchor) => anchor.note)).toEqual([note]);
    expect(listing.rejected.map((r) => r.error.code)).toEqual(['ERR_ANCHOR_INVALID']);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    listing = await listAnchors([s3Target(bucket)], t.ledger);
    expect(listing.anchors.map((anchor) => anchor.note)).toEqual([note]);
  });

  it('fails as a whole when a target cannot be read', async () => {
    await expect(
      listAnchors([{ kind: 'directory', path: join(dir, 'typo') }], t.ledger),
    ).rejects.toMatchObject({
      code: 'ERR_ANCHOR_TARGET_MISSING',
    });
    await expect(listAnchors([s3Target('docket-no-such-bucket')], t.ledger)).rejects.toMatchObject({
      code: 'ERR_ANCHOR_TARGET_MISSING',
    });
    const unreachable = s3Target('docket-anchors', { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    await expect(listAnchors([unreachable], t.ledger)).rejects.toMatchObject({
      code: 'ERR_ANCHOR_UNREACHABLE',
    });
  });

  it('finds nothing for a log never anchored there', async () => {
    expect(await listAnchors([{ kind: 'directory', path: dir }], t.ledger)).toEqual({
      anchors: [],
      rejected: [],
    });
  });
});
