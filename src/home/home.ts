import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ApprovalsContext } from '../approvals/requests/index.js';
import { type ArtefactStore, openFsArtefactStore } from '../artefacts/index.js';
import { DocketError } from '../errors/index.js';
import type { IdentityVerifier } from '../identity/index.js';
import {
  generateSigner,
  readSignerKeyFile,
  readVerifierKeyFile,
  type Signer,
  type Verifier,
  writeSignerKeyFile,
  writeVerifierKeyFile,
} from '../keys/index.js';
import { Ledger } from '../ledger/index.js';
import type { PromotionContext } from '../promotion/index.js';
import { type ModelRegistry, mlflowAuthorizationFromEnv, openRegistry } from '../registries/index.js';
import { type DocketConfig, defaultConfig, parseConfig } from './config.js';
import { HomeErrorCode } from './errors.js';
import { DEFAULT_AUDIENCE, defaultIdentityConfig, identityVerifierFor } from './identity-config.js';
import { type LogStoreConfig, openLogStore } from './log-store-config.js';
import { type HomeRegistryConfig, parseHomeRegistryConfig } from './registry-config.js';

export const CONFIG_FILE = 'config.json';

/** An open docket home: its configuration, the ledger and the artefact store. Close it when done. */
export interface Docket {
  home: string;
  config: DocketConfig;
  ledger: Ledger;
  artefacts: ArtefactStore;
  /** Verifies bearer tokens from the configured OpenID Providers (and dev tokens, only when enabled). */
  identity: IdentityVerifier;
  /** What the approvals library needs: ledger, artefact store, identity verifier. */
  approvals: ApprovalsContext;
  /** config.json `registry`: which registry promotions move, its name in requests, and the target. */
  registryConfig: HomeRegistryConfig;
  /** The configured model registry, opened on first use (the local one creates `registry.db` in the home). */
  readonly registry: ModelRegistry;
  /** What the promotion library needs: approvals context, registry, its name and target. */
  readonly promotion: PromotionContext;
  close(): Promise<void>;
}

/** Where the home is: an explicit path, else DOCKET_HOME, else ./.docket. */
export function resolveHome(explicit?: string): string {
  return resolve(explicit ?? process.env.DOCKET_HOME ?? '.docket');
}

/**
 * Creates a docket home: config, a fresh Ed25519 ledger key (0600) named after the log's origin, an empty
 * ledger with its size-0 checkpoint, and an empty artefact store. Refuses to touch a non-empty directory.
 */
export async function initHome(
  home: string,
  options: { origin?: string; devIdentity?: boolean; store?: LogStoreConfig } = {},
): Promise<DocketConfig> {
  if (existsSync(home) && readdirSync(home).length > 0) {
    throw new DocketError(
      HomeErrorCode.Exists,
      `${home} already exists and is not empty; refusing to overwrite`,
      {
        details: { home },
      },
    );
  }
  const origin = options.origin ?? `docket.local/ledger-${randomBytes(4).toString('hex')}`;
  const signer = generateSigner(origin);
  const config = defaultConfig(origin);
  if (options.store !== undefined) config.log.store = options.store;
  // The embedded demo's dev identity is on only when asked for explicitly; it is never a default.
  if (options.devIdentity === true) {
    config.identity = { audience: DEFAULT_AUDIENCE, oidc: [], dev: { enabled: true } };
  }
  mkdirSync(join(home, 'keys'), { recursive: true, mode: 0o700 });
  writeSignerKeyFile(inHome(home, config.keys.ledger), signer);
  writeVerifierKeyFile(inHome(home, config.keys.verifiers[0] as string), signer);
  await openFsArtefactStore(inHome(home, config.artefacts.path), { create: true });
  const store = await openLogStore(
    home,
    config.log.store,
    { create: true },
    configFail(join(home, CONFIG_FILE)),
  );
  try {
    await new Ledger({ store, signer }).initialise();
  } finally {
    await store.close();
  }
  writeFileSync(join(home, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
  return config;
}

/** Opens an existing home. `readonly` opens the ledger without writing (for verification and queries). */
export async function openHome(home: string, options: { readonly?: boolean } = {}): Promise<Docket> {
  const configPath = join(home, CONFIG_FILE);
  if (!existsSync(configPath)) {
    throw new DocketError(
      HomeErrorCode.NotFound,
      `no docket home at ${home} (run docket init, or set DOCKET_HOME)`,
      {
        details: { home },
      },
    );
  }
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (cause) {
    throw new DocketError(
      HomeErrorCode.ConfigInvalid,
      `${configPath}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`,
      {
        details: { source: configPath },
        cause,
      },
    );
  }
  const config = parseConfig(text, configPath);
  // Read-only use (verification, queries, audit) needs no private key: an auditor may have only the public one.
  const signer: Signer | undefined =
    options.readonly === true ? undefined : readSignerKeyFile(inHome(home, config.keys.ledger));
  const verifiers: Verifier[] = config.keys.verifiers.map((p) => readVerifierKeyFile(inHome(home, p)));
  const store = await openLogStore(home, config.log.store, options, configFail(configPath));
  const ledger = new Ledger({
    store,
    origin: config.log.origin,
    verifiers,
    ...(signer === undefined ? {} : { signer }),
  });
  const artefacts = await openFsArtefactStore(inHome(home, config.artefacts.path));
  const identity = identityVerifierFor(home, config.identity ?? defaultIdentityConfig());
  const approvals: ApprovalsContext = { ledger, artefacts, identity };
  // Already checked by parseConfig; parsed again here into what promotion uses.
  const registryConfig = parseHomeRegistryConfig(config.registry, configPath, configFail(configPath));
  // Opened on first use, so that commands which never touch the registry never create registry.db or need MLflow.
  let registry: ModelRegistry | undefined;
  const openedRegistry = (): ModelRegistry => {
    const authorization = mlflowAuthorizationFromEnv(process.env);
    registry ??= openRegistry(registryConfig.registry, {
      home,
      artefacts,
      ...(authorization === undefined ? {} : { authorization }),
    });
    return registry;
  };
  return {
    home,
    config,
    ledger,
    artefacts,
    identity,
    approvals,
    registryConfig,
    get registry() {
      return openedRegistry();
    },
    get promotion(): PromotionContext {
      return {
        approvals,
        registry: openedRegistry(),
        registryName: registryConfig.name,
        target: registryConfig.target,
      };
    },
    async close() {
      try {
        await registry?.close();
      } finally {
        await store.close();
      }
    },
  };
}

function configFail(source: string): (why: string) => never {
  return (why) => {
    throw new DocketError(HomeErrorCode.ConfigInvalid, `${source}: ${why}`, { details: { source } });
  };
}

function inHome(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}
