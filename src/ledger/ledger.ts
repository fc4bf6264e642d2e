import { DocketError } from '../errors/index.js';
import { type Signer, type Verifier, verifierFromPublicKey } from '../keys/index.js';
import { type DecodedEntry, decodeEntry } from './decode-entry.js';
import { makeStatement, type Statement, serializeEnvelope, signStatement } from './envelope/index.js';
import { LedgerErrorCode } from './errors.js';
import {
  appendNodes,
  appendPlan,
  consistencyPlan,
  EMPTY_ROOT,
  hashLeaf,
  hashOfNodes,
  inclusionPlan,
  type NodeId,
  resolvePlan,
  rootPlan,
} from './merkle/index.js';
import { signCheckpoint } from './note/index.js';
import type { ConsistencyProof, InclusionProof } from './proofs.js';
import { toBase64 } from './proofs.js';
import { assertRecord, keysOf, type LedgerRecord, predicateTypeOf } from './record.js';
import type { AppendTransaction, LogStore, NewEntry, StoredCheckpoint, TreeNode } from './store/index.js';
import { nodeKey } from './store/index.js';

/** What an append returns for each record: where it landed and under which checkpoint. */
export interface AppendedEntry {
  index: number;
  leafHash: string;
  recordedAt: string;
  recordType: string;
  statement: Statement;
  checkpointSize: number;
}

export interface AppendOptions {
  /** Append only if the latest entry with this lookup key is `index` (null: there is none yet). */
  expectHead?: { key: string; value: string; index: number | null };
}

export interface LedgerOptions {
  store: LogStore;
  /**
   * Signs entries and checkpoints; its key name is the log's origin. Without one the ledger is read-only:
   * an auditor verifies with verifier keys alone.
   */
  signer?: Signer;
  /** The log's origin; defaults to the signer's key name. */
  origin?: string;
  /** Keys whose signatures verify (the current key and any retired ones). Defaults to the signer's. */
  verifiers?: readonly Verifier[];
  clock?: () => Date;
}

/**
 * The verifiable ledger: an append-only sequence of signed DSSE envelopes (in-toto Statement v1), an RFC 9162
 * Merkle tree over them kept as stored subtree hashes, and a signed C2SP checkpoint after every append.
 */
export class Ledger {
  readonly store: LogStore;
  readonly verifiers: readonly Verifier[];
  readonly origin: string;
  private readonly maybeSigner: Signer | undefined;
  private readonly clock: () => Date;
  private originChecked = false;

  constructor(options: LedgerOptions) {
    this.store = options.store;
    this.maybeSigner = options.signer;
    const origin = options.origin ?? options.signer?.name;
    if (origin === undefined) {
      throw new DocketError(LedgerErrorCode.Open, 'a ledger needs an origin or a signing key');
    }
    this.origin = origin;
    const signer = options.signer;
    if (signer !== undefined && signer.name !== origin) {
      throw new DocketError(
        LedgerErrorCode.Open,
        `the signing key ${signer.name} is not named after the origin ${origin}`,
      );
    }
    this.verifiers =
      options.verifiers ??
      (signer === undefined ? [] : [verifierFromPublicKey(signer.name, signer.publicKey)]);
    this.clock = options.clock ?? (() => new Date());
  }

  /** The signing key; a read-only ledger (opened without one) refuses to append. */
  get signer(): Signer {
    if (this.maybeSigner === undefined) {
      throw new DocketError(LedgerErrorCode.ReadOnly, 'this ledger was opened read-only (no signing key)');
    }
    return this.maybeSigner;
  }

  /** The verifier key of the log (C2SP note verifier key), from the verifier named after the origin. */
  get verifierKey(): string {
    const verifier = this.verifiers.find((v) => v.name === this.origin);
    if (verifier === undefined) {
      throw new DocketError(LedgerErrorCode.Open, `no verifier key is named after the origin ${this.origin}`);
    }
    return verifier.verifierKey;
  }

  /** Initialises an empty log: records its origin and signs the checkpoint of size 0. */
  async initialise(): Promise<StoredCheckpoint> {
    await this.store.initMeta('origin', this.origin);
    const existing = await this.store.latestCheckpoint();
    if (existing !== undefined) return existing;
    return this.store.appendTransaction(async (tx) => this.seal(tx, 0));
  }

