import { DocketError } from '../errors/index.js';
import { RegistryErrorCode } from './errors.js';
import type { CallOptions, LegacyStage, LegacyStages, ModelRegistry } from './model-registry.js';
import { checkAlias, parseStage } from './names.js';

/** What a promotion moves: an alias (the default, e.g. `champion`) or, where configured, a legacy stage. */
export type PromotionTarget =
  | { readonly kind: 'alias'; readonly alias: string }
  | { readonly kind: 'stage'; readonly stage: LegacyStage };

/** A target's pointer on one model: which version it designates now. */
export interface TargetAssignment {
  readonly model: string;
  readonly version: string;
}

/**
 * Parses `alias:<name>` or `stage:<Stage>` (a plain name is an alias), as found in configuration.
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 * @example
 * parsePromotionTarget('champion');         // { kind: 'alias', alias: 'champion' }
 * parsePromotionTarget('stage:Production'); // { kind: 'stage', stage: 'Production' }
 */
export function parsePromotionTarget(text: string): PromotionTarget {
  if (typeof text === 'string' && text.startsWith('stage:'))
    return { kind: 'stage', stage: parseStage(text.slice(6)) };
  const alias = typeof text === 'string' && text.startsWith('alias:') ? text.slice(6) : text;
  checkAlias(alias);
  return { kind: 'alias', alias };
}

/** The version a target designates on a model, `undefined` when none. */
export async function currentTargetVersion(
  registry: ModelRegistry,
  model: string,
  target: PromotionTarget,
  options: CallOptions = {},
): Promise<string | undefined> {
  if (target.kind === 'alias') return registry.resolveAlias(model, target.alias, options);
  return stagesOf(registry).stageVersion(model, target.stage, options);
}

/**
 * Moves a target to a version. A stage move archives the versions that held that stage, so that the stage, like an
 * alias, designates one version afterwards.
 */
export async function moveTarget(
  registry: ModelRegistry,
  model: string,
  target: PromotionTarget,
  version: string,
  options: CallOptions = {},
): Promise<void> {
  if (target.kind === 'alias') return registry.setAlias(model, target.alias, version, options);
  const archiveExisting = target.stage === 'Staging' || target.stage === 'Production';
  return stagesOf(registry).transitionStage(model, version, target.stage, { ...options, archiveExisting });
}

/** Every model's version for a target (for reconcile), sorted by model. */
export async function listTargetAssignments(
  registry: ModelRegistry,
  target: PromotionTarget,
  options: CallOptions = {},
): Promise<TargetAssignment[]> {
  if (target.kind === 'alias') {
    const all = await registry.listAliases(options);
    return all.filter((a) => a.alias === target.alias).map(({ model, version }) => ({ model, version }));
  }
  const all = await stagesOf(registry).listStages(options);
  return all.filter((s) => s.stage === target.stage).map(({ model, version }) => ({ model, version }));
}

function stagesOf(registry: ModelRegistry): LegacyStages {
  if (registry.stages === undefined) {
    throw new DocketError(
      RegistryErrorCode.Unsupported,
      `registry ${registry.id} is not configured for legacy stages; promote with an alias`,
      { details: { registry: registry.id } },
    );
  }
  return registry.stages;
}
