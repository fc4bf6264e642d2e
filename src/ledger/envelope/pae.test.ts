import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { knownAnswers, signedNoteVectors } from '../../keys/test-support/signed-note-vectors.js';
import { hasShared } from '../../test-support/shared.js';
import { EnvelopeErrorCode } from './errors.js';
import { pae } from './pae.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe.skipIf(!hasShared)(knownAnswers('pae known answer'), () => {
  it('matches the DSSE protocol spec test vector', () => {
    const { payloadType, payload, pae: expected } = signedNoteVectors().dsse;
    expect(Buffer.from(pae(payloadType, utf8(payload))).toString('utf8')).toBe(expected);
  });
});

describe('pae', () => {
  it('counts lengths in bytes, not characters', () => {
    // "é" is 2 bytes in UTF-8, "€" 3.
    expect(Buffer.from(pae('t/é', utf8('€'))).toString('utf8')).toBe('DSSEv1 4 t/é 3 €');
  });

  it('writes zero lengths as "0" and carries arbitrary payload bytes untouched', () => {
    expect(text(pae('', new Uint8Array(0)))).toBe('DSSEv1 0  0 ');
    expect([...pae('x', Uint8Array.of(0, 255, 32))].slice(-3)).toEqual([0, 255, 32]);
    expect(text(pae('x', new Uint8Array(1000)).subarray(0, 16))).toBe('DSSEv1 1 x 1000 ');
  });

  it('refuses a payload type that is not valid Unicode, and a payload that is not bytes', () => {
    expect(errorCodeOf(() => pae('a\ud800', new Uint8Array(1)))).toBe(EnvelopeErrorCode.Malformed);
    expect(errorCodeOf(() => pae(7 as unknown as string, new Uint8Array(1)))).toBe(
      EnvelopeErrorCode.Malformed,
    );
    expect(errorCodeOf(() => pae('x', 'payload' as unknown as Uint8Array))).toBe(EnvelopeErrorCode.Malformed);
  });
});
