import type { Readable } from 'node:stream';
import type { ArtefactStore, ProgressCallback } from '../artefacts/index.js';
import type { Ledger } from '../ledger/index.js';
import {
  type ArtefactKind,
  type ArtefactPredicate,
  assertArtefactName,
  assertMediaType,
} from './artefact-record.js';

export type ArtefactSource =
  | { kind: 'file'; path: string }
  | { kind: 'directory'; path: string }
  | { kind: 'stream'; stream: Readable };

export interface RegisterArtefactInput {
  source: ArtefactSource;
  kind: ArtefactKind;
  name: string;
  mediaType?: string;
  registeredBy: ArtefactPredicate['registeredBy'];
  onProgress?: ProgressCallback;
}

export interface RegisteredArtefact {
  digest: string;
  size: number;
  /** Log index of the `artefact` record, fresh or found. */
  index: number;
  /** False when the same bytes were already registered under the same kind and name (nothing appended). */
  appended: boolean;
}

export const DIRECTORY_MEDIA_TYPE = 'application/vnd.docket.directory-manifest.v1+json';

/**
 * Stores the bytes (streaming, content-addressed), then appends an `artefact` record. Registering the same bytes
 * again under the same kind and name is idempotent and appends nothing.
 */
export async function registerArtefact(
  ledger: Ledger,
  store: ArtefactStore,
  input: RegisterArtefactInput,
): Promise<RegisteredArtefact> {
  assertArtefactName(input.name);
  const mediaType =
    input.mediaType ??
    (input.source.kind === 'directory' ? DIRECTORY_MEDIA_TYPE : 'application/octet-stream');
  assertMediaType(mediaType);
  const progress = input.onProgress === undefined ? {} : { onProgress: input.onProgress };
  const put =
    input.source.kind === 'file'
      ? await store.putFile(input.source.path, progress)
      : input.source.kind === 'directory'
        ? await store.putDirectory(input.source.path, progress)
        : await store.putStream(input.source.stream, progress);

  for (const index of await ledger.find('subject', put.digest)) {
    const entry = await ledger.readEntry(index);
    const p = entry.statement.predicate as Partial<ArtefactPredicate>;
    if (entry.recordType === 'artefact' && p.kind === input.kind && p.name === input.name) {
      return { digest: put.digest, size: put.size, index, appended: false };
    }
  }
  const predicate: ArtefactPredicate = {
    kind: input.kind,
    mediaType,
    size: put.size,
    name: input.name,
    registeredBy: input.registeredBy,
  };
  const [appended] = await ledger.append([
    {
      type: 'artefact',
      subject: [{ name: input.name, digest: put.digest }],
      predicate: { ...predicate },
      keys: [{ key: 'artefact-kind', value: input.kind }],
    },
  ]);
  return { digest: put.digest, size: put.size, index: (appended as { index: number }).index, appended: true };
}
