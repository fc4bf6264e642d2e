import { describe, expect, it } from 'vitest';
import { decodeCanonicalBase64, encodeBase64, generateSigner, parseVerifierKey } from '../../keys/index.js';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import type { Envelope } from './envelope.js';
import { EnvelopeErrorCode } from './errors.js';
import { pae } from './pae.js';
import { signEnvelope } from './sign-envelope.js';
import { verifyEnvelope } from './verify-envelope.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('signEnvelope / verifyEnvelope', () => {
  const signer = generateSigner('example.com/ledger');
  const verifier = parseVerifierKey(signer.verifierKey);
  const other = generateSigner('example.com/other');
  const otherVerifier = parseVerifierKey(other.verifierKey);
  const payload = utf8('{"hello":"world"}');
  const envelope = signEnvelope('application/vnd.in-toto+json', payload, signer);
  const [signature] = envelope.signatures;

  it('signs PAE(type, payload) and names the signer by its C2SP key ID', () => {
    expect(envelope.payload).toBe(encodeBase64(payload));
    expect(signature?.keyid).toBe(signer.keyIdHex);
    const sig = decodeCanonicalBase64(signature?.sig ?? '') as Uint8Array;
    expect(verifier.verify(pae(envelope.payloadType, payload), sig)).toBe(true);
  });

  it('verifies and returns the authenticated payload and signer', () => {
    const verified = verifyEnvelope(envelope, [otherVerifier, verifier], {
      payloadType: envelope.payloadType,
    });
    expect(verified.payload).toEqual(payload);
    expect(verified.payloadType).toBe('application/vnd.in-toto+json');
    expect(verified.keyIdHex).toBe(signer.keyIdHex);
    expect(verified.verifiedBy).toEqual([verifier]);
  });

  it('rejects every one-byte change to the payload', () => {
    for (let i = 0; i < payload.length; i++) {
      const changed = new Uint8Array(payload);
      changed[i] = (changed[i] ?? 0) ^ 0x01;
      const tampered = { ...envelope, payload: encodeBase64(changed) };
      expect(
        errorCodeOf(() => verifyEnvelope(tampered, [verifier])),
        `byte ${i}`,
      ).toBe(EnvelopeErrorCode.Unverified);
    }
  });

  it('rejects a changed payload type, even one that only differs in case or length', () => {
    for (const payloadType of [
      'application/vnd.in-toto+jsoN',
      'application/vnd.in-toto+json ',
      'application/vnd.in-toto',
    ]) {
      expect(errorCodeOf(() => verifyEnvelope({ ...envelope, payloadType }, [verifier]))).toBe(
        EnvelopeErrorCode.Unverified,
      );
    }
  });

  it('rejects every one-byte change to the signature', () => {
    const sig = decodeCanonicalBase64(signature?.sig ?? '') as Uint8Array;
    for (let i = 0; i < sig.length; i++) {
      const changed = new Uint8Array(sig);
      changed[i] = (changed[i] ?? 0) ^ 0x80;
      const tampered: Envelope = {
        ...envelope,
        signatures: [{ keyid: signer.keyIdHex, sig: encodeBase64(changed) }],
      };
      expect(
        errorCodeOf(() => verifyEnvelope(tampered, [verifier])),
        `byte ${i}`,
      ).toBe(EnvelopeErrorCode.Unverified);
    }
  });

  it('rejects the wrong key, an empty key list, and a keyid that names no known key', () => {
    expect(errorCodeOf(() => verifyEnvelope(envelope, [otherVerifier]))).toBe(EnvelopeErrorCode.Unverified);
    expect(errorCodeOf(() => verifyEnvelope(envelope, []))).toBe(EnvelopeErrorCode.Unverified);
    const renamed: Envelope = {
      ...envelope,
      signatures: [{ keyid: other.keyIdHex, sig: signature?.sig ?? '' }],
    };
    expect(errorCodeOf(() => verifyEnvelope(renamed, [verifier, otherVerifier]))).toBe(
      EnvelopeErrorCode.Unverified,
    );
  });

  it('skips signatures that fail, as DSSE multi-signature verification does, and lists each valid key once', () => {
    const extra = signEnvelope(envelope.payloadType, payload, other).signatures[0];
    const garbage = { keyid: signer.keyIdHex, sig: encodeBase64(new Uint8Array(64)) };
    const multi: Envelope = {
      ...envelope,
      signatures: [garbage, signature, extra, signature].filter((s) => s !== undefined),
    };
    const verified = verifyEnvelope(multi, [verifier, otherVerifier]);
    expect(verified.verifiedBy).toEqual([verifier, otherVerifier]);
  });

  it('checks the signature before the payload type: a forged envelope is unverified, not merely mistyped', () => {
    expect(errorCodeOf(() => verifyEnvelope(envelope, [verifier], { payloadType: 'application/json' }))).toBe(
      EnvelopeErrorCode.PayloadType,
    );
    const forged = { ...envelope, payloadType: 'application/json' };
    expect(
      errorCodeOf(() => verifyEnvelope(forged, [verifier], { payloadType: 'application/vnd.in-toto+json' })),
    ).toBe(EnvelopeErrorCode.Unverified);
  });

  it('treats the envelope object itself as hostile', () => {
    expect(errorCodeOf(() => verifyEnvelope({ ...envelope, extra: 1 } as Envelope, [verifier]))).toBe(
      EnvelopeErrorCode.Malformed,
    );
    expect(errorCodeOf(() => verifyEnvelope(null as unknown as Envelope, [verifier]))).toBe(
      EnvelopeErrorCode.Malformed,
    );
  });

  it('refuses to sign with a bad payload type, payload or signer', () => {
    expect(errorCodeOf(() => signEnvelope('', payload, signer))).toBe(EnvelopeErrorCode.Malformed);
    expect(errorCodeOf(() => signEnvelope('x', 'text' as unknown as Uint8Array, signer))).toBe(
      EnvelopeErrorCode.Malformed,
    );
    expect(errorCodeOf(() => signEnvelope('x', new Uint8Array(1024 * 1024), signer))).toBe(
      EnvelopeErrorCode.TooLarge,
    );
    expect(errorCodeOf(() => signEnvelope('x', payload, { ...signer, keyIdHex: 'nope' }))).toBe(
      EnvelopeErrorCode.SignerInvalid,
    );
    expect(errorCodeOf(() => signEnvelope('x', payload, { ...signer, sign: () => new Uint8Array(0) }))).toBe(
      EnvelopeErrorCode.SignerInvalid,
    );
  });
});
