import type { Digest } from '../digest/index.js';

/**
 * One thing wrong with the store, found by `ArtefactStore.verify`. `kind` is the stable discriminator to switch
 * on; `message` is a one-line description for people; the other fields name the blob, file or manifest.
 */
export type StoreProblem =
  | {
      readonly kind: 'corrupt';
      readonly message: string;
      readonly digest: Digest;
      /** What the stored bytes hash to now. */
      readonly actualDigest: Digest;
      readonly size: number;
    }
  | {
      readonly kind: 'unreadable';
      readonly message: string;
      readonly digest: Digest;
      /** The DocketError code of the failed read, when it had one. */
      readonly code?: string;
    }
  | { readonly kind: 'misnamed'; readonly message: string; readonly name: string }
  | {
      readonly kind: 'stray-temp';
      readonly message: string;
      readonly name: string;
      readonly size: number;
      readonly modifiedAt: Date;
      readonly removed: boolean;
    }
  | {
      readonly kind: 'missing-reference';
      readonly message: string;
      readonly manifest: Digest;
      readonly path: string;
      readonly digest: Digest;
    }
  | {
      readonly kind: 'size-mismatch';
      readonly message: string;
      readonly manifest: Digest;
      readonly path: string;
      readonly digest: Digest;
      readonly manifestSize: number;
      readonly blobSize: number;
    };

/** Builds each kind of {@link StoreProblem} with its message. */
export const storeProblem = {
  corrupt: (digest: Digest, actualDigest: Digest, size: number): StoreProblem => ({
    kind: 'corrupt',
    message: `${digest} is corrupt: its ${size} bytes hash to ${actualDigest}`,
    digest,
    actualDigest,
    size,
  }),
  unreadable: (digest: Digest, err: unknown, code: string | undefined): StoreProblem => ({
    kind: 'unreadable',
    message: `${digest} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    digest,
    ...(code === undefined ? {} : { code }),
  }),
  misnamed: (name: string): StoreProblem => ({
    kind: 'misnamed',
    message: `${name} is not named after its digest`,
    name,
  }),
  strayTemp: (name: string, size: number, modifiedAt: Date, removed: boolean): StoreProblem => ({
    kind: 'stray-temp',
    message: `${name} was left by an interrupted write on ${modifiedAt.toISOString()}${removed ? ' (removed)' : ''}`,
    name,
    size,
    modifiedAt,
    removed,
  }),
  missingReference: (manifest: Digest, path: string, digest: Digest): StoreProblem => ({
    kind: 'missing-reference',
    message: `directory ${manifest} lists ${JSON.stringify(path)} as ${digest}, which is not stored`,
    manifest,
    path,
    digest,
  }),
  sizeMismatch: (
    manifest: Digest,
    path: string,
    digest: Digest,
    manifestSize: number,
    blobSize: number,
  ): StoreProblem => ({
    kind: 'size-mismatch',
    message: `directory ${manifest} gives ${JSON.stringify(path)} ${manifestSize} bytes but ${digest} has ${blobSize}`,
    manifest,
    path,
    digest,
    manifestSize,
    blobSize,
  }),
};
