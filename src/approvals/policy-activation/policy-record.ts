import { type Digest, isDigest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import type { DecodedEntry } from '../../ledger/index.js';
import { ApprovalPolicyErrorCode } from './errors.js';

/** Who activated a policy: a verified identity, or (without a token) the local operating-system user. */
export type PolicyActivator =
  | { readonly kind: 'local-user'; readonly name: string }
  | {
      readonly kind: 'identity';
      readonly issuer: string;
      readonly subject: string;
      /** True when the identity came from a dev-identity token (embedded demo only). */
      readonly dev: boolean;
      /** `sha256:` of the token that authenticated the activation; never the token itself. */
      readonly tokenDigest: string;
    };

/** The predicate of a `policy` record: which policy became active, which one it replaced, and who did it. */
export interface PolicyPredicate {
  readonly name: string;
  readonly policyDigest: Digest;
  /** The digest of the policy active before this one; null for the first. */
  readonly previousPolicyDigest: Digest | null;
  readonly activatedBy: PolicyActivator;
}

/** The record type of policy activations; the active policy is the latest entry of this type. */
export const POLICY_RECORD_TYPE = 'policy';

/** Reads a `policy` entry's predicate as hostile data (it is signed, but may come from another docket version). */
export function readPolicyPredicate(entry: DecodedEntry): PolicyPredicate {
  const unreadable = (why: string): never => {
    throw new DocketError(
      ApprovalPolicyErrorCode.PolicyUnreadable,
      `policy record at log index ${entry.index} is unusable: ${why}`,
      { details: { index: entry.index } },
    );
  };
  if (entry.recordType !== POLICY_RECORD_TYPE) unreadable(`it is a ${entry.recordType} record`);
  const p = entry.statement.predicate;
  const { name, policyDigest, previousPolicyDigest, activatedBy } = p;
  if (typeof name !== 'string' || name.length === 0) unreadable('no policy name');
  if (!isDigest(policyDigest)) unreadable('no policy digest');
  if (previousPolicyDigest !== null && !isDigest(previousPolicyDigest))
    unreadable('bad previous policy digest');
  if (typeof activatedBy !== 'object' || activatedBy === null) unreadable('no activator');
  return {
    name: name as string,
    policyDigest: policyDigest as Digest,
    previousPolicyDigest: previousPolicyDigest as Digest | null,
    activatedBy: activatedBy as PolicyActivator,
  };
}
