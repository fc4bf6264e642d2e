import type { FastifyInstance } from 'fastify';
import type { EvidenceKind } from '../../approvals/policy/index.js';
import {
  EVIDENCE_FIELDS,
  getRequest,
  resolveEvidence,
  viewEvidence,
} from '../../approvals/requests/index.js';
import { DocketError } from '../../errors/index.js';
import type { Ledger } from '../../ledger/index.js';
import { ServerErrorCode } from '../errors.js';
import { evidencePage } from './views/record-views.js';
import { requireSession, sendPage, type WebContext } from './web-context.js';

/**
 * The served bytes run in a frame with no script, no plugins, no forms, an opaque origin (CSP `sandbox`, and the
 * frame's own `sandbox` attribute), and may only be framed by docket's own pages.
 */
export const EVIDENCE_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'";

const LABELS: Record<EvidenceKind, string> = {
  comparison: 'Challenger comparison',
  explanation: 'Explanation',
  'training-dataset': 'Training dataset',
  'evaluation-dataset': 'Evaluation dataset',
  'change-manifest': 'Change manifest',
};

// Types a browser renders inline without plugins; anything else is shown as text when it is UTF-8.
const INLINE_TYPES = new Set([
  'text/html',
  'text/plain',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

function evidenceKind(value: string): EvidenceKind {
  if (!Object.hasOwn(EVIDENCE_FIELDS, value)) {
    throw new DocketError(
      ServerErrorCode.RouteNotFound,
      `${JSON.stringify(value.slice(0, 40))} is not an evidence kind`,
    );
  }
  return value as EvidenceKind;
}

/** The media type an artefact was registered with (its latest `artefact` record), if any. */
async function registeredMediaType(ledger: Ledger, digest: string): Promise<string | undefined> {
  const indices = await ledger.find('subject', digest);
  for (const index of indices.reverse()) {
    const entry = await ledger.readEntry(index);
    const mediaType = (entry.statement.predicate as { mediaType?: unknown }).mediaType;
    if (entry.recordType === 'artefact' && typeof mediaType === 'string') return mediaType;
  }
  return undefined;
}

/** How the frame shows the bytes: never anything a browser would run or hand to a plugin. */
function displayType(registered: string | undefined, bytes: Uint8Array): string {
  const base = registered?.split(';')[0]?.trim().toLowerCase();
  if (base !== undefined && INLINE_TYPES.has(base))
    return base.startsWith('text/') ? `${base}; charset=utf-8` : base;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'text/plain; charset=utf-8';
  } catch {
    return 'application/octet-stream';
  }
}

/** The evidence viewer page and the frame content it loads (which records the view receipt). */
export function registerEvidenceRoutes(app: FastifyInstance, web: WebContext): void {
  const ctx = web.services.approvals;

  app.get('/requests/:id/evidence/:kind', async (request, reply) => {
    const session = requireSession(web, request);
    const params = request.params as { id: string; kind: string };
    const kind = evidenceKind(params.kind);
    const found = await getRequest(ctx, params.id);
    const { digest } = resolveEvidence(found, kind);
    const ticket = web.sessions.issueViewTicket(session, found.id, kind);
    const mediaType =
      (await registeredMediaType(ctx.ledger, digest)) ?? 'not registered (shown as text if UTF-8)';
    return sendPage(
      reply,
      evidencePage({
        session,
        request: found,
        kind,
        label: LABELS[kind],
        digest,
        mediaType,
        frameSrc: `/requests/${found.id}/evidence/${kind}/content?ticket=${encodeURIComponent(ticket)}`,
      }),
    );
  });

  // Only the viewer page's frame may load this: a one-time ticket from that page, and (where the browser says)
  // a same-origin frame navigation. The view is recorded before the bytes are sent (viewEvidence).
  // No automatic HEAD route: a HEAD would record a view whose bytes nobody received.
  app.get('/requests/:id/evidence/:kind/content', { exposeHeadRoute: false }, async (request, reply) => {
    const session = requireSession(web, request);
    const params = request.params as { id: string; kind: string };
    const kind = evidenceKind(params.kind);
    const ticket = (request.query as Record<string, unknown>).ticket;
    const dest = request.headers['sec-fetch-dest'];
    const site = request.headers['sec-fetch-site'];
    if (
      typeof ticket !== 'string' ||
      (dest !== undefined && dest !== 'iframe') ||
      (site !== undefined && site !== 'same-origin') ||
      !web.sessions.redeemViewTicket(session, ticket, params.id, kind)
    ) {
      throw new DocketError(
        ServerErrorCode.ViewTicketInvalid,
        'evidence is shown only inside its viewer page: open it from the request page',
      );
    }
    const { receipt, bytes } = await viewEvidence(
      ctx,
      { requestId: params.id, token: session.accessToken, evidence: kind },
      { maxBytes: web.limits.viewBytes },
    );
    request.log.info({ requestId: params.id, kind, index: receipt.index }, 'view recorded');
    const type = displayType(await registeredMediaType(ctx.ledger, receipt.artefactDigest), bytes);
    return reply
      .header('content-type', type)
      .header('content-security-policy', EVIDENCE_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('cache-control', 'no-store')
      .header('docket-view-index', String(receipt.index))
      .header('docket-served-digest', receipt.servedDigest)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
