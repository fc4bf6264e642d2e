import type { ArtefactStore } from '../../artefacts/index.js';
import type { Digest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import { EnvelopeErrorCode } from '../../ledger/envelope/index.js';
// The ledger's duplicate-key-refusing JSON reader; not part of the ledger's public index yet (see the note).
import { parseStrictJson } from '../../ledger/envelope/strict-json.js';
import { type ChangeManifest, parseChangeManifest } from '../change-manifest/index.js';
import { RequestErrorCode } from './errors.js';
import type { EvidenceDigests, ModelVersionRef } from './records.js';

/** Largest change manifest read (they are a few kilobytes; PSI for thousands of features stays far below). */
export const MAX_CHANGE_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * Reads the change manifest from the artefact store (verified against its digest) and parses it as hostile input:
 * UTF-8, one JSON document without duplicate keys (two readers must never see two manifests), then the schema.
 *
 * @throws DocketError ERR_ARTEFACT_NOT_FOUND / ERR_ARTEFACT_CORRUPT, ERR_REQUEST_MANIFEST_UNREADABLE,
 *   ERR_CHANGE_MANIFEST_INVALID / ERR_CHANGE_MANIFEST_INCONSISTENT
 */
export async function readChangeManifest(artefacts: ArtefactStore, digest: Digest): Promise<ChangeManifest> {
  const unreadable = (why: string, cause?: unknown): never => {
    throw new DocketError(RequestErrorCode.ManifestUnreadable, `change manifest ${digest} ${why}`, {
      details: { digest },
      cause,
    });
  };
  const size = (await artefacts.stat(digest)).size;
  if (size > MAX_CHANGE_MANIFEST_BYTES)
    unreadable(`is ${size} bytes, over the limit of ${MAX_CHANGE_MANIFEST_BYTES}`);
  const bytes = await artefacts.readVerified(digest, MAX_CHANGE_MANIFEST_BYTES);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    unreadable('is not UTF-8 text', cause);
  }
  let data: unknown;
  try {
    data = parseStrictJson(text, EnvelopeErrorCode.Malformed, 'it');
  } catch (cause) {
    unreadable(`is not a JSON document: ${(cause as Error).message}`, cause);
  }
  return parseChangeManifest(data);
}

/**
 * What the change manifest says that contradicts the request: the challenger must be the candidate, the champion
 * the champion, and the challenger's datasets the request's training and evaluation datasets. Otherwise the
 * classification would be about another change than the one being approved.
 */
export function manifestMismatches(
  manifest: ChangeManifest,
  request: { candidate: ModelVersionRef; champion: ModelVersionRef; evidence: EvidenceDigests },
): { field: string; manifest: string; request: string }[] {
  const pairs: [string, string, string][] = [
    ['challenger.model', manifest.challenger.model, request.candidate.model],
    ['challenger.version', manifest.challenger.version, request.candidate.version],
    ['champion.model', manifest.champion.model, request.champion.model],
    ['champion.version', manifest.champion.version, request.champion.version],
    ['challenger.datasets.training', manifest.challenger.datasets.training, request.evidence.trainingDataset],
    [
      'challenger.datasets.evaluation',
      manifest.challenger.datasets.evaluation,
      request.evidence.evaluationDataset,
    ],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([field, m, r]) => ({ field, manifest: m, request: r }));
}
