import type { ApprovalsContext } from '../approvals/requests/index.js';
import type { FetchOptions, ModelRegistry, PromotionTarget } from '../registries/index.js';

/** The target a promotion moves when the configuration names none: the `champion` alias. */
export const DEFAULT_PROMOTION_TARGET: PromotionTarget = Object.freeze({ kind: 'alias', alias: 'champion' });

/**
 * What promotion needs: the approvals context (ledger, artefact store, identity verifier, clock), the model
 * registry it moves, the registry's name as requests spell it (`candidate.registry`), and the alias or stage a
 * promotion moves.
 *
 * @example
 * const ctx: PromotionContext = { approvals, registry, registryName: 'local', target: DEFAULT_PROMOTION_TARGET };
 */
export interface PromotionContext {
  readonly approvals: ApprovalsContext;
  readonly registry: ModelRegistry;
  /** `local`, `mlflow`, `mlflow-prod`...: requests whose candidate names another registry are refused. */
  readonly registryName: string;
  readonly target: PromotionTarget;
  /** Where and how much to fetch when digesting a candidate's bytes (default: the OS temp directory). */
  readonly fetch?: Omit<FetchOptions, 'signal'>;
}
