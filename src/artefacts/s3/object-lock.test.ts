import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type TestS3Server } from '../../test-support/s3-server.js';

// The S3 backend and the checkpoint anchors rely on the server refusing to delete a version under COMPLIANCE
// retention; this shows that it does, before anything relies on it. (versitygw accepts a COMPLIANCE retention
// shortened to an earlier future date, which AWS refuses; nothing here claims otherwise.)
describe('the test S3 server (versitygw) enforces Object Lock', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('refuses to DELETE an object version under COMPLIANCE retention (403 AccessDenied)', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const client = s3.client();
    const retainUntil = new Date(Date.now() + 24 * 3600_000);
    const { VersionId } = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'locked.txt',
        Body: 'evidence',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: retainUntil,
      }),
    );
    expect(VersionId).toBeTruthy();
    const retention = await client.send(
      new GetObjectRetentionCommand({ Bucket: bucket, Key: 'locked.txt', VersionId }),
    );
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');

    const refusal = await client
      .send(new DeleteObjectCommand({ Bucket: bucket, Key: 'locked.txt', VersionId }))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refusal).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

    // A DELETE without a version only stacks a delete marker; the locked version is still there, byte for byte.
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'locked.txt' }));
    const kept = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'locked.txt', VersionId }));
    expect(await kept.Body?.transformToString()).toBe('evidence');
  });

  it('lets an unlocked version be deleted (the refusal above is the lock, not the server)', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const client = s3.client();
    const { VersionId } = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'free.txt', Body: 'x' }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'free.txt', VersionId }));
    await expect(
      client.send(new GetObjectCommand({ Bucket: bucket, Key: 'free.txt', VersionId })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});

describe('startS3Server without the binary', () => {
  it('fails, naming the setup script', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'docket-no-cache-'));
    const saved = process.env.DOCKET_CACHE;
    process.env.DOCKET_CACHE = empty;
    try {
      await expect(startS3Server()).rejects.toThrow(
        /versitygw is not installed .*bash scripts\/setup\/s3\.sh/,
      );
    } finally {
      if (saved === undefined) delete process.env.DOCKET_CACHE;
      else process.env.DOCKET_CACHE = saved;
      await rm(empty, { recursive: true, force: true });
    }
  });
});
