import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigner, parseVerifierKey } from '../../keys/index.js';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { formatCheckpoint } from './checkpoint.js';
import { NoteErrorCode } from './errors.js';
import { signNote } from './sign-note.js';
import { openCheckpoint, signCheckpoint } from './signed-checkpoint.js';

const ROOT = new Uint8Array(createHash('sha256').update('root').digest());

describe('signCheckpoint / openCheckpoint', () => {
  const log = generateSigner('example.com/ledger');
  const logVerifier = parseVerifierKey(log.verifierKey);
  const witness = generateSigner('witness.example/w1');
  const checkpoint = { origin: log.name, size: 42, rootHash: ROOT };
  const note = signCheckpoint(checkpoint, log);

  it('signs the checkpoint text as a signed note and opens it back', () => {
    expect(note.startsWith(`${formatCheckpoint(checkpoint)}\n\u2014 ${log.name} `)).toBe(true);
    expect(openCheckpoint(note, logVerifier, { origin: log.name })).toEqual({
      ...checkpoint,
      extensions: [],
    });
    expect(openCheckpoint(new TextEncoder().encode(note), [logVerifier], { origin: log.name }).size).toBe(42);
  });

  it('accepts witness cosignatures and ignores verifiers of other origins', () => {
    const cosigned = signNote(formatCheckpoint(checkpoint), [log, witness]);
    const verifiers = [parseVerifierKey(witness.verifierKey), logVerifier];
    expect(openCheckpoint(cosigned, verifiers, { origin: log.name }).rootHash).toEqual(ROOT);
  });

  it('refuses a checkpoint signed only by a witness', () => {
    const witnessOnly = signNote(formatCheckpoint(checkpoint), [witness]);
    expect(errorCodeOf(() => openCheckpoint(witnessOnly, logVerifier, { origin: log.name }))).toBe(
      NoteErrorCode.Unverified,
    );
  });

  it('refuses a checkpoint whose size or root was changed after signing', () => {
    expect(
      errorCodeOf(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), logVerifier, { origin: log.name })),
    ).toBe(NoteErrorCode.SignatureInvalid);
  });

  it('refuses to sign a checkpoint whose origin is not the key name', () => {
    expect(errorCodeOf(() => signCheckpoint({ ...checkpoint, origin: 'example.com/other' }, log))).toBe(
      NoteErrorCode.CheckpointOriginMismatch,
    );
  });

  it('refuses an expected origin that no verifier is named after', () => {
    expect(errorCodeOf(() => openCheckpoint(note, logVerifier, { origin: 'example.com/other' }))).toBe(
      NoteErrorCode.CheckpointOriginMismatch,
    );
    expect(errorCodeOf(() => openCheckpoint(note, [], { origin: log.name }))).toBe(
      NoteErrorCode.CheckpointOriginMismatch,
    );
  });

  it('refuses a checkpoint for another origin, even when signed by the expected key', () => {
    const foreign = signNote(formatCheckpoint({ ...checkpoint, origin: 'example.com/other' }), [log]);
    expect(errorCodeOf(() => openCheckpoint(foreign, logVerifier, { origin: log.name }))).toBe(
      NoteErrorCode.CheckpointOriginMismatch,
    );
  });

  it('refuses a validly signed note that is not a checkpoint', () => {
    const prose = signNote('hello\nworld\n', [log]);
    expect(errorCodeOf(() => openCheckpoint(prose, logVerifier, { origin: log.name }))).toBe(
      NoteErrorCode.CheckpointMalformed,
    );
  });

  it('refuses malformed notes before looking at the checkpoint', () => {
    expect(
      errorCodeOf(() => openCheckpoint(formatCheckpoint(checkpoint), logVerifier, { origin: log.name })),
    ).toBe(NoteErrorCode.Malformed);
  });
});
