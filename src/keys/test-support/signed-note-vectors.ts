// Reads ../shared/vectors/signed-note/vectors.json in place (never copied into the repository). Call it inside a
// test or hook of a `describe.skipIf(!hasShared)` block: the file is absent on a fresh clone without ../shared.
import { readFileSync } from 'node:fs';
import { hasShared, sharedMissingReason, sharedPath } from '../../test-support/shared.js';

export interface NoteVector {
  source: string;
  verifierKey: string;
  signerKey: string;
  text: string;
  signedNote: string;
}

export interface VerifierKeyVector {
  source: string;
  verifierKey: string;
  name: string;
  keyId: string;
}

export interface DsseVector {
  source: string;
  payloadType: string;
  payload: string;
  pae: string;
}

export interface SignedNoteVectors {
  notes: NoteVector[];
  verifierKeys: VerifierKeyVector[];
  dsse: DsseVector;
}

let cached: SignedNoteVectors | undefined;

/** A suite title that says why the suite is skipped when ../shared is absent. */
export function knownAnswers(title: string): string {
  return hasShared ? title : `${title} (skipped: ${sharedMissingReason})`;
}

export function signedNoteVectors(): SignedNoteVectors {
  cached ??= JSON.parse(
    readFileSync(sharedPath('vectors', 'signed-note', 'vectors.json'), 'utf8'),
  ) as SignedNoteVectors;
  if (cached.notes.length === 0 || cached.verifierKeys.length === 0)
    throw new Error('vectors.json has no vectors');
  return cached;
}