  /**
   * Appends records atomically, in order: each is signed, hashed into the tree, and one new checkpoint covering
   * them all is signed in the same durable transaction. Nothing is written if any step fails.
   *
   * A record may chain to an earlier record of the same batch (`chainTo`), which sets its `prev` to that entry's
   * index and leaf hash. `options.expectHead` makes the append conditional on the latest entry carrying a lookup
   * key (e.g. a request's history): if another writer got there first, it fails with ERR_LEDGER_CONFLICT and
   * appends nothing, so a request's history can never fork.
   */
  async append(records: readonly LedgerRecord[], options: AppendOptions = {}): Promise<AppendedEntry[]> {
    if (records.length === 0) return [];
    records.forEach((record, offset) => {
      assertRecord(record, offset);
    });
    await this.assertOrigin();
    return this.store.appendTransaction(async (tx) => {
      if (options.expectHead !== undefined) {
        const { key, value, index } = options.expectHead;
        const head = await tx.lastEntryFor(key, value);
        if ((head ?? null) !== index) {
          throw new DocketError(
            LedgerErrorCode.Conflict,
            `the history of ${key} ${value} moved on (head ${head ?? 'none'}, expected ${index ?? 'none'}); read it again`,
            { details: { key, value, expected: index, head: head ?? null } },
          );
        }
      }
      const first = await tx.size();
      const recordedAt = this.clock().toISOString();
      const entries: NewEntry[] = [];
      const statements: Statement[] = [];
      for (const record of records) {
        const predicate: Record<string, unknown> = { ...record.predicate, recordedAt };
        if (record.chainTo !== undefined) {
          const target = entries[record.chainTo] as NewEntry;
          predicate.prev = { index: first + record.chainTo, leafHash: toBase64(target.leafHash) };
        }
        const statement = makeStatement({
          subject: record.subject.map((s) => ({
            name: s.name,
            digest: { sha256: s.digest.slice('sha256:'.length) },
          })),
          predicateType: predicateTypeOf(record.type),
          predicate,
        });
        const envelope = serializeEnvelope(signStatement(statement, this.signer));
        statements.push(statement);
        entries.push({
          leafHash: hashLeaf(envelope),
          envelope,
          recordType: record.type,
          recordedAt,
          keys: keysOf(record),
        });
      }
      await tx.insertEntries(first, entries);
      const created = new Map<string, Uint8Array>();
      for (let i = 0; i < entries.length; i++) {
        const index = first + i;
        const needed = appendPlan(index).filter((id) => !created.has(nodeKey(id)));
        const fetched = await tx.nodes(needed);
        const lookup = (id: NodeId): Uint8Array => {
          const hash = created.get(nodeKey(id)) ?? fetched.get(nodeKey(id));
          if (hash === undefined) throw missingNode(id);
          return hash;
        };
        const nodes = appendNodes(index, (entries[i] as NewEntry).leafHash, lookup);
        for (const node of nodes) created.set(nodeKey(node.id), node.hash);
        await tx.insertNodes(nodes);
      }
      const size = first + entries.length;
      await this.seal(tx, size, created);
      return entries.map((entry, i) => ({
        index: first + i,
        leafHash: toBase64(entry.leafHash),
        recordedAt,
        recordType: entry.recordType,
        statement: statements[i] as Statement,
        checkpointSize: size,
      }));
    });
  }

  /** Signs and stores the checkpoint of the tree at `size`, inside the append transaction. */
  private async seal(
    tx: AppendTransaction,
    size: number,
    fresh = new Map<string, Uint8Array>(),
  ): Promise<StoredCheckpoint> {
    const plan = rootPlan(size);
    const fetched = await tx.nodes(plan.filter((id) => !fresh.has(nodeKey(id))));
    const rootHash =
      size === 0
        ? EMPTY_ROOT
        : hashOfNodes(
            plan.map((id) => {
              const hash = fresh.get(nodeKey(id)) ?? fetched.get(nodeKey(id));
              if (hash === undefined) throw missingNode(id);
              return hash;
            }),
          );
    const checkpoint: StoredCheckpoint = {
      size,
      rootHash,
      note: signCheckpoint({ origin: this.origin, size, rootHash }, this.signer),
      createdAt: this.clock().toISOString(),
    };
    await tx.insertCheckpoint(checkpoint);
    return checkpoint;
  }

  async size(): Promise<number> {
    return this.store.size();
  }

  async latestCheckpoint(): Promise<StoredCheckpoint> {
    const cp = await this.store.latestCheckpoint();
    if (cp === undefined) {
      throw new DocketError(LedgerErrorCode.CheckpointNotFound, 'the log has no checkpoint: run docket init');
    }
    return cp;
  }

