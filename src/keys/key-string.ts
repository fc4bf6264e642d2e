import { DocketError } from '../errors/index.js';
import { decodeCanonicalBase64 } from './base64.js';
import { KeyErrorCode } from './errors.js';
import { ALGORITHM_ED25519, computeKeyId, keyIdHex } from './key-id.js';
import { assertKeyName } from './key-name.js';

/** Longest key string parsed; a real one is the name plus about 60 characters. */
export const MAX_KEY_STRING_LENGTH = 2048;

const KEY_ID_HEX = /^[0-9a-f]{8}$/;

/** The parts of `<name>+<8 hex>+<base64(0x01 || 32 bytes)>`, checked except for the key ID. */
export interface KeyStringParts {
  name: string;
  keyIdHex: string;
  key: Uint8Array;
}

function malformed(what: string): DocketError {
  // The text is never echoed: for a signer key it is the secret.
  return new DocketError(KeyErrorCode.Malformed, `malformed ${what}`);
}

/**
 * Splits a key string the way golang.org/x/mod/sumdb/note does (the name ends at the first '+', which a name may
 * not contain; the base64 may), but strictly: lowercase hex, canonical base64, algorithm 0x01, 32 key bytes.
 */
export function splitKeyString(text: unknown, what: string): KeyStringParts {
  if (typeof text !== 'string' || text.length > MAX_KEY_STRING_LENGTH) throw malformed(what);
  const nameEnd = text.indexOf('+');
  if (nameEnd < 0) throw malformed(what);
  const name = text.slice(0, nameEnd);
  assertKeyName(name);
  const rest = text.slice(nameEnd + 1);
  const idEnd = rest.indexOf('+');
  const id = rest.slice(0, idEnd);
  if (idEnd < 0 || !KEY_ID_HEX.test(id)) throw malformed(what);
  const data = decodeCanonicalBase64(rest.slice(idEnd + 1));
  if (data === undefined || data.length === 0) throw malformed(what);
  if (data[0] !== ALGORITHM_ED25519) {
    throw new DocketError(
      KeyErrorCode.AlgorithmUnsupported,
      `${what}: algorithm ${data[0]} is not Ed25519 (1)`,
      {
        details: { algorithm: data[0] },
      },
    );
  }
  if (data.length !== 33) throw malformed(what);
  return { name, keyIdHex: id, key: data.subarray(1) };
}

/** Throws ERR_KEY_ID_MISMATCH unless `written` is the C2SP key ID of (name, publicKey). */
export function assertKeyId(name: string, publicKey: Uint8Array, written: string): void {
  const computed = keyIdHex(computeKeyId(name, publicKey));
  if (computed !== written) {
    throw new DocketError(
      KeyErrorCode.IdMismatch,
      `key ${name}: key ID ${written} does not match the key (${computed})`,
      {
        details: { name, written, computed },
      },
    );
  }
}
