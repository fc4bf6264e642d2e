import type { EntryRef } from '../approvals/requests/index.js';
import { moveTarget, type PromotionTarget } from '../registries/index.js';
import { DOCKET_VERSION } from '../version.js';
import { type AttestedTarget, readLedgerTargets, targetKey } from './attested-targets.js';
import type { PromotionContext } from './context.js';
import { type TransitionOutcome, type TransitionPredicate, targetLabel } from './records.js';
import { transitionError, transitionRecord } from './transition.js';

/** Options of {@link reconcile}. */
export interface ReconcileOptions {
  /** Restore each unexplained target to its last attested version, recording a `reconcile` transition. */
  readonly enforce?: boolean;
  /** Only these models (default: every model of the registry). */
  readonly models?: readonly string[];
}

/**
 * A target no applied promotion explains. `unattested`: the registry shows a version the ledger does not attest
 * (moved by hand, or never promoted through docket); `missing`: the ledger attests a version and the target is
 * unset; `transition-pending`: the registry shows the candidate of a promotion event whose transition was never
 * recorded (complete it with `promote --resume`, which reconcile never undoes).
 */
export interface ReconcileFinding {
  readonly kind: 'unattested' | 'missing' | 'transition-pending';
  readonly model: string;
  readonly target: PromotionTarget;
  /** The version the registry shows (null: the target is unset). */
  readonly found: string | null;
  /** The last attested version and the promotion event behind it (null: the ledger attests none). */
  readonly attested: AttestedTarget | null;
  /** For `transition-pending`: the request whose promotion to resume. */
  readonly pendingRequestId?: string;
  /** With `enforce`: the restore's transition, or why there was none. */
  readonly enforcement?:
    | {
        readonly outcome: Exclude<TransitionOutcome, 'applied-observed'>;
        readonly transition: EntryRef;
        readonly error: TransitionPredicate['error'];
      }
    | { readonly outcome: 'skipped'; readonly reason: string };
}

/** What reconcile compared and found. */
export interface ReconcileReport {
  readonly registry: string;
  readonly registryId: string;
  /** Targets compared (registry assignments and attested targets, counted once each). */
  readonly checked: number;
  readonly findings: readonly ReconcileFinding[];
  readonly enforced: boolean;
  /** True when no finding is left unresolved (none found, or every one restored). */
  readonly ok: boolean;
}

/**
 * Compares every alias (and, on a registry configured for them, every legacy stage but None and Archived) of the
 * registry with the ledger and reports each target that no applied promotion explains (DESIGN.md "Failure
 * semantics"). With `enforce`, restores each to its last attested version and records a `transition` with reason
 * `reconcile` naming the event that attests it (not chained into the request's history: the request is closed).
 * MLflow keeps no alias history, so reconcile is how a change made behind docket's back becomes visible.
 *
 * @throws DocketError ERR_REGISTRY_* when the registry cannot be listed, ERR_PROMOTION_RECORD_MALFORMED, ERR_LEDGER_*
 * @example
 * const report = await reconcile(docket.promotion, { enforce: true });
 * report.findings.map((f) => `${f.model} ${f.found} -> ${f.attested?.version}`);
 */
export async function reconcile(
  ctx: PromotionContext,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const { registry, registryName } = ctx;
  const inScope = (model: string): boolean => options.models === undefined || options.models.includes(model);
  const shown = new Map<string, { model: string; target: PromotionTarget; version: string }>();
  for (const a of await registry.listAliases()) {
    if (inScope(a.model))
      shown.set(targetKey(a.model, { kind: 'alias', alias: a.alias }), {
        model: a.model,
        target: { kind: 'alias', alias: a.alias },
        version: a.version,
      });
  }
  // Archived is where a stage move puts the previous holder; None is no stage at all. Neither is a promotion.
  for (const s of (await registry.stages?.listStages()) ?? []) {
    if (!inScope(s.model) || s.stage === 'Archived' || s.stage === 'None') continue;
    shown.set(targetKey(s.model, { kind: 'stage', stage: s.stage }), {
      model: s.model,
      target: { kind: 'stage', stage: s.stage },
      version: s.version,
    });
  }
  const ledgerTargets = await readLedgerTargets(
    ctx.approvals.ledger,
    { name: registryName, id: registry.id },
    options.models,
  );
  const findings: ReconcileFinding[] = [];
  for (const [key, s] of shown) {
    const attested = ledgerTargets.attested.get(key) ?? null;
    if (attested?.version === s.version) continue;
    const pending = ledgerTargets.pending.find(
      (p) => targetKey(p.model, p.target) === key && p.version === s.version,
    );
    findings.push({
      kind: pending === undefined ? 'unattested' : 'transition-pending',
      model: s.model,
      target: s.target,
      found: s.version,
      attested,
      ...(pending === undefined ? {} : { pendingRequestId: pending.requestId }),
    });
  }
  for (const [key, attested] of ledgerTargets.attested) {
    if (shown.has(key) || !inScope(attested.model)) continue;
    findings.push({ kind: 'missing', model: attested.model, target: attested.target, found: null, attested });
  }
  const checked = new Set([...shown.keys(), ...ledgerTargets.attested.keys()]).size;
  if (options.enforce !== true) {
    return {
      registry: registryName,
      registryId: registry.id,
      checked,
      findings,
      enforced: false,
      ok: findings.length === 0,
    };
  }
  const enforced: ReconcileFinding[] = [];
  for (const finding of findings) enforced.push({ ...finding, enforcement: await enforce(ctx, finding) });
  const ok = enforced.every((f) => f.enforcement?.outcome === 'applied');
  return { registry: registryName, registryId: registry.id, checked, findings: enforced, enforced: true, ok };
}

async function enforce(
  ctx: PromotionContext,
  finding: ReconcileFinding,
): Promise<NonNullable<ReconcileFinding['enforcement']>> {
  const { attested } = finding;
  if (finding.kind === 'transition-pending') {
    return {
      outcome: 'skipped',
      reason: `a promotion is pending: run docket promote --resume ${finding.pendingRequestId}`,
    };
  }
  if (attested === null) {
    return {
      outcome: 'skipped',
      reason: `the ledger attests no version of ${finding.model} ${targetLabel(finding.target)}`,
    };
  }
  let outcome: 'applied' | 'failed' = 'applied';
  let error: TransitionPredicate['error'] = null;
  try {
    await moveTarget(ctx.registry, attested.model, attested.target, attested.version);
  } catch (err) {
    outcome = 'failed';
    error = transitionError(err);
  }
  const predicate: TransitionPredicate = {
    requestId: attested.requestId,
    reason: 'reconcile',
    outcome,
    error,
    registry: ctx.registryName,
    registryId: ctx.registry.id,
    model: attested.model,
    target: attested.target,
    fromVersion: finding.found,
    toVersion: attested.version,
    promotion: attested.promotion,
    docketVersion: DOCKET_VERSION,
  };
  const [entry] = await ctx.approvals.ledger.append([
    transitionRecord(predicate, null, attested.artefactDigest),
  ]);
  const at = entry as { index: number; leafHash: string };
  return { outcome, transition: { index: at.index, leafHash: at.leafHash }, error };
}
