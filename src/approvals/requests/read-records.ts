import { type Digest, isDigest } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import type { TokenEvidence } from '../../identity/index.js';
import type { ApprovalsRequired, ClassificationReason } from '../classifier/index.js';
import type { EvidenceKind, MaterialityClass } from '../policy/index.js';
import { RequestErrorCode } from './errors.js';
import type {
  ClassificationPredicate,
  DecisionPredicate,
  EntryRef,
  RecordedIdentity,
  RequestPredicate,
  ViewPredicate,
  WithdrawalPredicate,
} from './records.js';
import { EVIDENCE_FIELDS } from './records.js';
import { parseEvidenceDigests, parseModelVersionRef } from './request-input.js';

type Fields = Readonly<Record<string, unknown>>;

/**
 * Readers of a request's records as they come back from the ledger. The entries are signed, so this is not about
 * forgery; it keeps a record written by another docket version, or a bug, from being half-understood: a missing
 * or mistyped field is ERR_REQUEST_RECORD_MALFORMED naming the entry, never a crash or a silent default.
 */
export class RecordReader {
  constructor(readonly index: number) {}

  fail(why: string, cause?: unknown): never {
    throw new DocketError(RequestErrorCode.RecordMalformed, `log entry ${this.index}: ${why}`, {
      details: { index: this.index },
      cause,
    });
  }

