import type { ApprovalsRequired } from '../approvals/classifier/index.js';
import { type LoadedPolicy, rolesForGroups } from '../approvals/policy/index.js';
import { readPolicy } from '../approvals/policy-activation/index.js';
import {
  type ApprovalRequest,
  type ApprovalsContext,
  type CountedApprover,
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  evaluateRequirements,
} from '../approvals/requests/index.js';
import { ArtefactErrorCode, type ArtefactStore } from '../artefacts/index.js';
import { canonicalJson, type Digest } from '../digest/index.js';
import { DocketError, isDocketError } from '../errors/index.js';
import {
  currentTargetVersion,
  type FrozenArtefact,
  frozenDigest,
  type ModelRegistry,
  type PromotionTarget,
} from '../registries/index.js';
import type { PromotionContext } from './context.js';
import { PromotionErrorCode } from './errors.js';
import { type DecisionRef, targetLabel } from './records.js';

/**
 * The request is approved, and its approvals satisfy its class under the policy it was classified with: the policy
 * is re-read from the store by digest (re-hashed and re-validated), its rule for the class must be the requirement
 * the classification recorded, and the approvers' roles, re-derived from the groups each decision recorded, must
 * complete it. Returns the policy and the approvals the promotion rests on.
 *
 * @throws DocketError ERR_PROMOTION_NOT_APPROVED, ERR_PROMOTION_APPROVALS_INSUFFICIENT, ERR_APPROVAL_POLICY_UNREADABLE
 */
export async function checkApprovals(
  approvals: ApprovalsContext,
  request: ApprovalRequest,
): Promise<{ policy: LoadedPolicy; decisions: DecisionRef[] }> {
  if (request.state !== 'approved') {
    throw new DocketError(
      PromotionErrorCode.NotApproved,
      `request ${request.id} is ${request.state}, not approved${
        request.requirements.missing.length > 0 ? `: ${request.requirements.missing.join('; ')}` : ''
      }`,
      { details: { requestId: request.id, state: request.state, missing: request.requirements.missing } },
    );
  }
  const { classification } = request;
  const policy = await readPolicy(approvals.artefacts, classification.policyDigest);
  const required = requirementOf(policy, classification.class);
  const insufficient = (why: string, missing: readonly string[]): never => {
    throw new DocketError(PromotionErrorCode.ApprovalsInsufficient, `request ${request.id}: ${why}`, {
      details: { requestId: request.id, policyDigest: policy.digest, missing },
    });
  };
  if (canonicalJson(required) !== canonicalJson(classification.approvalsRequired)) {
    insufficient(
      `the approvals recorded as required differ from class ${classification.class} of policy ${policy.digest}`,
      [],
    );
  }
  const decisions: DecisionRef[] = [];
  const approvers: CountedApprover[] = [];
  for (const d of request.decisions) {
    if (!d.counted || d.decision !== 'approve') continue;
    const entry = await approvals.ledger.readEntry(d.index);
    const groups = entry.statement.predicate.groups;
    const roles = Array.isArray(groups)
      ? rolesForGroups(
          policy.policy,
          groups.filter((g): g is string => typeof g === 'string'),
        )
      : [];
    approvers.push({ identity: d.identity, roles });
    decisions.push({
      index: d.index,
      leafHash: entry.leafHash,
      identity: d.identity,
      roles: d.roles,
      dev: d.dev,
    });
  }
  const summary = evaluateRequirements(required, approvers);
  if (!summary.complete) {
    insufficient(
      `under policy ${policy.digest} the approvals fall short: ${summary.missing.join('; ')}`,
      summary.missing,
    );
  }
  return { policy, decisions };
}

/** What a policy's class rule requires, in the shape the classifier records (`approvalsFor` in classify-change.ts). */
function requirementOf(loaded: LoadedPolicy, materiality: 1 | 2 | 3): ApprovalsRequired {
  const rule = loaded.policy.classes[materiality];
  return {
    approvers: rule.approvers,
    requiredRoles: rule.requiredRoles,
    ...(rule.committee === undefined ? {} : { committee: rule.committee }),
    evidence: rule.evidence,
    separationOfDuties: loaded.policy.separationOfDuties,
  };
}

