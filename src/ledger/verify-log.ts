import { isDocketError } from '../errors/index.js';
import type { Verifier } from '../keys/index.js';
import { decodeEntry } from './decode-entry.js';
import { EMPTY_ROOT, hashLeaf, type NodeId, TreeBuilder } from './merkle/index.js';
import { openCheckpoint } from './note/index.js';
import { toBase64 } from './proofs.js';
import type { LogStore, StoredCheckpoint } from './store/index.js';
import { nodeKey } from './store/index.js';

/** One thing verification found wrong, named precisely enough to find it. */
export interface VerifyProblem {
  code:
    | 'ENTRY_CORRUPT'
    | 'ENTRY_MISSING'
    | 'NODE_MISMATCH'
    | 'NODE_MISSING'
    | 'CHECKPOINT_SIGNATURE'
    | 'CHECKPOINT_MISMATCH'
    | 'CHECKPOINT_ROOT'
    | 'CHECKPOINT_BEYOND_LOG'
    | 'UNCOVERED_ENTRIES'
    | 'NO_CHECKPOINT';
  message: string;
  index?: number;
  treeSize?: number;
  node?: NodeId;
}

export interface VerifyReport {
  ok: boolean;
  origin: string;
  size: number;
  entriesChecked: number;
  nodesChecked: number;
  checkpointsChecked: number;
  latestCheckpoint?: { size: number; rootHash: string };
  problems: VerifyProblem[];
}

const NODE_BATCH = 4096;
const MAX_PROBLEMS = 1000;

/**
 * Full verification of a log from its stored bytes alone:
 * - every checkpoint's note signature (C2SP signed-note) and that its text matches the stored size and root;
 * - every entry: leaf hash recomputed from the envelope bytes, DSSE signature, statement well-formed, no gaps;
 * - the tree recomputed from the leaves (RFC 9162 §2.1.1), compared with every stored subtree hash (so proofs
 *   served from stored nodes are right) and with the root of every kept checkpoint. All checkpoints being
 *   prefixes of one recomputed leaf sequence is consistency between every pair of them, which is stronger than
 *   checking consistency proofs built from the stored nodes, since those nodes are themselves under test.
 */
export async function verifyLog(
  store: LogStore,
  origin: string,
  verifiers: readonly Verifier[],
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const report = (p: VerifyProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const size = await store.size();
  const checkpoints = await store.checkpoints();
  const verifier = verifiers.find((v) => v.name === origin);

  for (const cp of checkpoints) checkCheckpointNote(cp, origin, verifier, verifiers, report);
  const latest = checkpoints[checkpoints.length - 1];
  if (latest === undefined) report({ code: 'NO_CHECKPOINT', message: 'the log has no checkpoint at all' });
  else if (latest.size < size) {
    report({
      code: 'UNCOVERED_ENTRIES',
      message: `entries ${latest.size}..${size - 1} are not covered by any signed checkpoint`,
      treeSize: latest.size,
    });
  }
  for (const cp of checkpoints) {
    if (cp.size > size) {
      report({
        code: 'CHECKPOINT_BEYOND_LOG',
        message: `checkpoint at size ${cp.size} is beyond the log's ${size} entries (entries were removed)`,
        treeSize: cp.size,
      });
    }
  }
  const roots = new Map<number, StoredCheckpoint>(checkpoints.map((cp) => [cp.size, cp]));
  const zero = roots.get(0);
  if (zero !== undefined && !equal(zero.rootHash, EMPTY_ROOT)) {
    report({
      code: 'CHECKPOINT_ROOT',
      message: 'checkpoint at size 0 does not have the empty root',
      treeSize: 0,
    });
  }

  const builder = new TreeBuilder();
  let pending: { id: NodeId; hash: Uint8Array }[] = [];
  let nodesChecked = 0;
  const flushNodes = async (): Promise<void> => {
    const stored = await store.nodes(pending.map((n) => n.id));
    for (const node of pending) {
      const found = stored.get(nodeKey(node.id));
      nodesChecked++;
      if (found === undefined) {
        report({
          code: 'NODE_MISSING',
          message: `tree node level ${node.id.level} index ${node.id.index} is missing`,
          node: node.id,
        });
      } else if (!equal(found, node.hash)) {
        report({
          code: 'NODE_MISMATCH',
          message: `stored tree hash at level ${node.id.level} index ${node.id.index} differs from the recomputed one`,
          node: node.id,
        });
      }
    }
    pending = [];
  };

  let expected = 0;
  for await (const stored of store.scanEntries(0, size)) {
    while (expected < stored.index) {
      report({ code: 'ENTRY_MISSING', message: `entry ${expected} is missing`, index: expected });
      expected++;
    }
    expected = stored.index + 1;
    try {
      decodeEntry(stored, verifiers);
    } catch (err) {
      report({
        code: 'ENTRY_CORRUPT',
        message: isDocketError(err) ? err.message : `entry ${stored.index} cannot be decoded`,
        index: stored.index,
      });
    }
    // The tree is rebuilt from the stored bytes, not the stored leaf hash, so a swapped envelope shows up
    // as a root mismatch even if someone also rewrote its leaf hash.
    for (const node of builder.append(hashLeaf(stored.envelope))) pending.push(node);
    if (pending.length >= NODE_BATCH) await flushNodes();
    const cp = roots.get(builder.size);
    if (cp !== undefined && !equal(builder.root(), cp.rootHash)) {
      report({
        code: 'CHECKPOINT_ROOT',
        message: `checkpoint at size ${cp.size} does not match the tree recomputed from the entries`,
        treeSize: cp.size,
      });
    }
  }
  await flushNodes();

  return {
    ok: problems.length === 0,
    origin,
    size,
    entriesChecked: expected,
    nodesChecked,
    checkpointsChecked: checkpoints.length,
    ...(latest === undefined
      ? {}
      : { latestCheckpoint: { size: latest.size, rootHash: toBase64(latest.rootHash) } }),
    problems,
  };
}

function checkCheckpointNote(
  cp: StoredCheckpoint,
  origin: string,
  verifier: Verifier | undefined,
  verifiers: readonly Verifier[],
  report: (p: VerifyProblem) => void,
): void {
  try {
    if (verifier === undefined) throw new Error(`no verifier key named ${origin}`);
    const opened = openCheckpoint(cp.note, verifiers, { origin });
    if (opened.size !== cp.size || !equal(opened.rootHash, cp.rootHash)) {
      report({
        code: 'CHECKPOINT_MISMATCH',
        message: `checkpoint at size ${cp.size}: the signed note says size ${opened.size}, another root or size than stored`,
        treeSize: cp.size,
      });
    }
  } catch (err) {
    report({
      code: 'CHECKPOINT_SIGNATURE',
      message: `checkpoint at size ${cp.size} does not verify: ${err instanceof Error ? err.message : String(err)}`,
      treeSize: cp.size,
    });
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
