import type { ClassificationReason } from '../../approvals/classifier/index.js';
import type { EvidenceKind } from '../../approvals/policy/index.js';
import {
  type ApprovalRequest,
  type CountedApprover,
  evaluateRequirements,
  foldRequest,
  modelVersionKey,
  type RecordedIdentity,
  type RequestHistory,
  readRequestHistory,
} from '../../approvals/requests/index.js';
import type { ArtefactStore } from '../../artefacts/index.js';
import type { Digest } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { identityKey } from '../../identity/index.js';
import type { Ledger } from '../../ledger/index.js';
import { verifyInclusion } from '../../ledger/merkle/index.js';
import { openCheckpoint } from '../../ledger/note/index.js';
import {
  PROMOTION_RECORD,
  type PromotionTrigger,
  type RecordedPromotion,
  type RecordedTransition,
  readPromotionEntry,
  readTransitionEntry,
} from '../../promotion/index.js';
import type { PromotionTarget } from '../../registries/index.js';
import { AuditQueryErrorCode } from './errors.js';

/** The six references of a promotion event (DESIGN.md "The promotion event: six references"), in that order. */
export const AUDIT_REFERENCES = [
  'model',
  'comparison',
  'request-history',
  'approvers',
  'explanation',
  'datasets',
] as const;

export type AuditReference = (typeof AUDIT_REFERENCES)[number];

/** One reference's verdict: `evidence` when every check passed, else `broken` with one reason per failed check. */
export interface ReferenceVerdict {
  readonly reference: AuditReference;
  readonly verdict: 'evidence' | 'broken';
  readonly reasons: readonly string[];
}

/** The model version an audit asks about. */
export interface AuditQuery {
  readonly registry: string;
  readonly model: string;
  readonly version: string;
}

/** One approver as the record shows them: identity, roles at the decision, what they opened and when. */
export interface AuditedApprover {
  readonly identity: RecordedIdentity;
  readonly roles: readonly string[];
  readonly decision: {
    readonly index: number;
    readonly recordedAt: string | null;
    readonly comment: string | null;
  };
  /** Every view receipt of this approver in the request's history, in log order. */
  readonly views: readonly {
    readonly index: number;
    readonly recordedAt: string;
    readonly evidenceKinds: readonly EvidenceKind[];
    readonly artefactDigest: string;
  }[];
}

/** One promotion event of the version, what it cites, and a verdict per reference. */
export interface AuditedEvent {
  /** True when every reference is evidence. */
  readonly ok: boolean;
  readonly event: {
    readonly index: number;
    readonly leafHash: string;
    readonly recordedAt: string;
    readonly requestId: string;
    readonly trigger: PromotionTrigger;
    readonly target: PromotionTarget;
    readonly expectedChampion: string;
    readonly dev: boolean;
  };
  readonly model: {
    readonly registry: string;
    readonly registryId: string;
    readonly model: string;
    readonly version: string;
    readonly artefactDigest: Digest;
  };
  readonly comparison: {
    readonly reportDigest: Digest;
    readonly champion: { readonly version: string; readonly artefactDigest: Digest };
  };
  readonly explanationDigest: Digest;
  readonly datasets: { readonly trainingDigest: Digest; readonly evaluationDigest: Digest };
  readonly changeManifestDigest: Digest;
  readonly requestHead: { readonly index: number; readonly leafHash: string };
  /** Null when the request's history cannot be read (then `request-history` is broken). */
  readonly requester: RecordedIdentity | null;
  readonly classification: {
    readonly class: 1 | 2 | 3;
    /** Null when the request's history cannot be read. */
    readonly reasons: readonly ClassificationReason[] | null;
    readonly policyDigest: Digest;
    readonly classifierVersion: string;
  };
  readonly approvers: readonly AuditedApprover[];
  readonly transitions: readonly {
    readonly index: number;
    readonly recordedAt: string;
    readonly reason: string;
    readonly outcome: string;
    readonly fromVersion: string | null;
    readonly toVersion: string;
    readonly error: { readonly code: string; readonly message: string } | null;
  }[];
  readonly references: readonly ReferenceVerdict[];
}