  obj(value: unknown, at: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${at} is not an object`);
    return value as Fields;
  }

  str(value: unknown, at: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(`${at} is not a non-empty string`);
    return value as string;
  }

  strOrNull(value: unknown, at: string): string | null {
    return value === null ? null : this.str(value, at);
  }

  strings(value: unknown, at: string): string[] {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      this.fail(`${at} is not a list of strings`);
    return [...(value as string[])];
  }

  digest(value: unknown, at: string): Digest {
    if (!isDigest(value)) this.fail(`${at} is not a digest`);
    return value as Digest;
  }

  bool(value: unknown, at: string): boolean {
    if (typeof value !== 'boolean') this.fail(`${at} is not a boolean`);
    return value as boolean;
  }

  count(value: unknown, at: string, min = 0): number {
    if (!Number.isSafeInteger(value) || (value as number) < min)
      this.fail(`${at} is not an integer >= ${min}`);
    return value as number;
  }

  identity(value: unknown, at: string): RecordedIdentity {
    const o = this.obj(value, at);
    return { issuer: this.str(o.issuer, `${at}.issuer`), subject: this.str(o.subject, `${at}.subject`) };
  }

  token(value: unknown, at: string): TokenEvidence {
    const o = this.obj(value, at);
    this.digest(o.tokenDigest, `${at}.tokenDigest`);
    this.bool(o.dev, `${at}.dev`);
    return o as unknown as TokenEvidence;
  }

  evidenceKinds(value: unknown, at: string): EvidenceKind[] {
    const kinds = this.strings(value, at);
    for (const kind of kinds)
      if (!Object.hasOwn(EVIDENCE_FIELDS, kind)) this.fail(`${at} names unknown evidence ${kind}`);
    return kinds as EvidenceKind[];
  }

  /** Runs an input parser on recorded data, turning its ERR_REQUEST_INVALID into a malformed-record error. */
  parsed<T>(parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      if (isDocketError(err, RequestErrorCode.Invalid)) this.fail(err.message, err);
      throw err;
    }
  }
}

/** The `prev` of a predicate, or null when it has none. */
export function readPrev(r: RecordReader, p: Fields): EntryRef | null {
  if (!Object.hasOwn(p, 'prev')) return null;
  const prev = r.obj(p.prev, 'prev');
  return { index: r.count(prev.index, 'prev.index'), leafHash: r.str(prev.leafHash, 'prev.leafHash') };
}

export function readRequest(r: RecordReader, p: Fields): RequestPredicate {
  const expiresAt = r.str(p.expiresAt, 'expiresAt');
  if (Number.isNaN(Date.parse(expiresAt))) r.fail('expiresAt is not a time');
  return {
    requestId: r.str(p.requestId, 'requestId'),
    candidate: r.parsed(() => parseModelVersionRef(p.candidate, 'candidate')),
    champion: r.parsed(() => parseModelVersionRef(p.champion, 'champion')),
    evidence: r.parsed(() => parseEvidenceDigests(p.evidence, 'evidence')),
    requester: r.identity(p.requester, 'requester'),
    requesterToken: r.token(p.requesterToken, 'requesterToken'),
    dev: r.bool(p.dev, 'dev'),
    ticket: r.strOrNull(p.ticket, 'ticket'),
    expiresAt,
  };
}

export function readClassification(r: RecordReader, p: Fields): ClassificationPredicate {
  const materiality = p.class;
  if (materiality !== 1 && materiality !== 2 && materiality !== 3) r.fail('class is not 1, 2 or 3');
  if (!Array.isArray(p.reasons) || p.reasons.length === 0) r.fail('reasons is not a non-empty list');
  return {
    requestId: r.str(p.requestId, 'requestId'),
    class: materiality as MaterialityClass,
    reasons: p.reasons as ClassificationReason[],
    policyDigest: r.digest(p.policyDigest, 'policyDigest'),
    classifierVersion: r.str(p.classifierVersion, 'classifierVersion'),
    approvalsRequired: readApprovalsRequired(r, p.approvalsRequired),
  };
}

function readApprovalsRequired(r: RecordReader, value: unknown): ApprovalsRequired {
  const o = r.obj(value, 'approvalsRequired');
  const roles = r.obj(o.requiredRoles, 'approvalsRequired.requiredRoles');
  const requiredRoles: Record<string, number> = {};
  for (const [role, minimum] of Object.entries(roles)) {
    requiredRoles[role] = r.count(minimum, `approvalsRequired.requiredRoles.${role}`, 1);
  }
  const sod = r.obj(o.separationOfDuties, 'approvalsRequired.separationOfDuties');
  const result: ApprovalsRequired = {
    approvers: r.count(o.approvers, 'approvalsRequired.approvers', 1),
    requiredRoles,
    evidence: r.evidenceKinds(o.evidence, 'approvalsRequired.evidence'),
    separationOfDuties: {
      requesterMayApprove: false,
      identityCountsOnce: true,
      oneSlotPerApprover: r.bool(
        sod.oneSlotPerApprover,
        'approvalsRequired.separationOfDuties.oneSlotPerApprover',
      ),
    },
  };
  if (o.committee === undefined) return result;
  const c = r.obj(o.committee, 'approvalsRequired.committee');
  return {
    ...result,
    committee: {
      role: r.str(c.role, 'approvalsRequired.committee.role'),
      quorum: r.count(c.quorum, 'approvalsRequired.committee.quorum', 1),
      ...(c.size === undefined ? {} : { size: r.count(c.size, 'approvalsRequired.committee.size', 1) }),
    },
  };
}

export function readView(r: RecordReader, p: Fields): ViewPredicate {
  return {
    requestId: r.str(p.requestId, 'requestId'),
    viewer: r.identity(p.viewer, 'viewer'),
    evidenceKinds: r.evidenceKinds(p.evidenceKinds, 'evidenceKinds'),
    artefactDigest: r.digest(p.artefactDigest, 'artefactDigest'),
    servedDigest: r.digest(p.servedDigest, 'servedDigest'),
    servedSize: r.count(p.servedSize, 'servedSize'),
    token: r.token(p.token, 'token'),
    dev: r.bool(p.dev, 'dev'),
  };
}

export function readDecision(r: RecordReader, p: Fields): DecisionPredicate {
  if (p.decision !== 'approve' && p.decision !== 'reject') r.fail('decision is not approve or reject');
  return {
    requestId: r.str(p.requestId, 'requestId'),
    decision: p.decision as 'approve' | 'reject',
    identity: r.identity(p.identity, 'identity'),
    roles: r.strings(p.roles, 'roles'),
    groups: r.strings(p.groups, 'groups'),
    policyDigest: r.digest(p.policyDigest, 'policyDigest'),
    evidence: r.parsed(() => parseEvidenceDigests(p.evidence, 'evidence')),
    comment: r.strOrNull(p.comment, 'comment'),
    token: r.token(p.token, 'token'),
    dev: r.bool(p.dev, 'dev'),
  };
}

export function readWithdrawal(r: RecordReader, p: Fields): WithdrawalPredicate {
  return {
    requestId: r.str(p.requestId, 'requestId'),
    withdrawnBy: r.identity(p.withdrawnBy, 'withdrawnBy'),
    reason: r.strOrNull(p.reason, 'reason'),
    token: r.token(p.token, 'token'),
    dev: r.bool(p.dev, 'dev'),
  };
}
