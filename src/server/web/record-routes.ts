import type { FastifyInstance } from 'fastify';
import {
  type ApprovalRequest,
  getRequest,
  modelVersionKey,
  REQUEST_RECORD,
} from '../../approvals/requests/index.js';
import { listAnchors } from '../../audit/anchor/index.js';
import { isDocketError } from '../../errors/index.js';
import { verifyInclusion } from '../../ledger/merkle/index.js';
import { type AnchorStatus, auditPage, logPage, type ProvenEntry } from './views/record-views.js';
import { requireSession, sendPage, type WebContext } from './web-context.js';

const MAX_REQUESTS_SHOWN = 50;

/**
 * The audit page of a model version (until the audit module lands: its requests' histories, each entry with an
 * inclusion proof verified against the latest checkpoint) and the log status page.
 */
export function registerRecordPages(app: FastifyInstance, web: WebContext): void {
  const { ledger } = web.services.approvals;
  const ctx = web.services.approvals;

  app.get('/audit/:registry/:model/:version', async (request, reply) => {
    const session = requireSession(web, request);
    const p = request.params as { registry: string; model: string; version: string };
    const key = modelVersionKey(p);
    const checkpoint = await ledger.latestCheckpoint();
    const ids: string[] = [];
    for (const index of await ledger.find('model-version', key)) {
      const entry = await ledger.readEntry(index);
      const id = entry.statement.predicate.requestId;
      if (entry.recordType === REQUEST_RECORD.request && typeof id === 'string' && !ids.includes(id))
        ids.push(id);
    }
    const requests: { request: ApprovalRequest; entries: ProvenEntry[] }[] = [];
    for (const id of ids.slice(-MAX_REQUESTS_SHOWN)) {
      const found = await getRequest(ctx, id);
      const entries: ProvenEntry[] = [];
      for (const e of found.entries) {
        const proof = await ledger.proveInclusion(e.index, checkpoint.size);
        entries.push({
          index: e.index,
          type: e.type,
          recordedAt: e.recordedAt,
          leafHash: proof.leafHash,
          proof: proof.proof,
          treeSize: proof.treeSize,
          verified: verifies(proof.leafHash, e.index, proof.treeSize, proof.proof, checkpoint.rootHash),
        });
      }
      requests.push({ request: found, entries });
    }
    return sendPage(reply, auditPage({ session, modelVersion: key, requests, checkpoint }));
  });

  app.get('/log', async (request, reply) => {
    const session = requireSession(web, request);
    const checkpoint = await ledger.latestCheckpoint();
    const targets = web.services.anchors ?? [];
    let anchors: AnchorStatus;
    if (targets.length === 0) {
      anchors = { kind: 'none-configured' };
    } else {
      try {
        const listing = await listAnchors(targets, ledger);
        const last = listing.anchors.at(-1);
        anchors = {
          kind: 'listed',
          targets: targets.length,
          rejected: listing.rejected.length,
          ...(last === undefined
            ? {}
            : { last: { target: last.target, location: last.location, size: last.checkpoint.size } }),
        };
      } catch (err) {
        if (!isDocketError(err)) throw err;
        anchors = { kind: 'unreadable', code: err.code, message: err.message };
      }
    }
    return sendPage(
      reply,
      logPage({ session, origin: ledger.origin, verifierKey: ledger.verifierKey, checkpoint, anchors }),
    );
  });
}

// RFC 9162 §2.1.3.2, checked here rather than trusted: the page says "verified" only when the proof leads to the root.
function verifies(
  leafHash: string,
  index: number,
  size: number,
  proof: readonly string[],
  root: Uint8Array,
): boolean {
  try {
    verifyInclusion(
      Buffer.from(leafHash, 'base64'),
      index,
      size,
      proof.map((h) => Buffer.from(h, 'base64')),
      root,
    );
    return true;
  } catch {
    return false;
  }
}
