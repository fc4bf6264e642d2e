export { decodeCanonicalBase64, encodeBase64 } from './base64.js';
export { KeyErrorCode } from './errors.js';
export {
  readSignerKeyFile,
  readVerifierKeyFile,
  writeSignerKeyFile,
  writeVerifierKeyFile,
} from './key-files.js';
export { computeKeyId, keyIdHex } from './key-id.js';
export { isValidKeyName, MAX_KEY_NAME_LENGTH } from './key-name.js';
export type { Signer } from './signer.js';
export { formatSignerKey, generateSigner, parseSignerKey } from './signer.js';
export type { Verifier } from './verifier.js';
export { formatVerifierKey, parseVerifierKey, verifierFromPublicKey } from './verifier.js';
