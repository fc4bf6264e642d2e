import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer } from '../../../keys/index.js';
import { Ledger } from '../../../ledger/index.js';
import { SqliteLogStore } from '../../../ledger/sqlite/index.js';
import { sampleRecord } from '../../../ledger/test-support/temp-ledger.js';

/** A ledger in its own temporary database, signed by a given key (to rebuild a log "wholesale" with it). */
export interface LedgerWithKey {
  ledger: Ledger;
  store: SqliteLogStore;
  dir: string;
  cleanup(): Promise<void>;
}

/** A fresh log signed by `signer`, with one append per item of `batches` (each a list of record names). */
export async function ledgerWithKey(
  signer: Signer,
  batches: readonly (readonly string[])[],
): Promise<LedgerWithKey> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-anchor-ledger-'));
  const store = SqliteLogStore.open(join(dir, 'ledger.db'), { create: true });
  const ledger = new Ledger({ store, signer });
  await ledger.initialise();
  for (const batch of batches) await ledger.append(batch.map((name) => sampleRecord(name)));
  return {
    ledger,
    store,
    dir,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `n` single-record batches named `<prefix>0`…. */
export function singles(prefix: string, n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [`${prefix}${i}`]);
}
