import { DocketError } from '../../errors/index.js';
import { encodeBase64, type Signer } from '../../keys/index.js';
import { assertPayloadType, type Envelope, MAX_ENVELOPE_BYTES } from './envelope.js';
import { EnvelopeErrorCode } from './errors.js';
import { pae } from './pae.js';

const KEY_ID = /^[0-9a-f]{8}$/;

/**
 * Signs `payload` as a DSSE envelope: the signature is over PAE(payloadType, payload) and `keyid` is the
 * signer's C2SP key ID (an unauthenticated hint, DSSE protocol §Signature Definition).
 *
 * @example
 * const envelope = signEnvelope(STATEMENT_PAYLOAD_TYPE, encodeStatement(statement), signer);
 */
// DSSE protocol v1.0.2 §Protocol, "To sign"
export function signEnvelope(payloadType: string, payload: Uint8Array, signer: Signer): Envelope {
  assertPayloadType(payloadType);
  if (!(payload instanceof Uint8Array)) {
    throw new DocketError(EnvelopeErrorCode.Malformed, 'payload must be bytes');
  }
  // Base64 grows the payload by 4/3; refuse what could not be read back under MAX_ENVELOPE_BYTES.
  if (Math.ceil(payload.length / 3) * 4 > MAX_ENVELOPE_BYTES - 1024) {
    throw new DocketError(EnvelopeErrorCode.TooLarge, 'the payload is too large for an envelope', {
      details: { size: payload.length },
    });
  }
  if (typeof signer?.keyIdHex !== 'string' || !KEY_ID.test(signer.keyIdHex)) {
    throw new DocketError(EnvelopeErrorCode.SignerInvalid, 'the signer has no 8-hex-digit key ID');
  }
  const sig = signer.sign(pae(payloadType, payload));
  if (!(sig instanceof Uint8Array) || sig.length === 0) {
    throw new DocketError(EnvelopeErrorCode.SignerInvalid, `signer ${signer.name} returned no signature`);
  }
  return Object.freeze({
    payloadType,
    payload: encodeBase64(payload),
    signatures: Object.freeze([Object.freeze({ keyid: signer.keyIdHex, sig: encodeBase64(sig) })]),
  });
}
