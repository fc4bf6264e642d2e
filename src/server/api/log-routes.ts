import type { FastifyInstance } from 'fastify';
import { listAnchors } from '../../audit/anchor/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { DocketServices } from '../server-options.js';
import { authenticate } from './bearer.js';
import { invalidParameter, optionalCount, parseCount } from './params.js';

const MAX_ENTRIES_PER_PAGE = 100;

/**
 * The log: its status, the latest signed checkpoint (C2SP signed note, text/plain), entries (authenticated: they
 * name people), and RFC 9162 inclusion and consistency proofs against kept checkpoints. Checkpoints and proofs are
 * hashes and signatures only, so they are public, as a transparency log's are.
 */
export function registerLogRoutes(app: FastifyInstance, services: DocketServices): void {
  const { ledger, identity } = services.approvals;

  app.get('/api/v1/log', async () => {
    const checkpoint = await ledger.latestCheckpoint();
    return {
      origin: ledger.origin,
      size: checkpoint.size,
      verifierKey: ledger.verifierKey,
      checkpoint: checkpoint.note,
      checkpointCreatedAt: checkpoint.createdAt,
    };
  });

  app.get('/api/v1/log/checkpoint', async (_request, reply) => {
    const checkpoint = await ledger.latestCheckpoint();
    return reply.header('content-type', 'text/plain; charset=utf-8').send(checkpoint.note);
  });

  app.get('/api/v1/log/entries', async (request) => {
    await authenticate(request, identity);
    const q = request.query as Record<string, unknown>;
    const start = optionalCount(q.start, 'start') ?? 0;
    const limit = optionalCount(q.limit, 'limit') ?? MAX_ENTRIES_PER_PAGE;
    if (limit === 0 || limit > MAX_ENTRIES_PER_PAGE)
      invalidParameter('limit', `must be 1-${MAX_ENTRIES_PER_PAGE}`);
    const size = await ledger.size();
    const entries = [];
    for (let index = start; index < Math.min(size, start + limit); index++)
      entries.push(await entryJson(ledger, index));
    return { size, start, entries };
  });

  app.get('/api/v1/log/entries/:index', async (request) => {
    await authenticate(request, identity);
    return entryJson(ledger, parseCount((request.params as { index: string }).index, 'index'));
  });

  app.get('/api/v1/log/proofs/inclusion', async (request) => {
    const q = request.query as Record<string, unknown>;
    return ledger.proveInclusion(parseCount(q.index, 'index'), optionalCount(q.treeSize, 'treeSize'));
  });

  app.get('/api/v1/log/proofs/consistency', async (request) => {
    const q = request.query as Record<string, unknown>;
    return ledger.proveConsistency(parseCount(q.size1, 'size1'), optionalCount(q.size2, 'size2'));
  });

  app.get('/api/v1/log/anchors', async (request) => {
    await authenticate(request, identity);
    const { anchors, rejected } = await listAnchors(services.anchors ?? [], ledger);
    return {
      anchors: anchors.map((a) => ({
        target: a.target,
        location: a.location,
        size: a.checkpoint.size,
        note: a.note,
      })),
      rejected: rejected.map((r) => ({ target: r.target, location: r.location, error: r.error.toJSON() })),
    };
  });
}

/** An entry as the API returns it: decoded and checked, with the DSSE envelope exactly as stored (base64). */
async function entryJson(ledger: Ledger, index: number) {
  const decoded = await ledger.readEntry(index);
  const stored = await ledger.store.entry(index);
  return {
    index: decoded.index,
    leafHash: decoded.leafHash,
    recordType: decoded.recordType,
    recordedAt: decoded.recordedAt,
    keyId: decoded.keyId,
    statement: decoded.statement,
    envelope: stored === undefined ? null : Buffer.from(stored.envelope).toString('base64'),
  };
}
