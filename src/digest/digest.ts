import { createHash } from 'node:crypto';
import { DocketError } from '../errors/index.js';
import { DigestErrorCode } from './errors.js';
import { quote, typeName } from './text.js';

declare const digestBrand: unique symbol;

/**
 * A content digest, `sha256:` followed by 64 lowercase hex characters: the only way docket refers to bytes.
 * Branded so that an unchecked string cannot be passed where a digest is required; obtain one from
 * {@link parseDigest}, {@link digestFromHex} or {@link sha256Digest}.
 */
export type Digest = string & { readonly [digestBrand]: true };

/** The algorithm prefix of every docket digest (the OCI image-spec "algorithm:encoded" form). */
export const DIGEST_PREFIX = 'sha256:';

const HEX_LENGTH = 64;
const LOWER_HEX = /^[0-9a-f]*$/;

/** True when `value` is a well-formed digest string. */
export function isDigest(value: unknown): value is Digest {
  return (
    typeof value === 'string' &&
    value.length === DIGEST_PREFIX.length + HEX_LENGTH &&
    value.startsWith(DIGEST_PREFIX) &&
    LOWER_HEX.test(value.slice(DIGEST_PREFIX.length))
  );
}

/**
 * Parses an untrusted value into a {@link Digest}. Strict: no surrounding whitespace, no uppercase hex, no other
 * algorithm. A digest is compared as a string everywhere, so one spelling per content is what keeps
 * `a === b` meaning "same bytes".
 *
 * @throws DocketError `ERR_DIGEST_MALFORMED` naming the problem.
 * @example
 * const d = parseDigest(req.body.digest); // 'sha256:e3b0c442…'
 */
export function parseDigest(input: unknown): Digest {
  if (typeof input !== 'string') {
    throw malformed(`a digest must be a string, got ${typeName(input)}`, { type: typeName(input) });
  }
  if (isDigest(input)) return input;
  if (input.trim() !== input) {
    throw malformed(`digest ${quote(input)} has surrounding whitespace`, { problem: 'whitespace' });
  }
  const colon = input.indexOf(':');
  if (colon < 0) {
    throw malformed(`digest ${quote(input)} has no algorithm prefix; expected "sha256:<64 hex>"`, {
      problem: 'no-algorithm',
    });
  }
  const algorithm = input.slice(0, colon);
  if (algorithm !== 'sha256') {
    throw malformed(`digest algorithm ${quote(algorithm)} is not supported; only sha256 is`, {
      problem: 'algorithm',
      algorithm: algorithm.slice(0, 32),
    });
  }
  return digestFromHex(input.slice(colon + 1));
}

/**
 * Builds a digest from its 64 lowercase hex characters.
 *
 * @throws DocketError `ERR_DIGEST_MALFORMED` when `hex` is not exactly 64 lowercase hex characters.
 * @example
 * digestFromHex(createHash('sha256').update(bytes).digest('hex'));
 */
export function digestFromHex(hex: string): Digest {
  if (typeof hex !== 'string') {
    throw malformed(`digest hex must be a string, got ${typeName(hex)}`, { type: typeName(hex) });
  }
  if (/\s/.test(hex)) {
    throw malformed(`digest hex ${quote(hex)} contains whitespace`, { problem: 'whitespace' });
  }
  if (hex.length !== HEX_LENGTH) {
    throw malformed(`digest hex has ${hex.length} characters; sha256 needs ${HEX_LENGTH}`, {
      problem: 'length',
      length: hex.length,
    });
  }
  if (!LOWER_HEX.test(hex)) {
    const problem = /^[0-9a-fA-F]*$/.test(hex) ? 'uppercase' : 'not-hex';
    const why =
      problem === 'uppercase' ? 'uppercase hex (docket spells digests in lowercase)' : 'a non-hex character';
    throw malformed(`digest hex ${quote(hex)} contains ${why}`, { problem });
  }
  return `${DIGEST_PREFIX}${hex}` as Digest;
}

/** The 64 hex characters of a digest, without the `sha256:` prefix. */
export function digestHex(digest: Digest): string {
  return parseDigest(digest).slice(DIGEST_PREFIX.length);
}

/** The 32 raw bytes of a digest (as used in Merkle leaves and signatures). */
export function digestBytes(digest: Digest): Uint8Array {
  return new Uint8Array(Buffer.from(digestHex(digest), 'hex'));
}

/**
 * SHA-256 of bytes already in memory. For files and streams use `hashFile` / `hashStream`.
 *
 * @example
 * sha256Digest(new Uint8Array()); // 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export function sha256Digest(bytes: Uint8Array): Digest {
  if (!(bytes instanceof Uint8Array)) {
    throw new DocketError(
      DigestErrorCode.InvalidChunk,
      `sha256Digest needs a Uint8Array, got ${typeName(bytes)}`,
    );
  }
  return digestFromHex(createHash('sha256').update(bytes).digest('hex'));
}

function malformed(message: string, details: Record<string, unknown>): DocketError {
  return new DocketError(DigestErrorCode.Malformed, message, { details });
}
