import { DocketError } from '../../errors/index.js';
import { decodeCanonicalBase64 } from '../../keys/index.js';
import { canonicalJson } from './canonical-json.js';
import { EnvelopeErrorCode } from './errors.js';
import { parseStrictJson } from './strict-json.js';

/** One DSSE signature: `keyid` is the signer's C2SP key ID (8 lowercase hex), `sig` base64 of the signature. */
export interface EnvelopeSignature {
  readonly keyid: string;
  readonly sig: string;
}

/** A DSSE JSON envelope (DSSE envelope v1.0.2): base64 payload, its type, and signatures over PAE(type, payload). */
export interface Envelope {
  readonly payloadType: string;
  readonly payload: string;
  readonly signatures: readonly EnvelopeSignature[];
}

/** Largest serialised envelope docket reads or writes. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;
/** Most signatures on one envelope. */
export const MAX_ENVELOPE_SIGNATURES = 16;
/** Longest payloadType (UTF-16 code units); media types and type URIs are far shorter. */
export const MAX_PAYLOAD_TYPE_LENGTH = 256;

const KEY_ID = /^[0-9a-f]{8}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(message: string, details: Record<string, unknown> = {}): DocketError {
  return new DocketError(EnvelopeErrorCode.Malformed, message, { details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws unless `value` has exactly the own keys `keys`. */
function assertExactKeys(value: Record<string, unknown>, keys: readonly string[], what: string): void {
  const own = Object.keys(value).sort();
  if (own.length !== keys.length || own.some((key, i) => key !== keys[i])) {
    throw malformed(`${what} must have exactly the fields ${keys.join(', ')}`, { fields: own.slice(0, 10) });
  }
}

/** Throws ERR_ENVELOPE_MALFORMED unless `payloadType` is a non-empty, bounded string of valid Unicode. */
export function assertPayloadType(payloadType: unknown): asserts payloadType is string {
  if (
    typeof payloadType !== 'string' ||
    payloadType.length === 0 ||
    payloadType.length > MAX_PAYLOAD_TYPE_LENGTH ||
    LONE_SURROGATE.test(payloadType)
  ) {
    throw malformed(
      `payloadType must be a non-empty string of at most ${MAX_PAYLOAD_TYPE_LENGTH} characters`,
    );
  }
}

/**
 * Throws ERR_ENVELOPE_MALFORMED unless `value` is an envelope in docket's ledger profile of DSSE: exactly the
 * fields payload, payloadType and signatures; 1 to MAX_ENVELOPE_SIGNATURES signatures of exactly keyid and sig;
 * canonical standard base64. This is stricter than DSSE's envelope parsing rules (which ignore unknown fields,
 * allow a missing keyid and URL-safe base64) on purpose: nothing outside the signature is authenticated, so in a
 * tamper-evident log every byte of an entry must be accounted for and have a single spelling.
 */
export function assertEnvelope(value: unknown): asserts value is Envelope {
  if (!isRecord(value)) throw malformed('an envelope must be a JSON object');
  assertExactKeys(value, ['payload', 'payloadType', 'signatures'], 'an envelope');
  assertPayloadType(value.payloadType);
  if (typeof value.payload !== 'string' || decodeCanonicalBase64(value.payload) === undefined) {
    throw malformed('payload must be canonical standard base64');
  }
  const signatures = value.signatures;
  if (!Array.isArray(signatures) || signatures.length === 0 || signatures.length > MAX_ENVELOPE_SIGNATURES) {
    throw malformed(`signatures must be an array of 1 to ${MAX_ENVELOPE_SIGNATURES} signatures`);
  }
  for (const [i, signature] of signatures.entries()) {
    if (!isRecord(signature)) throw malformed(`signature ${i} must be an object`, { signature: i });
    assertExactKeys(signature, ['keyid', 'sig'], `signature ${i}`);
    if (typeof signature.keyid !== 'string' || !KEY_ID.test(signature.keyid)) {
      throw malformed(`signature ${i}: keyid must be 8 lowercase hex digits`, { signature: i });
    }
    const sig = typeof signature.sig === 'string' ? decodeCanonicalBase64(signature.sig) : undefined;
    if (sig === undefined || sig.length === 0) {
      throw malformed(`signature ${i}: sig must be non-empty canonical standard base64`, { signature: i });
    }
  }
}

/**
 * Parses envelope bytes strictly (see assertEnvelope): UTF-8 JSON with no duplicate keys, at most
 * MAX_ENVELOPE_BYTES. Checks form only; verifyEnvelope checks the signatures.
 *
 * @example
 * const envelope = parseEnvelope(storedBytes);
 */
export function parseEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw malformed('an envelope must be bytes');
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw new DocketError(
      EnvelopeErrorCode.TooLarge,
      `the envelope is larger than ${MAX_ENVELOPE_BYTES} bytes`,
      {
        details: { size: bytes.length, limit: MAX_ENVELOPE_BYTES },
      },
    );
  }
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new DocketError(EnvelopeErrorCode.Malformed, 'the envelope is not UTF-8', { cause });
  }
  const value = parseStrictJson(text, EnvelopeErrorCode.Malformed, 'the envelope');
  assertEnvelope(value);
  return Object.freeze({
    payloadType: value.payloadType,
    payload: value.payload,
    signatures: Object.freeze(value.signatures.map(({ keyid, sig }) => Object.freeze({ keyid, sig }))),
  });
}

/**
 * The envelope as RFC 8785 canonical JSON bytes: one spelling per envelope, so its leaf hash is well defined.
 *
 * @example
 * parseEnvelope(serializeEnvelope(envelope)) // equal to envelope
 */
export function serializeEnvelope(envelope: Envelope): Uint8Array {
  assertEnvelope(envelope);
  const bytes = new TextEncoder().encode(
    canonicalJson({
      payload: envelope.payload,
      payloadType: envelope.payloadType,
      signatures: envelope.signatures,
    }),
  );
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw new DocketError(
      EnvelopeErrorCode.TooLarge,
      `the envelope is larger than ${MAX_ENVELOPE_BYTES} bytes`,
      {
        details: { size: bytes.length, limit: MAX_ENVELOPE_BYTES },
      },
    );
  }
  return bytes;
}
