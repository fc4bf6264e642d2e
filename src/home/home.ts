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
import { SqliteLogStore } from '../ledger/sqlite/index.js';
import { type DocketConfig, defaultConfig, parseConfig } from './config.js';
import { HomeErrorCode } from './errors.js';
import { DEFAULT_AUDIENCE, defaultIdentityConfig, identityVerifierFor } from './identity-config.js';

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
  options: { origin?: string; devIdentity?: boolean } = {},
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
  // The embedded demo's dev identity is on only when asked for explicitly; it is never a default.
  if (options.devIdentity === true) {
    config.identity = { audience: DEFAULT_AUDIENCE, oidc: [], dev: { enabled: true } };
  }
  mkdirSync(join(home, 'keys'), { recursive: true, mode: 0o700 });
  writeSignerKeyFile(inHome(home, config.keys.ledger), signer);
  writeVerifierKeyFile(inHome(home, config.keys.verifiers[0] as string), signer);
  await openFsArtefactStore(inHome(home, config.artefacts.path), { create: true });
  const store = SqliteLogStore.open(inHome(home, config.log.store.path), { create: true });
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
  const config = parseConfig(readFileSync(configPath, 'utf8'), configPath);
  // Read-only use (verification, queries, audit) needs no private key: an auditor may have only the public one.
  const signer: Signer | undefined =
    options.readonly === true ? undefined : readSignerKeyFile(inHome(home, config.keys.ledger));
  const verifiers: Verifier[] = config.keys.verifiers.map((p) => readVerifierKeyFile(inHome(home, p)));
  const store = SqliteLogStore.open(inHome(home, config.log.store.path), options);
  const ledger = new Ledger({
    store,
    origin: config.log.origin,
    verifiers,
    ...(signer === undefined ? {} : { signer }),
  });
  const artefacts = await openFsArtefactStore(inHome(home, config.artefacts.path));
  const identity = identityVerifierFor(home, config.identity ?? defaultIdentityConfig());
  const approvals: ApprovalsContext = { ledger, artefacts, identity };
  return { home, config, ledger, artefacts, identity, approvals, close: () => store.close() };
}

function inHome(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}
