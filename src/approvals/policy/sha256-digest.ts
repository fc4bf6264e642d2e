import { createHash } from 'node:crypto';

// Local stand-in until src/digest/ (parseDigest) lands; the format is DESIGN.md principle 1.

/** A content digest: `sha256:` followed by 64 lowercase hex digits. */
export type Sha256Digest = `sha256:${string}`;

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** True when `value` is a well-formed `sha256:<64 lowercase hex>` digest. */
export function isSha256Digest(value: unknown): value is Sha256Digest {
  return typeof value === 'string' && SHA256_DIGEST.test(value);
}

/** The `sha256:` digest of a UTF-8 string or of bytes. */
export function sha256Digest(data: string | Uint8Array): Sha256Digest {
  const hash = createHash('sha256');
  if (typeof data === 'string') hash.update(data, 'utf8');
  else hash.update(data);
  return `sha256:${hash.digest('hex')}`;
}
