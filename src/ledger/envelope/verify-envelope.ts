import { DocketError } from '../../errors/index.js';
import { decodeCanonicalBase64, type Verifier } from '../../keys/index.js';
import { assertEnvelope, type Envelope } from './envelope.js';
import { EnvelopeErrorCode } from './errors.js';
import { pae } from './pae.js';

/** An envelope whose signature checked out: the authenticated payload and who signed it. */
export interface VerifiedEnvelope {
  readonly payloadType: string;
  readonly payload: Uint8Array;
  /** Key ID of the first verifying signature. */
  readonly keyIdHex: string;
  /** Every known key with a valid signature, in signature order, each once; never empty. */
  readonly verifiedBy: readonly Verifier[];
}

export interface VerifyEnvelopeOptions {
  /** Refuse (ERR_ENVELOPE_PAYLOAD_TYPE) an envelope of any other payload type. */
  readonly payloadType?: string;
}

/**
 * Verifies a DSSE envelope against known keys. Each signature is tried against the verifiers whose key ID equals
 * its `keyid` (DSSE lets the hint narrow the keys tried); a signature that fails is skipped, as DSSE's
 * multi-signature verification prescribes; at least one must verify (ERR_ENVELOPE_UNVERIFIED).
 *
 * @example
 * const { payload } = verifyEnvelope(parseEnvelope(bytes), [verifier], { payloadType: STATEMENT_PAYLOAD_TYPE });
 */
// DSSE protocol v1.0.2 §Protocol, "To verify", and §Multi-signature Verification
export function verifyEnvelope(
  envelope: Envelope,
  verifiers: readonly Verifier[],
  options: VerifyEnvelopeOptions = {},
): VerifiedEnvelope {
  assertEnvelope(envelope);
  if (!Array.isArray(verifiers)) {
    throw new DocketError(EnvelopeErrorCode.Unverified, 'verifiers must be an array');
  }
  const payload = decodeCanonicalBase64(envelope.payload) as Uint8Array;
  const message = pae(envelope.payloadType, payload);
  const verifiedBy: Verifier[] = [];
  for (const { keyid, sig } of envelope.signatures) {
    const signature = decodeCanonicalBase64(sig) as Uint8Array;
    for (const verifier of verifiers) {
      if (
        verifier.keyIdHex === keyid &&
        !verifiedBy.includes(verifier) &&
        verifier.verify(message, signature)
      ) {
        verifiedBy.push(verifier);
        break;
      }
    }
  }
  const first = verifiedBy[0];
  if (first === undefined) {
    throw new DocketError(
      EnvelopeErrorCode.Unverified,
      'no signature on the envelope verifies under a known key',
      {
        details: { keyids: envelope.signatures.map((s) => s.keyid) },
      },
    );
  }
  if (options.payloadType !== undefined && envelope.payloadType !== options.payloadType) {
    throw new DocketError(
      EnvelopeErrorCode.PayloadType,
      `the envelope carries ${envelope.payloadType}, not ${options.payloadType}`,
      { details: { payloadType: envelope.payloadType, expected: options.payloadType } },
    );
  }
  return Object.freeze({ payloadType: envelope.payloadType, payload, keyIdHex: first.keyIdHex, verifiedBy });
}
