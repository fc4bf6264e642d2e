// Known-answer tests read in place from ../shared/vectors/merkle:
// - inclusion/*/*.json and consistency/*/*.json: transparency-dev/merkle testdata (happy paths and mutations of
//   them; `wantErr` cases must fail with one of our coded errors),
// - rfc6962-reference-tree.json: the RFC 6962 reference tree of transparency-dev/merkle testonly/reference_test.go.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDocketError } from '../../errors/index.js';
import { hasShared, sharedMissingReason, sharedPath } from '../../test-support/shared.js';
import { MerkleErrorCode } from './errors.js';
import { EMPTY_ROOT, hashLeaf } from './hash.js';
import { TreeBuilder } from './tree-builder.js';
import { verifyConsistency } from './verify-consistency.js';
import { verifyInclusion } from './verify-inclusion.js';

const vectorsDir = sharedPath('vectors', 'merkle');
/** A clone without ../shared skips these suites, saying why in their title. */
const title = (name: string): string => (hasShared ? name : `${name}: ${sharedMissingReason}`);
const codes = new Set<string>(Object.values(MerkleErrorCode));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function b64(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function hex(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'hex'));
}

/**
 * Mutations whose failure reason does not depend on the sizes involved. The "wrong" leaf and roots of these
 * vectors are 9-byte strings ("WrongLeaf", "WrongRoot"): refused as malformed hashes before any hashing.
 */
const expectedCode: Record<string, string> = {
  'wrong leaf': MerkleErrorCode.InvalidHash,
  'wrong root1': MerkleErrorCode.InvalidHash,
  'wrong root2': MerkleErrorCode.InvalidHash,
  'random root': MerkleErrorCode.ProofRootMismatch,
  'swapped roots': MerkleErrorCode.ProofRootMismatch,
  'inserted component': MerkleErrorCode.ProofWrongLength,
  'removed component': MerkleErrorCode.ProofWrongLength,
  'truncated proof': MerkleErrorCode.ProofWrongLength,
  'empty proof': MerkleErrorCode.ProofWrongLength,
  'preceding garbage': MerkleErrorCode.ProofWrongLength,
  'trailing garbage': MerkleErrorCode.ProofWrongLength,
  'preceding root': MerkleErrorCode.ProofWrongLength,
  'trailing root': MerkleErrorCode.ProofWrongLength,
  'empty leaf': MerkleErrorCode.InvalidHash,
  'empty root and leaf': MerkleErrorCode.InvalidHash,
};

function expectOutcome(run: () => void, wantErr: boolean, desc: string): void {
  if (!wantErr) {
    expect(run).not.toThrow();
    return;
  }
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(isDocketError(thrown), `expected a DocketError, got ${String(thrown)}`).toBe(true);
  const code = (thrown as { code: string }).code;
  expect(codes.has(code), `unexpected code ${code}`).toBe(true);
  const modifiedProof = desc.startsWith('modified proof') ? MerkleErrorCode.ProofRootMismatch : undefined;
  const wanted = expectedCode[desc] ?? modifiedProof;
  if (wanted !== undefined) expect(code).toBe(wanted);
}

describe.skipIf(!hasShared)(title('vectors: transparency-dev/merkle inclusion testdata (../shared)'), () => {
  const dir = join(vectorsDir, 'inclusion');
  const files = hasShared ? jsonFiles(dir) : [];

  it('finds the vectors', () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
  });

  it.each(files.map((file) => [relative(dir, file), file]))('%s', (_name, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8')) as {
      leafIdx: number;
      treeSize: number;
      root: string;
      leafHash: string;
      proof: string[] | null;
      desc: string;
      wantErr: boolean;
    };
    // leafIdx 2^64-1 (uint64 -1) parses to 18446744073709552000: beyond MAX_SAFE_INTEGER, so refused.
    const run = () =>
      verifyInclusion(b64(v.leafHash), v.leafIdx, v.treeSize, (v.proof ?? []).map(b64), b64(v.root));
    expectOutcome(run, v.wantErr, v.desc);
  });
});

describe.skipIf(!hasShared)(
  title('vectors: transparency-dev/merkle consistency testdata (../shared)'),
  () => {
    const dir = join(vectorsDir, 'consistency');
    const files = hasShared ? jsonFiles(dir) : [];

    it('finds the vectors', () => {
      expect(files.length).toBeGreaterThanOrEqual(80);
    });

    it.each(files.map((file) => [relative(dir, file), file]))('%s', (_name, file) => {
      const v = JSON.parse(readFileSync(file, 'utf8')) as {
        size1: number;
        size2: number;
        root1: string;
        root2: string;
        proof: string[] | null;
        desc: string;
        wantErr: boolean;
      };
      const run = () =>
        verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
      expectOutcome(run, v.wantErr, v.desc);
    });
  },
);

describe.skipIf(!hasShared)(
  title('vectors: RFC 6962 reference tree (../shared, transparency-dev/merkle testonly)'),
  () => {
    const load = () =>
      JSON.parse(readFileSync(join(vectorsDir, 'rfc6962-reference-tree.json'), 'utf8')) as {
        leafInputs: string[];
        rootHashes: string[];
        nodeHashes: string[][];
      };

    it('root of the first N leaves matches rootHashes[N] for N = 0..8', () => {
      const v = load();
      const tree = new TreeBuilder();
      expect(tree.root()).toEqual(hex(v.rootHashes[0] as string));
      expect(EMPTY_ROOT).toEqual(hex(v.rootHashes[0] as string));
      v.leafInputs.forEach((input, i) => {
        tree.append(hashLeaf(hex(input)));
        expect(Buffer.from(tree.root()).toString('hex'), `root of ${i + 1} leaves`).toBe(v.rootHashes[i + 1]);
      });
    });

    it('the nodes TreeBuilder creates are exactly nodeHashes[level][index]', () => {
      const v = load();
      const tree = new TreeBuilder();
      const stored = new Map<string, string>();
      for (const input of v.leafInputs) {
        for (const node of tree.append(hashLeaf(hex(input)))) {
          stored.set(`${node.id.level}/${node.id.index}`, Buffer.from(node.hash).toString('hex'));
        }
      }
      const expected = new Map<string, string>();
      v.nodeHashes.forEach((row, level) => {
        row.forEach((hash, index) => {
          expected.set(`${level}/${index}`, hash);
        });
      });
      expect(stored).toEqual(expected);
    });
  },
);
