import { DocketError, isDocketError } from '../../errors/index.js';
import type { VerifiedIdentity } from '../../identity/index.js';
import { type LoadedPolicy, rolesForGroups } from '../policy/index.js';
import { readPolicy } from '../policy-activation/index.js';
import {
  type ApprovalRequest,
  type ApprovalsContext,
  appendToRequest,
  type DecisionPredicate,
  type DecisionProblem,
  decisionProblem,
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type EvidenceDigests,
  type EvidenceDigestsInput,
  getRequest,
  modelKey,
  modelVersionKey,
  parseEvidenceDigests,
  parseRequestId,
  parseText,
  REQUEST_RECORD,
  type RecordedIdentity,
  RequestErrorCode,
  type RequestState,
  type RequirementSummary,
  recordedIdentity,
  tokenRecord,
} from '../requests/index.js';
import { DecisionErrorCode } from './errors.js';

/** Input of {@link decide}: hostile, checked field by field; unknown fields are refused. */
export interface DecideInput {
  readonly requestId: string;
  /** The reviewer's bearer token (recorded as evidence, never itself). */
  readonly token: string;
  readonly decision: 'approve' | 'reject';
  /** The evidence digests as displayed to the reviewer when they decided. */
  readonly evidence: EvidenceDigestsInput;
  readonly comment?: string;
}

/** What a decision did, with what the promotion gate needs to run at once when `approvalsComplete`. */
export interface DecisionOutcome {
  readonly requestId: string;
  /** Log index of the `decision` record. */
  readonly index: number;
  readonly decision: 'approve' | 'reject';
  readonly identity: RecordedIdentity;
  readonly roles: readonly string[];
  readonly dev: boolean;
  /** The request's state after the decision. */
  readonly state: RequestState;
  /** True when this decision completed the approvals the request's class requires. */
  readonly approvalsComplete: boolean;
  readonly requirements: RequirementSummary;
  readonly request: ApprovalRequest;
}

const PROBLEM_CODES: Readonly<Record<DecisionProblem['kind'], DecisionErrorCode>> = {
  closed: DecisionErrorCode.RequestClosed,
  'own-request': DecisionErrorCode.OwnRequest,
  'already-decided': DecisionErrorCode.AlreadyDecided,
  'no-role': DecisionErrorCode.NoRole,
  'stale-evidence': DecisionErrorCode.StaleEvidence,
  'views-missing': DecisionErrorCode.ViewMissing,
};

/**
 * Records an approval or rejection. The token is verified; the roles come from its groups through the mapping of
 * the policy the request was classified with (re-read from the store and re-validated); then every rule is
 * checked (`decisionProblem`: open request, not the requester, one decision per identity, a docket role, evidence
 * as displayed equal to the request's, every required evidence served to this identity before). Any refusal is a
 * coded error and appends nothing. The decision record holds the identity (issuer, subject), roles and the
 * groups that gave them, the evidence as displayed, the comment and the token evidence (`dev: true` for dev tokens).
 *
 * @throws DocketError ERR_DECISION_*, ERR_IDENTITY_*, ERR_REQUEST_NOT_FOUND, ERR_APPROVAL_POLICY_UNREADABLE
 * @example
 * const outcome = await decide(ctx, { requestId, token, decision: 'approve', evidence: request.evidence });
 * if (outcome.approvalsComplete) await promote(outcome.request); // the next step, at once
 */
export async function decide(ctx: ApprovalsContext, input: DecideInput): Promise<DecisionOutcome> {
  const parsed = parseDecideInput(input);
  const who = await ctx.identity.verify(parsed.token);
  let recorded: DecisionPredicate | undefined;
  const policies = new Map<string, LoadedPolicy>();
  const entry = await appendToRequest(ctx, parsed.requestId, async (request) => {
    const digest = request.classification.policyDigest;
    const policy = policies.get(digest) ?? (await readPolicy(ctx.artefacts, digest));
    policies.set(digest, policy);
    recorded = decisionRecord(request, who, policy, parsed);
    const problem = decisionProblem(
      {
        request: { requestId: request.id, requester: request.requester, evidence: request.evidence },
        required: request.classification.approvalsRequired,
        state: request.state,
        priorDeciders: request.decisions.map((d) => d.identity),
        priorViews: request.views,
      },
      recorded,
    );
    if (problem !== undefined) throw refusal(request.id, problem);
    return {
      type: REQUEST_RECORD.decision,
      subject: [
        { name: `candidate:${modelVersionKey(request.candidate)}`, digest: request.candidate.artefactDigest },
        ...EVIDENCE_KINDS.map((kind) => ({ name: kind, digest: parsed.evidence[EVIDENCE_FIELDS[kind]] })),
      ],
      predicate: { ...recorded },
      keys: [
        { key: 'model', value: modelKey(request.candidate) },
        { key: 'model-version', value: modelVersionKey(request.candidate) },
      ],
    };
  });
  const d = recorded as DecisionPredicate;
  const after = await getRequest(ctx, parsed.requestId);
  return {
    requestId: parsed.requestId,
    index: entry.index,
    decision: d.decision,
    identity: d.identity,
    roles: d.roles,
    dev: d.dev,
    state: after.state,
    approvalsComplete: after.approvalsComplete,
    requirements: after.requirements,
    request: after,
  };
}

function decisionRecord(
  request: ApprovalRequest,
  who: VerifiedIdentity,
  loaded: LoadedPolicy,
  input: ParsedDecision,
): DecisionPredicate {
  const mapping = loaded.policy.identity.mapping;
  return {
    requestId: request.id,
    decision: input.decision,
    identity: recordedIdentity(who),
    roles: [...rolesForGroups(loaded.policy, who.groups)],
    groups: [...new Set(who.groups.filter((g) => Object.hasOwn(mapping, g)))].sort(),
    policyDigest: loaded.digest as DecisionPredicate['policyDigest'],
    evidence: input.evidence,
    comment: input.comment,
    token: tokenRecord(who),
    dev: who.dev,
  };
}

function refusal(requestId: string, problem: DecisionProblem): DocketError {
  const details: Record<string, unknown> = { requestId, rule: problem.kind };
  if (problem.kind === 'closed') details.state = problem.state;
  if (problem.kind === 'stale-evidence') details.differing = problem.differing;
  if (problem.kind === 'views-missing') details.missing = problem.missing;
  return new DocketError(PROBLEM_CODES[problem.kind], `decision refused: ${problem.message}`, { details });
}

interface ParsedDecision {
  readonly requestId: string;
  readonly token: string;
  readonly decision: 'approve' | 'reject';
  readonly evidence: EvidenceDigests;
  readonly comment: string | null;
}

function parseDecideInput(input: DecideInput): ParsedDecision {
  const invalid = (why: string, cause?: unknown): never => {
    throw new DocketError(DecisionErrorCode.Invalid, `decision refused: ${why}`, { cause });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return invalid('the input must be an object');
  const allowed = ['requestId', 'token', 'decision', 'evidence', 'comment'];
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) invalid(`unknown field ${JSON.stringify(key.slice(0, 64))}`);
  }
  if (input.decision !== 'approve' && input.decision !== 'reject')
    invalid('decision must be approve or reject');
  if (typeof input.token !== 'string') invalid('a bearer token is required');
  try {
    return {
      requestId: parseRequestId(input.requestId),
      token: input.token,
      decision: input.decision,
      evidence: parseEvidenceDigests(input.evidence, 'evidence as displayed'),
      comment: parseText(input.comment, 'comment'),
    };
  } catch (err) {
    if (isDocketError(err, RequestErrorCode.Invalid)) return invalid(err.message, err);
    throw err;
  }
}