  /** Reads one entry, checks its leaf hash and signature, and decodes its statement. */
  async readEntry(index: number): Promise<DecodedEntry> {
    assertIndex(index, 'index');
    const stored = await this.store.entry(index);
    if (stored === undefined) {
      throw new DocketError(LedgerErrorCode.EntryNotFound, `no entry at index ${index}`, {
        details: { index },
      });
    }
    return decodeEntry(stored, this.verifiers);
  }

  /** Entry indices whose lookup key matches, in log order. */
  async find(key: string, value: string): Promise<number[]> {
    return this.store.findEntries(key, value);
  }

  /** RFC 9162 §2.1.3 inclusion proof of entry `index` against the kept checkpoint at `treeSize` (default latest). */
  async proveInclusion(index: number, treeSize?: number): Promise<InclusionProof> {
    assertIndex(index, 'index');
    const checkpoint = await this.keptCheckpoint(treeSize);
    if (index >= checkpoint.size) {
      throw new DocketError(
        LedgerErrorCode.OutOfRange,
        `entry ${index} is not in the tree of size ${checkpoint.size}`,
        { details: { index, treeSize: checkpoint.size } },
      );
    }
    const stored = await this.store.entry(index);
    if (stored === undefined) {
      throw new DocketError(LedgerErrorCode.EntryNotFound, `no entry at index ${index}`, {
        details: { index },
      });
    }
    const proof = await this.resolve(inclusionPlan(index, checkpoint.size));
    return {
      origin: this.origin,
      index,
      treeSize: checkpoint.size,
      leafHash: toBase64(stored.leafHash),
      proof: proof.map(toBase64),
      checkpoint: checkpoint.note,
    };
  }

  /** RFC 9162 §2.1.4 consistency proof between two kept checkpoints (`size2` defaults to the latest). */
  async proveConsistency(size1: number, size2?: number): Promise<ConsistencyProof> {
    assertIndex(size1, 'size1');
    const second = await this.keptCheckpoint(size2);
    const first = await this.keptCheckpoint(size1);
    if (first.size > second.size) {
      throw new DocketError(
        LedgerErrorCode.OutOfRange,
        `size1 ${first.size} is larger than size2 ${second.size}`,
        {
          details: { size1: first.size, size2: second.size },
        },
      );
    }
    const proof =
      first.size === 0 || first.size === second.size
        ? []
        : await this.resolve(consistencyPlan(first.size, second.size));
    return {
      origin: this.origin,
      size1: first.size,
      size2: second.size,
      proof: proof.map(toBase64),
      checkpoint1: first.note,
      checkpoint2: second.note,
    };
  }

  private async keptCheckpoint(size: number | undefined): Promise<StoredCheckpoint> {
    if (size === undefined) return this.latestCheckpoint();
    assertIndex(size, 'tree size');
    const cp = await this.store.checkpoint(size);
    if (cp === undefined) {
      throw new DocketError(
        LedgerErrorCode.CheckpointNotFound,
        `no checkpoint was issued at tree size ${size}`,
        {
          details: { size },
        },
      );
    }
    return cp;
  }

  private async resolve(plan: NodeId[][]): Promise<Uint8Array[]> {
    const fetched = await this.store.nodes(plan.flat());
    return resolvePlan(plan, (id) => {
      const hash = fetched.get(nodeKey(id));
      if (hash === undefined) throw missingNode(id);
      return hash;
    });
  }

  private async assertOrigin(): Promise<void> {
    // The origin never changes once set (initMeta refuses), so one successful check holds for this instance.
    if (this.originChecked) return;
    const origin = await this.store.getMeta('origin');
    if (origin !== this.origin) {
      throw new DocketError(
        LedgerErrorCode.Open,
        origin === undefined
          ? 'the log is not initialised: run docket init'
          : `the signing key ${this.origin} is not this log's key (${origin})`,
        { details: { origin, key: this.origin } },
      );
    }
    this.originChecked = true;
  }
}

export type { TreeNode };

function missingNode(id: NodeId): DocketError {
  return new DocketError(
    LedgerErrorCode.NodeMissing,
    `tree node level ${id.level} index ${id.index} is missing`,
    {
      details: { level: id.level, index: id.index },
    },
  );
}

function assertIndex(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DocketError(LedgerErrorCode.OutOfRange, `${what} must be a non-negative integer`, {
      details: { value },
    });
  }
}
