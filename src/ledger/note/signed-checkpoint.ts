import { DocketError } from '../../errors/index.js';
import type { Signer, Verifier } from '../../keys/index.js';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { NoteErrorCode } from './errors.js';
import { openNote } from './open-note.js';
import { signNote } from './sign-note.js';

export interface OpenCheckpointOptions {
  /** The origin of the log the caller expects; the verifying key must bear the same name. */
  readonly origin: string;
}

function originMismatch(message: string, details: Record<string, unknown>): DocketError {
  return new DocketError(NoteErrorCode.CheckpointOriginMismatch, message, { details });
}

/**
 * Signs a checkpoint as a C2SP signed note. The signer's key name must be the checkpoint's origin
 * (C2SP tlog-checkpoint §Signatures: the key name SHOULD match the origin; docket requires it).
 *
 * @example
 * const note = signCheckpoint({ origin: signer.name, size: 3, rootHash }, signer);
 */
export function signCheckpoint(checkpoint: Checkpoint, signer: Signer): string {
  const text = formatCheckpoint(checkpoint);
  if (checkpoint.origin !== signer?.name) {
    throw originMismatch(
      `checkpoint origin ${checkpoint.origin} is not the signing key's name ${signer?.name}`,
      {
        origin: checkpoint.origin,
        key: signer?.name,
      },
    );
  }
  return signNote(text, [signer]);
}

/**
 * Opens a signed checkpoint: the note must carry a valid signature by a verifier named `options.origin`
 * (signatures by other keys, such as witnesses, are skipped), and its text must be a checkpoint for that origin.
 * Returns the verified checkpoint.
 *
 * @example
 * const checkpoint = openCheckpoint(note, verifier, { origin: 'example.com/ledger' });
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: Verifier | readonly Verifier[],
  options: OpenCheckpointOptions,
): Checkpoint {
  const origin = options?.origin;
  const list: readonly Verifier[] = Array.isArray(verifiers) ? verifiers : [verifiers as Verifier];
  const logKeys = list.filter((verifier) => verifier?.name === origin);
  if (typeof origin !== 'string' || logKeys.length === 0) {
    throw originMismatch(`no verifier key is named after the expected origin ${String(origin)}`, {
      origin,
      keys: list.map((verifier) => verifier?.name),
    });
  }
  const checkpoint = parseCheckpoint(openNote(note, logKeys).text);
  if (checkpoint.origin !== origin) {
    throw originMismatch(`checkpoint origin ${checkpoint.origin} is not the expected ${origin}`, {
      origin: checkpoint.origin,
      expected: origin,
    });
  }
  return checkpoint;
}
