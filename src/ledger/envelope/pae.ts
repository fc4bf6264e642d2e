import { DocketError } from '../../errors/index.js';
import { EnvelopeErrorCode } from './errors.js';

const LONE_SURROGATE = /\p{Cs}/u;
const utf8 = new TextEncoder();

/**
 * DSSE v1 Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is the
 * byte length in ASCII decimal without leading zeros and the type is UTF-8 encoded. This is what gets signed.
 *
 * @example
 * new TextDecoder().decode(pae('http://example.com/HelloWorld', new TextEncoder().encode('hello world')))
 * // 'DSSEv1 29 http://example.com/HelloWorld 11 hello world'
 */
// DSSE protocol v1.0.2 §Signature Definition
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  if (typeof payloadType !== 'string' || LONE_SURROGATE.test(payloadType)) {
    throw new DocketError(EnvelopeErrorCode.Malformed, 'payloadType must be a string of valid Unicode');
  }
  if (!(payload instanceof Uint8Array)) {
    throw new DocketError(EnvelopeErrorCode.Malformed, 'payload must be bytes');
  }
  const type = utf8.encode(payloadType);
  return Buffer.concat([
    utf8.encode(`DSSEv1 ${type.length} `),
    type,
    utf8.encode(` ${payload.length} `),
    payload,
  ]);
}
