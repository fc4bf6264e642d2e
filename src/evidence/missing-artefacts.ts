import type { ArtefactStore } from '../artefacts/index.js';
import { parseDigest } from '../digest/index.js';
import type { Ledger } from '../ledger/index.js';

/** An artefact the ledger recorded whose bytes the store no longer has. */
export interface MissingArtefact {
  index: number;
  digest: string;
  name: string;
  kind: string;
}

/**
 * Evidence deleted from the store is as broken as evidence changed: fsck of the blobs alone cannot see a blob that
 * is gone, so this walks every `artefact` record of the ledger and asks the store for its digest.
 */
export async function missingRecordedArtefacts(
  ledger: Ledger,
  store: ArtefactStore,
): Promise<MissingArtefact[]> {
  const missing: MissingArtefact[] = [];
  for (const index of await ledger.find('type', 'artefact')) {
    const entry = await ledger.readEntry(index);
    const subject = entry.statement.subject[0];
    if (subject === undefined) continue;
    const digest = parseDigest(`sha256:${subject.digest.sha256}`);
    if (!(await store.has(digest))) {
      const p = entry.statement.predicate as { name?: unknown; kind?: unknown };
      missing.push({ index, digest, name: String(p.name ?? subject.name), kind: String(p.kind ?? 'other') });
    }
  }
  return missing;
}
