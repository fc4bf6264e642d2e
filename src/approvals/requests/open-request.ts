import type { Digest } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { LedgerErrorCode, type RecordSubject } from '../../ledger/index.js';
import { classifyChange } from '../classifier/index.js';
import { requestExpiryMs } from '../policy/index.js';
import { readActivePolicy } from '../policy-activation/index.js';
import { manifestMismatches, readChangeManifest } from './change-manifest-evidence.js';
import { type ApprovalsContext, nowOf } from './context.js';
import { RequestErrorCode } from './errors.js';
import { type ApprovalRequest, foldRequest } from './fold-request.js';
import { readRequestHistory } from './history.js';
import {
  type ClassificationPredicate,
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type EvidenceDigests,
  type EvidenceDigestsInput,
  type ModelVersionInput,
  type ModelVersionRef,
  modelKey,
  modelVersionKey,
  REQUEST_RECORD,
  type RequestPredicate,
  recordedIdentity,
  tokenRecord,
} from './records.js';
import {
  invalid,
  newRequestId,
  parseEvidenceDigests,
  parseModelVersionRef,
  parseTicket,
  plainObject,
} from './request-input.js';

/** Input of {@link openRequest}: hostile, checked field by field; unknown fields are refused. */
export interface OpenRequestInput {
  /** The requester's bearer token. */
  readonly token: string;
  readonly candidate: ModelVersionInput;
  readonly champion: ModelVersionInput;
  readonly evidence: EvidenceDigestsInput;
  /** An external ticket reference (Jira, ServiceNow), kept as information. */
  readonly ticket?: string;
}

const MAX_ATTEMPTS = 3;

/**
 * Opens a promotion request and classifies it, in ONE append: the `request` record and the `classification`
 * record chained to it (`chainTo: 0`). Every referenced artefact must be in the artefact store; the change
 * manifest is read from the store, parsed, checked against the request (same candidate, champion and datasets)
 * and classified with the active policy, whose digest the classification cites. Any refusal appends nothing.
 *
 * @throws DocketError ERR_REQUEST_INVALID, ERR_IDENTITY_*, ERR_REQUEST_EVIDENCE_MISSING, ERR_APPROVAL_NO_POLICY,
 *   ERR_APPROVAL_POLICY_UNREADABLE, ERR_REQUEST_MANIFEST_UNREADABLE, ERR_CHANGE_MANIFEST_*, ERR_REQUEST_MANIFEST_MISMATCH
 * @example
 * const request = await openRequest(docket.approvals, { token, candidate, champion, evidence, ticket: 'MRM-1234' });
 * request.classification.class; // 1 | 2 | 3
 */
