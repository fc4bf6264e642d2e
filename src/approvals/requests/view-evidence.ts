import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ArtefactErrorCode } from '../../artefacts/index.js';
import { type Digest, hashFile, isDigest, sha256Digest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import type { VerifiedIdentity } from '../../identity/index.js';
import type { EvidenceKind } from '../policy/index.js';
import { appendToRequest } from './append-to-request.js';
import { type ApprovalsContext, nowOf } from './context.js';
import { RequestErrorCode } from './errors.js';
import { type ApprovalRequest, foldRequest } from './fold-request.js';
import { readRequestHistory } from './history.js';
import {
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  REQUEST_RECORD,
  type RecordedIdentity,
  recordedIdentity,
  tokenRecord,
  type ViewPredicate,
} from './records.js';
import { invalid, parseRequestId } from './request-input.js';

/** Which evidence of a request to review: an evidence kind (`comparison`, ...) or one of its digests. */
export interface ViewEvidenceInput {
  readonly requestId: string;
  /** The reviewer's bearer token. */
  readonly token: string;
  readonly evidence: string;
}

/** The view receipt a review appended. */
export interface ViewReceipt {
  readonly requestId: string;
  /** Log index of the `view` record. */
  readonly index: number;
  readonly viewer: RecordedIdentity;
  readonly evidenceKinds: readonly EvidenceKind[];
  readonly artefactDigest: Digest;
  readonly servedDigest: Digest;
  readonly servedSize: number;
}

/** Default limit of {@link viewEvidence}, which holds the bytes in memory; use {@link viewEvidenceToFile} beyond it. */
export const MAX_VIEW_BYTES = 64 * 1024 * 1024;

/**
 * Serves one evidence artefact of an open request to a reviewer, in memory: the bytes are read verified, hashed as
 * served, the `view` record (viewer, artefact digest, digest of the bytes served) is appended, and only then are
 * the bytes handed back. A view never recorded is a view never served.
 *
 * @throws DocketError ERR_REQUEST_INVALID, ERR_IDENTITY_*, ERR_REQUEST_NOT_FOUND, ERR_REQUEST_CLOSED,
 *   ERR_REQUEST_EVIDENCE_UNKNOWN, ERR_ARTEFACT_TOO_LARGE, ERR_ARTEFACT_NOT_FOUND, ERR_ARTEFACT_CORRUPT
 * @example
 * const { receipt, bytes } = await viewEvidence(ctx, { requestId, token, evidence: 'comparison' });
 */
export async function viewEvidence(
  ctx: ApprovalsContext,
  input: ViewEvidenceInput,
  options: { maxBytes?: number } = {},
): Promise<{ receipt: ViewReceipt; bytes: Uint8Array }> {
  const { requestId, viewer, target } = await prepare(ctx, input);
  const bytes = await ctx.artefacts.readVerified(target.digest, options.maxBytes ?? MAX_VIEW_BYTES);
  const receipt = await recordView(
    ctx,
    requestId,
    viewer,
    target.digest,
    sha256Digest(bytes),
    bytes.byteLength,
  );
  return { receipt, bytes };
}

/**
 * Serves one evidence artefact of an open request into a new file at `path` (any size, constant memory): written
 * verified to a temporary file beside it, hashed from the file, the `view` record appended, then moved into place.
 * An existing file is refused (ERR_ARTEFACT_OUTPUT_EXISTS) before anything is read or recorded, unless `overwrite`.
 *
 * @throws DocketError as {@link viewEvidence}, plus ERR_ARTEFACT_OUTPUT_EXISTS and ERR_ARTEFACT_IO
 */
export async function viewEvidenceToFile(
  ctx: ApprovalsContext,
  input: ViewEvidenceInput & { readonly path: string; readonly overwrite?: boolean },
): Promise<ViewReceipt> {
  const target = resolve(input.path);
  const overwrite = input.overwrite === true;
  if (!overwrite && existsSync(target)) throw outputExists(target);
  const { requestId, viewer, target: evidence } = await prepare(ctx, input);
  const temp = join(dirname(target), `.${basename(target)}.docket-view-${randomUUID()}.tmp`);
  try {
    await ctx.artefacts.getToFile(evidence.digest, temp);
    const served = await hashFile(temp);
    const receipt = await recordView(ctx, requestId, viewer, evidence.digest, served.digest, served.size);
    // The view is recorded before the file appears; a file created at `path` meanwhile (checked above) loses the
    // delivery, never the record: the reviewer asks again.
    if (overwrite) {
      await rename(temp, target);
    } else {
      await link(temp, target).catch((err: unknown) => {
        throw (err as NodeJS.ErrnoException).code === 'EEXIST' ? outputExists(target) : err;
      });
    }
    return receipt;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function prepare(
  ctx: ApprovalsContext,
  input: ViewEvidenceInput,
): Promise<{ requestId: string; viewer: VerifiedIdentity; target: { digest: Digest } }> {
  if (typeof input !== 'object' || input === null) invalid('review', 'must be an object');
  const requestId = parseRequestId(input.requestId);
  if (typeof input.token !== 'string') invalid('token', 'a bearer token is required');
  if (typeof input.evidence !== 'string') invalid('evidence', 'name an evidence kind or digest');
  const viewer = await ctx.identity.verify(input.token);
  const request = foldRequest(await readRequestHistory(ctx.ledger, requestId), nowOf(ctx));
  assertOpen(request);
  return { requestId, viewer, target: { digest: resolveEvidence(request, input.evidence).digest } };
}

/** The digest and kinds an evidence selector names in `request`: a kind, or a digest that is one of its evidence. */
export function resolveEvidence(
  request: ApprovalRequest,
  selector: string,
): { digest: Digest; kinds: EvidenceKind[] } {
  let digest: Digest | undefined;
  if (Object.hasOwn(EVIDENCE_FIELDS, selector))
    digest = request.evidence[EVIDENCE_FIELDS[selector as EvidenceKind]];
  else if (isDigest(selector)) digest = selector;
  const kinds = EVIDENCE_KINDS.filter((kind) => request.evidence[EVIDENCE_FIELDS[kind]] === digest);
  if (digest === undefined || kinds.length === 0) {
    throw new DocketError(
      RequestErrorCode.EvidenceUnknown,
      `${JSON.stringify(selector.slice(0, 80))} is not evidence of request ${request.id}; name one of ${EVIDENCE_KINDS.join(', ')} or its digest`,
      { details: { requestId: request.id, evidence: selector.slice(0, 80) } },
    );
  }
  return { digest, kinds };
}

async function recordView(
  ctx: ApprovalsContext,
  requestId: string,
  viewer: VerifiedIdentity,
  artefactDigest: Digest,
  servedDigest: Digest,
  servedSize: number,
): Promise<ViewReceipt> {
  let predicate: ViewPredicate | undefined;
  const entry = await appendToRequest(ctx, requestId, (request) => {
    assertOpen(request);
    const { kinds } = resolveEvidence(request, artefactDigest);
    predicate = {
      requestId,
      viewer: recordedIdentity(viewer),
      evidenceKinds: kinds,
      artefactDigest,
      servedDigest,
      servedSize,
      token: tokenRecord(viewer),
      dev: viewer.dev,
    };
    return {
      type: REQUEST_RECORD.view,
      subject: [{ name: kinds.join('+'), digest: artefactDigest }],
      predicate: { ...predicate },
    };
  });
  const p = predicate as ViewPredicate;
  return {
    requestId,
    index: entry.index,
    viewer: p.viewer,
    evidenceKinds: p.evidenceKinds,
    artefactDigest,
    servedDigest,
    servedSize,
  };
}

/** Refuses anything but an open request with ERR_REQUEST_CLOSED. */
export function assertOpen(request: ApprovalRequest): void {
  if (request.state !== 'open') {
    throw new DocketError(RequestErrorCode.Closed, `request ${request.id} is ${request.state}`, {
      details: { requestId: request.id, state: request.state },
    });
  }
}

function outputExists(path: string): DocketError {
  return new DocketError(ArtefactErrorCode.OutputExists, `${path} already exists; refusing to overwrite it`, {
    details: { path },
  });
}