/**
 * Every evidence artefact of the request still resolves in the artefact store: each is read to the end and
 * re-hashed (the store verifies while streaming). All are checked; the error names every missing or changed one.
 *
 * @throws DocketError ERR_PROMOTION_EVIDENCE_CHANGED (some bytes changed), ERR_PROMOTION_EVIDENCE_MISSING
 */
export async function checkEvidence(artefacts: ArtefactStore, request: ApprovalRequest): Promise<void> {
  const missing: { field: string; digest: Digest }[] = [];
  const changed: { field: string; digest: Digest }[] = [];
  for (const kind of EVIDENCE_KINDS) {
    const field = EVIDENCE_FIELDS[kind];
    const digest = request.evidence[field];
    try {
      for await (const _ of await artefacts.get(digest)) {
        // Read to the end: the store's verifying stream errors on bytes that no longer hash to `digest`.
      }
    } catch (err) {
      if (isDocketError(err, ArtefactErrorCode.NotFound))
        missing.push({ field: `evidence.${field}`, digest });
      else if (isDocketError(err, ArtefactErrorCode.Corrupt))
        changed.push({ field: `evidence.${field}`, digest });
      else throw err;
    }
  }
  const list = (items: { field: string; digest: Digest }[]): string =>
    items.map((i) => `${i.field} ${i.digest}`).join(', ');
  if (changed.length > 0) {
    throw new DocketError(
      PromotionErrorCode.EvidenceChanged,
      `request ${request.id}: evidence no longer hashes to the digest approved: ${list(changed)}${
        missing.length > 0 ? `; missing: ${list(missing)}` : ''
      }`,
      { details: { requestId: request.id, changed, missing } },
    );
  }
  if (missing.length > 0) {
    throw new DocketError(
      PromotionErrorCode.EvidenceMissing,
      `request ${request.id}: evidence is no longer in the artefact store: ${list(missing)}`,
      { details: { requestId: request.id, missing, changed } },
    );
  }
}

/**
 * The target still points at the champion the comparison was made against.
 *
 * @throws DocketError ERR_PROMOTION_CHAMPION_MOVED, ERR_REGISTRY_*
 */
export async function checkChampion(
  registry: ModelRegistry,
  model: string,
  target: PromotionTarget,
  expected: string,
): Promise<void> {
  const actual = await currentTargetVersion(registry, model, target);
  if (actual !== expected) {
    throw new DocketError(
      PromotionErrorCode.ChampionMoved,
      `${model} ${targetLabel(target)} points at ${actual === undefined ? 'no version' : `version ${actual}`}, not at version ${expected} the comparison was made against: a new comparison is required`,
      { details: { model, target: targetLabel(target), expected, actual: actual ?? null } },
    );
  }
}

/**
 * The candidate is registered and ready, and its bytes, fetched from the registry and digested by docket, hash to
 * the artefact digest the request was approved on.
 *
 * @throws DocketError ERR_PROMOTION_CANDIDATE_NOT_READY, ERR_PROMOTION_ARTEFACT_MISMATCH, ERR_REGISTRY_*
 */
export async function checkCandidate(
  ctx: PromotionContext,
  candidate: { model: string; version: string; artefactDigest: Digest },
): Promise<FrozenArtefact> {
  const { model, version, artefactDigest } = candidate;
  const registered = await ctx.registry.getVersion(model, version);
  if (registered.status !== 'ready') {
    throw new DocketError(
      PromotionErrorCode.CandidateNotReady,
      `${model} version ${version} is ${registered.status} in registry ${ctx.registry.id}`,
      { details: { model, version, status: registered.status } },
    );
  }
  const frozen = await frozenDigest(ctx.registry, model, version, ctx.fetch ?? {});
  if (frozen.digest !== artefactDigest) {
    throw new DocketError(
      PromotionErrorCode.ArtefactMismatch,
      `${model} version ${version}: the registry's bytes hash to ${frozen.digest}, not ${artefactDigest} as approved`,
      { details: { model, version, expected: artefactDigest, actual: frozen.digest } },
    );
  }
  return frozen;
}