export async function openRequest(ctx: ApprovalsContext, input: OpenRequestInput): Promise<ApprovalRequest> {
  const o = plainObject(input, 'request', ['token', 'candidate', 'champion', 'evidence', 'ticket']);
  const candidate = parseModelVersionRef(o.candidate, 'candidate');
  const champion = parseModelVersionRef(o.champion, 'champion');
  const evidence = parseEvidenceDigests(o.evidence, 'evidence');
  const ticket = parseTicket(o.ticket);
  if (candidate.registry !== champion.registry || candidate.model !== champion.model) {
    invalid('champion', `must be a version of the candidate's model ${modelKey(candidate)}`);
  }
  if (candidate.version === champion.version) invalid('candidate.version', 'is the champion itself');
  if (typeof o.token !== 'string') invalid('token', 'a bearer token is required');
  const requester = await ctx.identity.verify(o.token as string);

  await assertStored(ctx, candidate, champion, evidence);
  const active = await readActivePolicy(ctx.ledger, ctx.artefacts);
  const manifest = await readChangeManifest(ctx.artefacts, evidence.changeManifest);
  const mismatches = manifestMismatches(manifest, { candidate, champion, evidence });
  if (mismatches.length > 0) {
    throw new DocketError(
      RequestErrorCode.ManifestMismatch,
      `the change manifest describes another change: ${mismatches
        .map((m) => `${m.field} is ${m.manifest}, the request says ${m.request}`)
        .join('; ')}`,
      { details: { mismatches } },
    );
  }
  const verdict = classifyChange(manifest, active.policy);
  const expiresAt = new Date(nowOf(ctx).getTime() + requestExpiryMs(active.policy)).toISOString();

  for (let attempt = 1; ; attempt++) {
    const requestId = newRequestId();
    const request: RequestPredicate = {
      requestId,
      candidate,
      champion,
      evidence,
      requester: recordedIdentity(requester),
      requesterToken: tokenRecord(requester),
      dev: requester.dev,
      ticket,
      expiresAt,
    };
    const classification: ClassificationPredicate = {
      requestId,
      class: verdict.class,
      reasons: verdict.reasons,
      policyDigest: verdict.policyDigest as Digest,
      classifierVersion: verdict.classifierVersion,
      approvalsRequired: verdict.approvalsRequired,
    };
    const requestKey = { key: 'request', value: requestId };
    try {
      await ctx.ledger.append(
        [
          {
            type: REQUEST_RECORD.request,
            subject: requestSubjects(candidate, champion, evidence),
            predicate: { ...request },
            keys: [
              requestKey,
              { key: 'model', value: modelKey(candidate) },
              { key: 'model-version', value: modelVersionKey(candidate) },
            ],
          },
          {
            type: REQUEST_RECORD.classification,
            subject: [
              { name: 'change-manifest', digest: evidence.changeManifest },
              { name: `policy/${active.policy.name}`, digest: verdict.policyDigest },
            ],
            predicate: { ...classification },
            keys: [requestKey],
            chainTo: 0,
          },
        ],
        { expectHead: { key: 'request', value: requestId, index: null } },
      );
    } catch (err) {
      // A fresh id that is already taken (50 random bits: practically never) is simply drawn again.
      if (!isDocketError(err, LedgerErrorCode.Conflict) || attempt >= MAX_ATTEMPTS) throw err;
      continue;
    }
    return foldRequest(await readRequestHistory(ctx.ledger, requestId), nowOf(ctx));
  }
}

/** The subjects of a request record: the two model versions and the five evidence artefacts. */
function requestSubjects(
  candidate: ModelVersionRef,
  champion: ModelVersionRef,
  evidence: EvidenceDigests,
): RecordSubject[] {
  return [
    { name: `candidate:${modelVersionKey(candidate)}`, digest: candidate.artefactDigest },
    { name: `champion:${modelVersionKey(champion)}`, digest: champion.artefactDigest },
    ...EVIDENCE_KINDS.map((kind) => ({ name: kind, digest: evidence[EVIDENCE_FIELDS[kind]] })),
  ];
}

async function assertStored(
  ctx: ApprovalsContext,
  candidate: ModelVersionRef,
  champion: ModelVersionRef,
  evidence: EvidenceDigests,
): Promise<void> {
  const referenced: [string, Digest][] = [
    ['candidate.artefactDigest', candidate.artefactDigest],
    ['champion.artefactDigest', champion.artefactDigest],
    ...EVIDENCE_KINDS.map((kind): [string, Digest] => [
      `evidence.${EVIDENCE_FIELDS[kind]}`,
      evidence[EVIDENCE_FIELDS[kind]],
    ]),
  ];
  const missing: { field: string; digest: Digest }[] = [];
  for (const [field, digest] of referenced) {
    if (!(await ctx.artefacts.has(digest))) missing.push({ field, digest });
  }
  if (missing.length > 0) {
    throw new DocketError(
      RequestErrorCode.EvidenceMissing,
      `not in the artefact store (store them with docket artefact put): ${missing
        .map((m) => `${m.field} ${m.digest}`)
        .join(', ')}`,
      { details: { missing } },
    );
  }
}
