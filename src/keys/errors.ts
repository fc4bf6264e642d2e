/** Codes for signing keys, C2SP key strings and key files (`ERR_KEY_*`). Callers `switch (err.code)`. */
export const KeyErrorCode = {
  /** A key name is empty, contains '+', a Unicode space or a control character, or is too long (C2SP signed-note). */
  NameInvalid: 'ERR_KEY_NAME_INVALID',
  /** A verifier or signer key string is not `[PRIVATE+KEY+]<name>+<8 hex>+<base64>` with a 32-byte key. */
  Malformed: 'ERR_KEY_MALFORMED',
  /** The key's algorithm byte is not 0x01 (Ed25519), the only one docket accepts. */
  AlgorithmUnsupported: 'ERR_KEY_ALGORITHM_UNSUPPORTED',
  /** The key ID written in the key string is not the one computed from the name and public key. */
  IdMismatch: 'ERR_KEY_ID_MISMATCH',
  /** The public key is a small-order Ed25519 point, under which forged signatures verify. */
  PublicKeyWeak: 'ERR_KEY_PUBLIC_KEY_WEAK',
  /** The signer's private half is not known to docket (it was not generated or parsed here), so it cannot be written. */
  NotExportable: 'ERR_KEY_NOT_EXPORTABLE',
  /** A key file is missing. */
  FileNotFound: 'ERR_KEY_FILE_NOT_FOUND',
  /** A key file already exists; docket never overwrites one. */
  FileExists: 'ERR_KEY_FILE_EXISTS',
  /** A signer key file grants group or world permissions (it must be 0600 or stricter). */
  FilePermissions: 'ERR_KEY_FILE_PERMISSIONS',
  /** A key file could not be read or written, or is not a regular file (`cause` holds the system error). */
  FileIo: 'ERR_KEY_FILE_IO',
} as const;

export type KeyErrorCode = (typeof KeyErrorCode)[keyof typeof KeyErrorCode];
