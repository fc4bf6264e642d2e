import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleRecord, type TempLedger, tempLedger } from '../../ledger/test-support/temp-ledger.js';
import { startS3Server, type TestS3Server } from '../../test-support/s3-server.js';
import { anchorCheckpoint } from './anchor-checkpoint.js';
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
  await t.ledger.append([sampleRecord('a'), sampleRecord('b')]);
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

describe('anchorCheckpoint to a directory', () => {
  it('writes <origin-segment>/<size>.checkpoint read-only, leaving no temporary behind', async () => {
    const { note } = await t.ledger.latestCheckpoint();
    const results = await anchorCheckpoint(note, [{ kind: 'directory', path: dir }]);
    const location = join(dir, SEGMENT, '2.checkpoint');
    expect(results).toEqual([{ ok: true, target: `dir:${dir}`, location, created: true }]);
    expect(await readFile(location, 'utf8')).toBe(note);
    expect((await lstat(location)).mode & 0o777).toBe(0o444);
    expect(await readdir(join(dir, SEGMENT))).toEqual(['2.checkpoint']);
  });

  it('is a no-op for the same note, and never overwrites a different one of that size', async () => {
    const { note } = await t.ledger.latestCheckpoint();
    const target = { kind: 'directory', path: dir } as const;
    await anchorCheckpoint(note, [target]);
    expect(await anchorCheckpoint(note, [target])).toMatchObject([{ ok: true, created: false }]);

    const other = await tempLedger();
    try {
      await other.ledger.append([sampleRecord('x'), sampleRecord('y')]);
      const [result] = await anchorCheckpoint((await other.ledger.latestCheckpoint()).note, [target]);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'ERR_ANCHOR_CONFLICT', details: { size: 2 } },
      });
    } finally {
      await other.cleanup();
    }
    expect(await readFile(join(dir, SEGMENT, '2.checkpoint'), 'utf8')).toBe(note);
  });

  it('refuses a directory that does not exist, and a relative path', async () => {
    const { note } = await t.ledger.latestCheckpoint();
    expect(await anchorCheckpoint(note, [{ kind: 'directory', path: join(dir, 'typo') }])).toMatchObject([
      { ok: false, error: { code: 'ERR_ANCHOR_TARGET_MISSING' } },
    ]);
    await expect(anchorCheckpoint(note, [{ kind: 'directory', path: 'anchors' }])).rejects.toMatchObject({
      code: 'ERR_ANCHOR_TARGET_INVALID',
    });
  });

  it('refuses what is not a signed checkpoint', async () => {
    for (const note of ['', 'origin\n1\n', 'not a checkpoint\n\n\u2014 k sig\n']) {
      await expect(anchorCheckpoint(note, [{ kind: 'directory', path: dir }])).rejects.toMatchObject({
        code: 'ERR_ANCHOR_CHECKPOINT_INVALID',
      });
    }
  });
});

describe('anchorCheckpoint to S3 with Object Lock', () => {
  it('puts the note under COMPLIANCE retention, which refuses a DELETE of that version', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const { note } = await t.ledger.latestCheckpoint();
    const [result] = await anchorCheckpoint(note, [s3Target(bucket, { prefix: 'anchors/' })]);
    const key = `anchors/${SEGMENT}/2.checkpoint`;
    expect(result).toMatchObject({ ok: true, created: true, target: `s3://${bucket}/anchors/` });
    expect(result?.ok === true && result.location.startsWith(`s3://${bucket}/${key}?versionId=`)).toBe(true);
    const client = s3.client();
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await body.Body?.transformToString()).toBe(note);
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: head.VersionId })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('is a no-op for the same note and refuses a different one of that size', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const { note } = await t.ledger.latestCheckpoint();
    await anchorCheckpoint(note, [s3Target(bucket)]);
    expect(await anchorCheckpoint(note, [s3Target(bucket)])).toMatchObject([{ ok: true, created: false }]);
    const other = await tempLedger();
    try {
      await other.ledger.append([sampleRecord('x'), sampleRecord('y')]);
      expect(
        await anchorCheckpoint((await other.ledger.latestCheckpoint()).note, [s3Target(bucket)]),
      ).toMatchObject([{ ok: false, error: { code: 'ERR_ANCHOR_CONFLICT' } }]);
    } finally {
      await other.cleanup();
    }
  });

  it('refuses a bucket without Object Lock, and a bucket that does not exist', async () => {
    const plain = await s3.createBucket();
    const { note } = await t.ledger.latestCheckpoint();
    expect(await anchorCheckpoint(note, [s3Target(plain), s3Target('docket-no-such-bucket')])).toMatchObject([
      { ok: false, error: { code: 'ERR_ANCHOR_TARGET_INVALID' } },
      { ok: false, error: { code: 'ERR_ANCHOR_TARGET_MISSING' } },
    ]);
  });

  it('anchors to the targets it can reach and says which it could not', async () => {
    const { note } = await t.ledger.latestCheckpoint();
    const unreachable = s3Target('docket-anchors', { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const results = await anchorCheckpoint(note, [{ kind: 'directory', path: dir }, unreachable]);
    expect(results).toMatchObject([
      { ok: true, created: true },
      { ok: false, target: 's3://docket-anchors/', error: { code: 'ERR_ANCHOR_UNREACHABLE' } },
    ]);
  });
});