/** `docket audit`: every promotion event of a model version, each reference judged. */
export interface AuditReport {
  /** True only when every event's every reference is evidence and no entry of the version was unreadable. */
  readonly ok: boolean;
  readonly registry: string;
  readonly model: string;
  readonly version: string;
  /** The signed checkpoint inclusion was proven under (null when it does not verify). */
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly rootHash: string } | null;
  readonly events: readonly AuditedEvent[];
  /** Entries under the version's lookup key that could not be read (signature, corruption, malformed). */
  readonly unreadable: readonly { readonly index: number; readonly reason: string }[];
}

interface Checkpoint {
  readonly size: number;
  readonly rootHash: Uint8Array;
}

/**
 * Audits a model version: finds its promotion events (lookup key `model-version`) and, for each, says what it cites
 * (comparison, explanation, datasets, approvers with roles, views and decisions, class, reasons, policy, transitions)
 * and whether each of the six references is evidence: every entry it rests on verifies (signature) and is proven
 * included under the latest signed checkpoint, every artefact is in the store and re-hashes to its digest while
 * streamed, the request's history is one chain, every approver viewed what the class requires before deciding, the
 * approvals satisfy the class, and no transition is recorded before the event. Reads only: ledger and store.
 *
 * @throws DocketError ERR_AUDIT_NO_EVENT when the ledger holds no promotion event (readable or not) for the version
 * @throws DocketError ERR_LEDGER_CHECKPOINT_NOT_FOUND when the log was never initialised
 * @example
 * const report = await auditVersion(docket.ledger, docket.artefacts, { registry: 'local', model: 'credit', version: '2' });
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function auditVersion(
  ledger: Ledger,
  artefacts: ArtefactStore,
  query: AuditQuery,
): Promise<AuditReport> {
  const key = modelVersionKey(query);
  const stored = await ledger.latestCheckpoint();
  let checkpoint: Checkpoint | null = null;
  let checkpointProblem: string | null = null;
  try {
    checkpoint = openCheckpoint(stored.note, ledger.verifiers, { origin: ledger.origin });
  } catch (err) {
    checkpointProblem = `the latest checkpoint does not verify: ${describe(err)}`;
  }
  const events: RecordedPromotion[] = [];
  const unreadable: { index: number; reason: string }[] = [];
  const indices = await ledger.find('model-version', key);
  for (const index of indices) {
    try {
      const entry = await ledger.readEntry(index);
      if (entry.recordType !== PROMOTION_RECORD.promotion) continue;
      const event = readPromotionEntry(entry);
      const m = event.predicate.model;
      if (m.registry === query.registry && m.model === query.model && m.version === query.version)
        events.push(event);
    } catch (err) {
      unreadable.push({ index, reason: `entry signature invalid or entry unreadable: ${describe(err)}` });
    }
  }
  if (events.length === 0 && unreadable.length === 0) {
    throw new DocketError(AuditQueryErrorCode.NoEvent, `no promotion event for ${key}`, {
      details: { key, ...query },
    });
  }
  const audit = new Auditor(ledger, artefacts, checkpoint, checkpointProblem);
  const audited: AuditedEvent[] = [];
  for (const event of events) audited.push(await audit.event(event, indices));
  return {
    ok: unreadable.length === 0 && audited.every((e) => e.ok),
    registry: query.registry,
    model: query.model,
    version: query.version,
    checkpoint:
      checkpoint === null
        ? null
        : {
            origin: ledger.origin,
            size: checkpoint.size,
            rootHash: Buffer.from(checkpoint.rootHash).toString('base64'),
          },
    events: audited,
    unreadable,
  };
}

class Auditor {
  private readonly included = new Map<number, string | null>();
  private readonly artefactChecks = new Map<string, string | null>();

  constructor(
    private readonly ledger: Ledger,
    private readonly artefacts: ArtefactStore,
    private readonly checkpoint: Checkpoint | null,
    private readonly checkpointProblem: string | null,
  ) {}

  async event(event: RecordedPromotion, versionIndices: readonly number[]): Promise<AuditedEvent> {
    const p = event.predicate;
    const reasons: Record<AuditReference, string[]> = {
      model: [],
      comparison: [],
      'request-history': [],
      approvers: [],
      explanation: [],
      datasets: [],
    };
    // The event entry states all six references: if it is not proven included, none of them is evidence.
    const eventProblem = await this.inclusion({ index: event.index, leafHash: event.leafHash }, 'the event');
    if (eventProblem !== null) for (const r of AUDIT_REFERENCES) reasons[r].push(eventProblem);

    // 1. The model version, and the registry moves that execute the event.
    await this.artefact(p.model.artefactDigest, 'the model artefact', reasons.model);
    const transitions = await this.transitions(event, versionIndices, reasons.model);
    for (const t of transitions) {
      if (t.index < event.index || Date.parse(t.recordedAt) < Date.parse(event.recordedAt)) {
        reasons.model.push(
          `transition ${t.index} (${t.recordedAt}) is recorded before the event ${event.index} (${event.recordedAt})`,
        );
      }
    }
    // 2, 5, 6. The artefacts, re-hashed.
    await this.artefact(p.comparison.reportDigest, 'the comparison report', reasons.comparison);
    await this.artefact(p.comparison.champion.artefactDigest, 'the champion artefact', reasons.comparison);
    await this.artefact(p.explanationDigest, 'the explanation bundle', reasons.explanation);
    await this.artefact(p.datasets.trainingDigest, 'the training dataset', reasons.datasets);
    await this.artefact(p.datasets.evaluationDigest, 'the evaluation dataset', reasons.datasets);

    // 3. The request's history: one chain, every entry included, the head the event names in it, the event chained.
    let history: RequestHistory | null = null;
    let request: ApprovalRequest | null = null;
    try {
      history = await readRequestHistory(this.ledger, p.requestId);
      request = foldRequest(history, new Date(event.recordedAt));
    } catch (err) {
      reasons['request-history'].push(`the request's history is broken: ${describe(err)}`);
    }
    if (history !== null) {
      for (const entry of history.entries) {
        const problem = await this.inclusion(entry.ref, `history entry ${entry.ref.index}`);
        if (problem !== null) reasons['request-history'].push(problem);
      }
      const names = (ref: { index: number; leafHash: string }): boolean =>
        history?.entries.some((e) => e.ref.index === ref.index && e.ref.leafHash === ref.leafHash) ?? false;
      if (!names(p.requestHead)) {
        reasons['request-history'].push(
          `the request head the event names (entry ${p.requestHead.index}) is not in the request's history`,
        );
      }
      if (!names(event))
        reasons['request-history'].push(`the event is not chained into the request's history`);
    }

    // 4. The approvers: each decision verifies, is included, counted, preceded by the required views; the class met.
    const approvers = await this.approvers(event, request, reasons.approvers);

    const references = AUDIT_REFERENCES.map(
      (reference): ReferenceVerdict => ({
        reference,
        verdict: reasons[reference].length === 0 ? 'evidence' : 'broken',
        reasons: reasons[reference],
      }),
    );
    return {
      ok: references.every((r) => r.verdict === 'evidence'),
      event: {
        index: event.index,
        leafHash: event.leafHash,
        recordedAt: event.recordedAt,
        requestId: p.requestId,
        trigger: p.trigger,
        target: p.target,
        expectedChampion: p.expectedChampion,
        dev: p.dev,
      },
      model: {
        registry: p.model.registry,
        registryId: p.model.registryId,
        model: p.model.model,
        version: p.model.version,
        artefactDigest: p.model.artefactDigest,
      },
      comparison: {
        reportDigest: p.comparison.reportDigest,
        champion: {
          version: p.comparison.champion.version,
          artefactDigest: p.comparison.champion.artefactDigest,
        },
      },
      explanationDigest: p.explanationDigest,
      datasets: p.datasets,
      changeManifestDigest: p.changeManifestDigest,
      requestHead: p.requestHead,
      requester: history?.request.requester ?? null,
      classification: {
        class: p.class,
        reasons: history?.classification.reasons ?? null,
        policyDigest: p.policyDigest,
        classifierVersion: p.classifierVersion,
      },
      approvers,
      transitions: transitions.map((t) => ({
        index: t.index,
        recordedAt: t.recordedAt,
        reason: t.predicate.reason,
        outcome: t.predicate.outcome,
        fromVersion: t.predicate.fromVersion,
        toVersion: t.predicate.toVersion,
        error: t.predicate.error,
      })),
      references,
    };
  }

  private async approvers(
    event: RecordedPromotion,
    request: ApprovalRequest | null,
    reasons: string[],
  ): Promise<AuditedApprover[]> {
    const p = event.predicate;
    const out: AuditedApprover[] = [];
    const counted: CountedApprover[] = [];
    for (const d of p.decisions) {
      let recordedAt: string | null = null;
      let comment: string | null = null;
      try {
        const entry = await this.ledger.readEntry(d.index);
        recordedAt = entry.recordedAt;
        if (entry.leafHash !== d.leafHash || entry.recordType !== 'decision') {
          reasons.push(`the event cites decision ${d.index}, which is another entry`);
        }
        const c = entry.statement.predicate.comment;
        comment = typeof c === 'string' ? c : null;
      } catch (err) {
        reasons.push(`decision ${d.index}: entry signature invalid or entry unreadable: ${describe(err)}`);
      }
      const included = await this.inclusion(d, `decision ${d.index}`);
      if (included !== null) reasons.push(included);
      const who = identityKey(d.identity);
      const views = (request?.views ?? [])
        .filter((v) => identityKey(v.viewer) === who)
        .map((v) => ({
          index: v.index,
          recordedAt: v.recordedAt,
          evidenceKinds: v.evidenceKinds,
          artefactDigest: v.artefactDigest,
        }));
      out.push({
        identity: d.identity,
        roles: d.roles,
        decision: { index: d.index, recordedAt, comment },
        views,
      });
      if (request === null) continue;
      const folded = request.decisions.find((x) => x.index === d.index);
      if (folded === undefined) {
        reasons.push(`decision ${d.index} is not in the request's history`);
        continue;
      }
      for (const kind of request.classification.approvalsRequired.evidence as EvidenceKind[]) {
        const before = views.some((v) => v.index < d.index && v.evidenceKinds.includes(kind));
        if (before) continue;
        const after = views.find((v) => v.index > d.index && v.evidenceKinds.includes(kind));
        reasons.push(
          after === undefined
            ? `${d.identity.subject} never viewed ${kind} before deciding (decision ${d.index})`
            : `${d.identity.subject}'s view of ${kind} (entry ${after.index}) comes after the decision it should precede (entry ${d.index})`,
        );
      }
      if (!folded.counted) {
        reasons.push(
          `decision ${d.index} by ${d.identity.subject} does not count (${folded.problem ?? 'unknown'})`,
        );
      } else if (folded.decision === 'approve') {
        counted.push({ identity: d.identity, roles: d.roles });
      }
    }
    const cited = new Set(p.decisions.map((d) => identityKey(d.identity)));
    for (const a of p.approvers) {
      if (!cited.has(identityKey(a)))
        reasons.push(`approver ${a.subject} has no decision cited by the event`);
    }
    if (request !== null) {
      const met = evaluateRequirements(request.classification.approvalsRequired, counted);
      if (!met.complete) {
        reasons.push(`the approvals do not satisfy class ${p.class}: ${met.missing.join('; ')} missing`);
      }
      if (request.classification.class !== p.class) {
        reasons.push(
          `the event says class ${p.class}, the request was classified ${request.classification.class}`,
        );
      }
    } else {
      reasons.push(`the approvals cannot be checked against the class: the request's history is unreadable`);
    }
    return out;
  }

  /** Transitions naming the event, from its request's key and the version's key (reconcile), in log order. */
  private async transitions(
    event: RecordedPromotion,
    versionIndices: readonly number[],
    reasons: string[],
  ): Promise<RecordedTransition[]> {
    const indices = new Set([
      ...(await this.ledger.find('promotion', event.predicate.requestId)),
      ...versionIndices,
    ]);
    const out: RecordedTransition[] = [];
    for (const index of [...indices].sort((a, b) => a - b)) {
      let transition: RecordedTransition;
      try {
        const entry = await this.ledger.readEntry(index);
        if (entry.recordType !== PROMOTION_RECORD.transition) continue;
        transition = readTransitionEntry(entry);
      } catch (err) {
        reasons.push(`entry ${index}: entry signature invalid or entry unreadable: ${describe(err)}`);
        continue;
      }
      const names = transition.predicate.promotion;
      if (names.index !== event.index || names.leafHash !== event.leafHash) continue;
      const problem = await this.inclusion(transition, `transition ${index}`);
      if (problem !== null) reasons.push(problem);
      out.push(transition);
    }
    return out;
  }

  /** Null when proven included under the checkpoint (RFC 9162 §2.1.3.2), else why not. */
  private async inclusion(entry: { index: number; leafHash: string }, what: string): Promise<string | null> {
    const cached = this.included.get(entry.index);
    if (cached !== undefined) return cached;
    let problem: string | null = null;
    if (this.checkpoint === null) {
      problem = `${what} (entry ${entry.index}) is not included under the latest checkpoint: ${this.checkpointProblem}`;
    } else if (entry.index >= this.checkpoint.size) {
      problem = `${what} (entry ${entry.index}) is not included under the latest checkpoint (size ${this.checkpoint.size})`;
    } else {
      try {
        const proof = await this.ledger.proveInclusion(entry.index, this.checkpoint.size);
        verifyInclusion(
          Buffer.from(entry.leafHash, 'base64'),
          entry.index,
          this.checkpoint.size,
          proof.proof.map((h) => Buffer.from(h, 'base64')),
          this.checkpoint.rootHash,
        );
      } catch (err) {
        problem = `${what} (entry ${entry.index}) is not included under the latest checkpoint (size ${this.checkpoint.size}): ${describe(err)}`;
      }
    }
    this.included.set(entry.index, problem);
    return problem;
  }

  /** Pushes why `digest` is not evidence: missing from the store, or its bytes no longer hash to it (streamed). */
  private async artefact(digest: Digest, what: string, reasons: string[]): Promise<void> {
    let problem = this.artefactChecks.get(digest);
    if (problem === undefined) {
      problem = await this.rehash(digest);
      this.artefactChecks.set(digest, problem);
    }
    if (problem !== null) reasons.push(problem.replace('\u0000', what));
  }

  // The problem with `\u0000` standing for what the artefact is (one digest can be two references).
  private async rehash(digest: Digest): Promise<string | null> {
    try {
      if (!(await this.artefacts.has(digest))) return `\u0000 ${digest}: artefact missing from the store`;
      const stream = await this.artefacts.get(digest);
      for await (const _chunk of stream) {
        // Consumed only to re-hash: the store's stream errors when the bytes no longer hash to the digest.
      }
      return null;
    } catch (err) {
      if (isDocketError(err, 'ERR_ARTEFACT_NOT_FOUND'))
        return `\u0000 ${digest}: artefact missing from the store`;
      if (isDocketError(err, 'ERR_ARTEFACT_CORRUPT') || isDocketError(err, 'ERR_ARTEFACT_SIZE_MISMATCH')) {
        return `\u0000 ${digest}: artefact bytes changed (they no longer hash to the digest)`;
      }
      return `\u0000 ${digest}: cannot be read from the store: ${describe(err)}`;
    }
  }
}

function describe(err: unknown): string {
  if (isDocketError(err)) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}
