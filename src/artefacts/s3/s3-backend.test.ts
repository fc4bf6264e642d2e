import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../digest/index.js';
import { startS3Server, type TestS3Server } from '../../test-support/s3-server.js';
import { ArtefactStore } from '../artefact-store.js';
import type { BackendEntry } from '../backend.js';
import { describeBackendConformance } from '../test-support/backend-conformance.js';
import { S3ArtefactBackend } from './s3-backend.js';

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

const connection = (bucket: string) => ({
  bucket,
  endpoint: s3.endpoint,
  region: s3.region,
  credentials: s3.credentials,
});

async function openBackend(options: { objectLock: boolean; prefix?: string; retentionDays?: number }) {
  const bucket = await s3.createBucket({ objectLock: options.objectLock });
  const backend = await S3ArtefactBackend.open({
    ...connection(bucket),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.retentionDays === undefined ? {} : { retention: { days: options.retentionDays } }),
  });
  return { bucket, backend };
}

describeBackendConformance('s3 (versitygw, Object Lock bucket, COMPLIANCE retention, prefix)', async () => {
  const { backend } = await openBackend({ objectLock: true, prefix: 'docket/', retentionDays: 1 });
  return { backend, cleanup: async () => backend.close() };
});

describeBackendConformance('s3 (versitygw, plain unversioned bucket)', async () => {
  const { backend } = await openBackend({ objectLock: false });
  return { backend, cleanup: async () => backend.close() };
});

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('S3ArtefactBackend in its bucket', () => {
  it('commits at <prefix>blobs/sha256/<hex> under COMPLIANCE retention, which refuses to delete it', async () => {
    const { bucket, backend } = await openBackend({
      objectLock: true,
      prefix: 'evidence/',
      retentionDays: 1,
    });
    const bytes = new TextEncoder().encode('abc');
    const digest = sha256Digest(bytes);
    await (await backend.writeTemp(once(bytes))).commit(digest);
    const key = 'evidence/blobs/sha256/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const client = s3.client();
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(3);
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: head.VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    backend.close();
  });

  it('streams a blob larger than a part through a multipart upload and a ranged server-side copy', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const backend = await S3ArtefactBackend.open({
      ...connection(bucket),
      partSizeBytes: 5 * 1024 * 1024,
      copyPartBytes: 5 * 1024 * 1024,
      retention: { days: 1 },
    });
    const store = new ArtefactStore(backend);
    const bytes = randomBytes(12 * 1024 * 1024 + 5);
    const put = await store.putBytes(bytes);
    expect(put).toMatchObject({ digest: sha256Digest(bytes), size: bytes.length, created: true });
    expect(Buffer.from(await store.readVerified(put.digest, bytes.length)).equals(bytes)).toBe(true);
    expect((await store.putBytes(bytes)).created).toBe(false);
    expect((await collect(backend.scan())).map((entry) => entry.kind)).toEqual(['blob']);
    backend.close();
  });

  it('aborts a started multipart upload when the source fails, leaving nothing behind', async () => {
    const bucket = await s3.createBucket({ objectLock: true });
    const backend = await S3ArtefactBackend.open({ ...connection(bucket), partSizeBytes: 5 * 1024 * 1024 });
    const failure = new Error('source broke after the first part');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(6 * 1024 * 1024);
      yield randomBytes(1024);
      throw failure;
    }
    await expect(backend.writeTemp(failing())).rejects.toBe(failure);
    expect(await collect(backend.scan())).toEqual([]);
    const uploads = await s3.client().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    backend.close();
  });

  it('never replaces an existing object under a digest, even one whose bytes are wrong', async () => {
    const { bucket, backend } = await openBackend({ objectLock: false });
    const bytes = randomBytes(100);
    const digest = sha256Digest(bytes);
    const key = `blobs/sha256/${digest.slice('sha256:'.length)}`;
    await s3.client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'planted' }));
    expect(await (await backend.writeTemp(once(bytes))).commit(digest)).toEqual({ created: false });
    expect(await backend.size(digest)).toBe('planted'.length);
    await expect(new ArtefactStore(backend).readVerified(digest, 1000)).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_CORRUPT',
    });
    backend.close();
  });

  it('reports objects that fit no name as misnamed, and ignores them when listing', async () => {
    const { bucket, backend } = await openBackend({ objectLock: false });
    const digest = (await new ArtefactStore(backend).putBytes(new Uint8Array([7]))).digest;
    const client = s3.client();
    for (const key of ['README', 'blobs/sha256/ABC', `blobs/sha256/${'0'.repeat(63)}`, 'tmp/a/b']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    }
    const entries: BackendEntry[] = await collect(backend.scan());
    expect(entries.filter((entry) => entry.kind === 'misnamed').map((entry) => entry.name)).toEqual([
      'README',
      `blobs/sha256/${'0'.repeat(63)}`,
      'blobs/sha256/ABC',
      'tmp/a/b',
    ]);
    expect(await collect(backend.list())).toEqual([digest]);
    await expect(backend.removeTemp('a/b')).rejects.toMatchObject({ code: 'ERR_ARTEFACT_INVALID_ARGUMENT' });
    backend.close();
  });
});

