import { join } from 'node:path';
import type { ArtefactStore } from '../artefacts/index.js';
import { DocketError } from '../errors/index.js';
import { RegistryErrorCode } from './errors.js';
import { LOCAL_REGISTRY_FILE, LocalRegistry } from './local/index.js';
import { MlflowRegistry } from './mlflow/index.js';
import type { ModelRegistry } from './model-registry.js';

/** Which registry docket promotes in, as written in the home's configuration. */
export type RegistryConfig =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'mlflow';
      readonly trackingUri: string;
      readonly legacyStages?: boolean;
      readonly timeoutMs?: number;
    };

/**
 * Parses a registry configuration as hostile input: unknown fields and wrong types are refused.
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT` naming `source` and the field.
 * @example
 * parseRegistryConfig({ kind: 'mlflow', trackingUri: 'http://mlflow:5000' }, 'config.json');
 */
export function parseRegistryConfig(value: unknown, source: string): RegistryConfig {
  const fail = (why: string): never => {
    throw new DocketError(RegistryErrorCode.InvalidArgument, `${source}: registry ${why}`, {
      details: { source },
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object');
  const record = value as Record<string, unknown>;
  const allowed = record.kind === 'mlflow' ? ['kind', 'trackingUri', 'legacyStages', 'timeoutMs'] : ['kind'];
  for (const key of Object.keys(record))
    if (!allowed.includes(key)) fail(`has unknown field ${JSON.stringify(key)}`);
  if (record.kind === 'local') return { kind: 'local' };
  if (record.kind !== 'mlflow') return fail('kind must be "local" or "mlflow"');
  if (typeof record.trackingUri !== 'string' || record.trackingUri === '')
    fail('trackingUri must be a string');
  if (record.legacyStages !== undefined && typeof record.legacyStages !== 'boolean')
    fail('legacyStages must be a boolean');
  const timeout = record.timeoutMs;
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout <= 0)
  ) {
    fail('timeoutMs must be a positive integer');
  }
  return {
    kind: 'mlflow',
    trackingUri: record.trackingUri as string,
    ...(record.legacyStages === undefined ? {} : { legacyStages: record.legacyStages as boolean }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout as number }),
  };
}

/** What opening a registry needs besides its configuration. */
export interface OpenRegistryContext {
  /** The docket home: the local registry is `registry.db` in it. */
  readonly home: string;
  /** docket's artefact store, for local versions registered by digest. */
  readonly artefacts?: ArtefactStore;
  /** Authorization header value for MLflow (see {@link mlflowAuthorizationFromEnv}). */
  readonly authorization?: string;
}

/**
 * Opens the configured registry; the local one is created on first use.
 *
 * @example
 * const registry = openRegistry({ kind: 'local' }, { home, artefacts });
 */
export function openRegistry(config: RegistryConfig, context: OpenRegistryContext): ModelRegistry {
  if (config.kind === 'local') {
    return LocalRegistry.open(join(context.home, LOCAL_REGISTRY_FILE), {
      create: true,
      ...(context.artefacts === undefined ? {} : { artefacts: context.artefacts }),
    });
  }
  return new MlflowRegistry({
    trackingUri: config.trackingUri,
    ...(config.legacyStages === undefined ? {} : { legacyStages: config.legacyStages }),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    ...(context.authorization === undefined ? {} : { authorization: context.authorization }),
  });
}

/**
 * The Authorization header MLflow's own client would send, from the same environment variables:
 * `MLFLOW_TRACKING_TOKEN` (bearer), else `MLFLOW_TRACKING_USERNAME` + `MLFLOW_TRACKING_PASSWORD` (basic).
 */
export function mlflowAuthorizationFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token !== undefined && token !== '') return `Bearer ${token}`;
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (user !== undefined && user !== '' && password !== undefined) {
    return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  return undefined;
}
