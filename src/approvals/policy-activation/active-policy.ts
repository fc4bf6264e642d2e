import type { ArtefactStore } from '../../artefacts/index.js';
import { type Digest, parseDigest } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import type { Ledger } from '../../ledger/index.js';
import { type LoadedPolicy, validatePolicy } from '../policy/index.js';
import { ApprovalPolicyErrorCode } from './errors.js';
import { POLICY_RECORD_TYPE, type PolicyActivator, readPolicyPredicate } from './policy-record.js';

/** Largest stored policy docket reads back (the loader accepts 256 Ki characters of YAML). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** The policy in force: validated from the bytes in the store, with the record that activated it. */
export interface ActivePolicy extends LoadedPolicy {
  /** Log index of the `policy` record that activated it. */
  readonly index: number;
  readonly activatedAt: string;
  readonly activatedBy: PolicyActivator;
  readonly previousPolicyDigest: Digest | null;
}

/**
 * The active policy: the latest `policy` record, its bytes re-read from the artefact store (verified against their
 * digest) and re-validated, so a classification never runs on a policy other than the one the record cites.
 *
 * @throws DocketError ERR_APPROVAL_NO_POLICY when none was activated, ERR_APPROVAL_POLICY_UNREADABLE
 * @example
 * const { policy, digest } = await readActivePolicy(ledger, artefacts);
 */
export async function readActivePolicy(ledger: Ledger, artefacts: ArtefactStore): Promise<ActivePolicy> {
  const index = await latestPolicyIndex(ledger);
  if (index === undefined) {
    throw new DocketError(
      ApprovalPolicyErrorCode.NoPolicy,
      'no approval policy is active: activate one with docket policy activate <file>',
    );
  }
  const entry = await ledger.readEntry(index);
  const record = readPolicyPredicate(entry);
  const loaded = await readPolicy(artefacts, record.policyDigest);
  return {
    ...loaded,
    index,
    activatedAt: entry.recordedAt,
    activatedBy: record.activatedBy,
    previousPolicyDigest: record.previousPolicyDigest,
  };
}

/** Log index of the latest `policy` record, or undefined when there is none. */
export async function latestPolicyIndex(ledger: Ledger): Promise<number | undefined> {
  return (await ledger.find('type', POLICY_RECORD_TYPE)).at(-1);
}

/**
 * A policy by its digest, read from the artefact store and validated again; the digest of the validated policy
 * must equal the one asked for (the bytes are the policy's RFC 8785 canonical JSON, as activation stored them).
 *
 * @throws DocketError ERR_APPROVAL_POLICY_UNREADABLE naming the digest, with the store's or validator's error as cause
 */
export async function readPolicy(artefacts: ArtefactStore, policyDigest: string): Promise<LoadedPolicy> {
  const digest = parseDigest(policyDigest);
  const unreadable = (why: string, cause?: unknown): never => {
    throw new DocketError(ApprovalPolicyErrorCode.PolicyUnreadable, `policy ${digest} ${why}`, {
      details: { policyDigest: digest, ...(isDocketError(cause) ? { reason: cause.code } : {}) },
      cause,
    });
  };
  let bytes: Uint8Array;
  try {
    bytes = await artefacts.readVerified(digest, MAX_POLICY_BYTES);
  } catch (cause) {
    return unreadable('cannot be read from the artefact store', cause);
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    return unreadable('is not JSON', cause);
  }
  let loaded: LoadedPolicy;
  try {
    loaded = validatePolicy(data, { sourceName: digest });
  } catch (cause) {
    return unreadable('no longer validates', cause);
  }
  if (loaded.digest !== digest) unreadable(`validates to another digest (${loaded.digest})`);
  return loaded;
}
