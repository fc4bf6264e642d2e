import { isDocketError } from '../errors/index.js';
import {
  LOCAL_REGISTRY_ID,
  type PromotionTarget,
  parsePromotionTarget,
  parseRegistryConfig,
  type RegistryConfig,
} from '../registries/index.js';

/** The registry name requests use for an MLflow registry when config.json names none. */
export const DEFAULT_MLFLOW_REGISTRY_NAME = 'mlflow';

// Same rule as a request's `candidate.registry` (approvals/requests/request-input.ts).
const REGISTRY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * config.json `registry`: which registry docket promotes in (`registries/open-registry.ts`), plus what promotion
 * needs around it: `target`, the alias (`champion`, the default) or `stage:<Stage>` a promotion moves, and `name`,
 * the registry's name in requests (`local` for the local registry; `mlflow` unless given for MLflow).
 *
 * @example
 * { "kind": "mlflow", "trackingUri": "http://mlflow:5000", "target": "champion", "name": "mlflow-prod" }
 */
export interface HomeRegistryConfig {
  readonly registry: RegistryConfig;
  readonly name: string;
  readonly target: PromotionTarget;
  /** The text of `target` as written (kept so the config round-trips). */
  readonly targetText: string;
}

/** config.json `registry` as written: a registry configuration with an optional `target` and `name`. */
export type RegistryConfigEntry = RegistryConfig & { readonly target?: string; readonly name?: string };

type Fail = (why: string, cause?: unknown) => never;

/** The registry of a home whose config.json has no `registry`: the local one, moving the `champion` alias. */
export function defaultRegistryConfig(): HomeRegistryConfig {
  return {
    registry: { kind: 'local' },
    name: LOCAL_REGISTRY_ID,
    target: { kind: 'alias', alias: 'champion' },
    targetText: 'champion',
  };
}

/** Parses config.json's `registry` as hostile input (absent: {@link defaultRegistryConfig}). */
export function parseHomeRegistryConfig(value: unknown, source: string, fail: Fail): HomeRegistryConfig {
  if (value === undefined) return defaultRegistryConfig();
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('registry must be an object');
  const { target, name, ...rest } = value as Record<string, unknown>;
  const targetText = target === undefined ? 'champion' : target;
  if (typeof targetText !== 'string') return fail('registry.target must be an alias or stage:<Stage>');
  try {
    const registry = parseRegistryConfig(rest, source);
    if (registry.kind === 'local' && name !== undefined && name !== LOCAL_REGISTRY_ID) {
      fail(`registry.name of the local registry is ${LOCAL_REGISTRY_ID}`);
    }
    const chosen = name ?? (registry.kind === 'local' ? LOCAL_REGISTRY_ID : DEFAULT_MLFLOW_REGISTRY_NAME);
    if (typeof chosen !== 'string' || !REGISTRY_NAME.test(chosen)) {
      fail('registry.name must be 1-64 of a-z 0-9 . _ - (as requests spell the registry)');
    }
    const parsedTarget = parsePromotionTarget(targetText);
    if (parsedTarget.kind === 'stage' && (registry.kind !== 'mlflow' || registry.legacyStages !== true)) {
      fail('registry.target is a legacy stage: only an MLflow registry with legacyStages: true has them');
    }
    return { registry, name: chosen as string, target: parsedTarget, targetText };
  } catch (err) {
    if (isDocketError(err) && err.code.startsWith('ERR_REGISTRY_')) return fail(err.message, err);
    throw err;
  }
}

/** The entry config.json holds for a parsed registry configuration (what was given, checked). */
export function registryConfigEntry(value: unknown, parsed: HomeRegistryConfig): RegistryConfigEntry {
  const given = value as { target?: unknown; name?: unknown };
  return {
    ...parsed.registry,
    ...(given.target === undefined ? {} : { target: parsed.targetText }),
    ...(given.name === undefined ? {} : { name: parsed.name }),
  };
}