describe('S3ArtefactBackend.open', () => {
  it('refuses a bucket that does not exist', async () => {
    await expect(S3ArtefactBackend.open(connection('docket-no-such-bucket'))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_S3_BUCKET_MISSING',
    });
  });

  it('refuses retention on a bucket without Object Lock', async () => {
    const bucket = await s3.createBucket();
    await expect(
      S3ArtefactBackend.open({ ...connection(bucket), retention: { days: 1 } }),
    ).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_S3_OBJECT_LOCK_DISABLED',
    });
  });

  it('refuses credentials the service does not know, and a wrong secret', async () => {
    const bucket = await s3.createBucket();
    const unknownKey = { accessKeyId: 'docketnobody', secretAccessKey: 'x'.repeat(32) };
    await expect(
      S3ArtefactBackend.open({ ...connection(bucket), credentials: unknownKey }),
    ).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_S3_ACCESS_DENIED',
    });
    const wrongSecret = { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'x'.repeat(32) };
    const failure = await S3ArtefactBackend.open({ ...connection(bucket), credentials: wrongSecret }).catch(
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({
      code: 'ERR_ARTEFACT_S3_ACCESS_DENIED',
      details: { bucket, status: 403 },
    });
    expect((failure as Error).cause).toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it.each([
    ['bucket', { bucket: 'Not_A_Bucket' }],
    ['prefix', { bucket: 'fine', prefix: 'no-trailing-slash' }],
    ['prefix', { bucket: 'fine', prefix: '../' }],
    ['retention.days', { bucket: 'fine', retention: { days: 0 } }],
    ['partSizeBytes', { bucket: 'fine', partSizeBytes: 1024 }],
    ['idleTimeoutMs', { bucket: 'fine', idleTimeoutMs: -1 }],
  ])('refuses unusable options (%s) before any request', async (field, options) => {
    await expect(S3ArtefactBackend.open(options)).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_S3_CONFIG_INVALID',
      details: { field },
    });
  });
});

describe('S3ArtefactBackend when S3 is unavailable', () => {
  it('gives UNREACHABLE when nothing listens', async () => {
    const closed = await listenThen((server) => server.close());
    const started = Date.now();
    await expect(
      S3ArtefactBackend.open({
        ...connection('docket-any'),
        endpoint: `http://127.0.0.1:${closed}`,
        maxAttempts: 2,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ARTEFACT_S3_UNREACHABLE', details: { s3Code: 'ECONNREFUSED' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gives UNREACHABLE, not a hang, when the service accepts connections and never answers', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    const port = await new Promise<number>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    try {
      const started = Date.now();
      await expect(
        S3ArtefactBackend.open({
          ...connection('docket-any'),
          endpoint: `http://127.0.0.1:${port}`,
          idleTimeoutMs: 300,
          maxAttempts: 1,
        }),
      ).rejects.toMatchObject({ code: 'ERR_ARTEFACT_S3_UNREACHABLE', details: { s3Code: 'TimeoutError' } });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('gives UNREACHABLE from a backend whose service went away after it was opened', async () => {
    const server = await startS3Server();
    const bucket = await server.createBucket();
    const backend = await S3ArtefactBackend.open({
      bucket,
      endpoint: server.endpoint,
      credentials: server.credentials,
      maxAttempts: 1,
      connectTimeoutMs: 1000,
    });
    await server.stop();
    const digest = sha256Digest(new Uint8Array([1]));
    await expect(backend.exists(digest)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_S3_UNREACHABLE' });
    await expect(backend.openRead(digest)).rejects.toMatchObject({ code: 'ERR_ARTEFACT_S3_UNREACHABLE' });
    await expect(backend.writeTemp(once(new Uint8Array([1])))).rejects.toMatchObject({
      code: 'ERR_ARTEFACT_S3_UNREACHABLE',
    });
    await expect(collect(backend.list())).rejects.toMatchObject({ code: 'ERR_ARTEFACT_S3_UNREACHABLE' });
    backend.close();
  });
});

async function listenThen(after: (server: Server) => void): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  after(server);
  return port;
}
