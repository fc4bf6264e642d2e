import type { ArtefactStore } from '../../artefacts/index.js';
import { canonicalJsonBytes, type Digest, parseDigest, sha256Digest } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import type { TokenVerifier } from '../../identity/index.js';
import { type Ledger, LedgerErrorCode, type LedgerRecord } from '../../ledger/index.js';
import { validatePolicy } from '../policy/index.js';
import { latestPolicyIndex } from './active-policy.js';
import { ApprovalPolicyErrorCode } from './errors.js';
import {
  POLICY_RECORD_TYPE,
  type PolicyActivator,
  type PolicyPredicate,
  readPolicyPredicate,
} from './policy-record.js';

/** What activation needs: the ledger, the artefact store, and a token verifier when activating with a token. */
export interface PolicyActivationContext {
  readonly ledger: Ledger;
  readonly artefacts: ArtefactStore;
  readonly identity?: TokenVerifier;
}

/** Who activates: a bearer token (verified), or the local operating-system user when no identity is configured. */
export type ActivateAs = { readonly token: string } | { readonly localUser: string };

/** Input of {@link activatePolicy}. */
export interface ActivatePolicyInput {
  /** Policy data, e.g. `loadPolicy(text).policy`; validated again here. */
  readonly policy: unknown;
  readonly as: ActivateAs;
}

/** What {@link activatePolicy} did. */
export interface ActivatedPolicy {
  readonly name: string;
  readonly digest: Digest;
  readonly previousPolicyDigest: Digest | null;
  /** Log index of the `policy` record (the existing one when `appended` is false). */
  readonly index: number;
  /** False when this very policy was already the active one: nothing was appended. */
  readonly appended: boolean;
}

const MAX_ATTEMPTS = 3;
const POLICY_MEDIA_TYPE = 'application/json';

/**
 * Activates a policy: stores its RFC 8785 canonical JSON in the artefact store (kind `policy`) and appends, in one
 * atomic append, the artefact record (unless these bytes were already registered as a policy) and a `policy`
 * record citing the policy digest, the previous policy's digest and the activator. The append is conditional on
 * the latest `policy` record (expectHead), so two concurrent activations cannot both claim the same predecessor.
 * Activating the policy that is already active appends nothing.
 *
 * @throws DocketError ERR_POLICY_INVALID / ERR_POLICY_INCONSISTENT (the policy), ERR_IDENTITY_* (the token),
 *   ERR_APPROVAL_ACTIVATION_INVALID; nothing is appended on any refusal
 * @example
 * const { policy } = loadPolicy(await readFile('credit-risk.yaml', 'utf8'), { sourceName: 'credit-risk.yaml' });
 * const activated = await activatePolicy(docket.approvals, { policy, as: { token } });
 */
export async function activatePolicy(
  ctx: PolicyActivationContext,
  input: ActivatePolicyInput,
): Promise<ActivatedPolicy> {
  const loaded = validatePolicy(input?.policy, { sourceName: 'the policy to activate' });
  const { policy } = loaded;
  const digest = parseDigest(loaded.digest);
  const activatedBy = await activator(ctx, input?.as);
  const bytes = canonicalJsonBytes(policy);
  if (sha256Digest(bytes) !== digest) {
    // Both sides are RFC 8785 of the same validated object: a difference is a bug, never a user error.
    throw new Error(`canonical policy bytes do not hash to the policy digest ${digest}`);
  }
  await ctx.artefacts.putBytes(bytes, { expectedDigest: digest });
  for (let attempt = 1; ; attempt++) {
    const headIndex = await latestPolicyIndex(ctx.ledger);
    const previous =
      headIndex === undefined
        ? null
        : readPolicyPredicate(await ctx.ledger.readEntry(headIndex)).policyDigest;
    if (headIndex !== undefined && previous === digest) {
      return { name: policy.name, digest, previousPolicyDigest: previous, index: headIndex, appended: false };
    }
    const predicate: PolicyPredicate = {
      name: policy.name,
      policyDigest: digest,
      previousPolicyDigest: previous,
      activatedBy,
    };
    const records: LedgerRecord[] = [];
    if (!(await registeredAsPolicy(ctx.ledger, digest))) {
      records.push(artefactRecord(policy.name, digest, bytes.byteLength, activatedBy));
    }
    records.push({
      type: POLICY_RECORD_TYPE,
      subject: [{ name: `policy/${policy.name}`, digest }],
      predicate: { ...predicate },
      keys: [{ key: 'policy', value: policy.name }],
    });
    try {
      const appended = await ctx.ledger.append(records, {
        expectHead: { key: 'type', value: POLICY_RECORD_TYPE, index: headIndex ?? null },
      });
      const entry = appended.at(-1) as { index: number };
      return {
        name: policy.name,
        digest,
        previousPolicyDigest: previous,
        index: entry.index,
        appended: true,
      };
    } catch (err) {
      if (!isDocketError(err, LedgerErrorCode.Conflict) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

async function activator(ctx: PolicyActivationContext, as: ActivateAs | undefined): Promise<PolicyActivator> {
  const invalid = (why: string): never => {
    throw new DocketError(ApprovalPolicyErrorCode.ActivationInvalid, `policy activation refused: ${why}`);
  };
  if (typeof as !== 'object' || as === null)
    return invalid('say who activates it (a token or the local user)');
  if ('token' in as) {
    if (ctx.identity === undefined)
      return invalid('a token was given but no identity verifier is configured');
    const who = await ctx.identity.verify(as.token);
    return {
      kind: 'identity',
      issuer: who.issuer,
      subject: who.subject,
      dev: who.dev,
      tokenDigest: who.tokenEvidence.tokenDigest,
    };
  }
  const name = (as as { localUser?: unknown }).localUser;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (typeof name !== 'string' || !/^[^\u0000-\u001f\u007f]{1,256}$/.test(name)) {
    return invalid('the local user name must be 1-256 printable characters');
  }
  return { kind: 'local-user', name };
}

async function registeredAsPolicy(ledger: Ledger, digest: Digest): Promise<boolean> {
  for (const index of await ledger.find('subject', digest)) {
    const entry = await ledger.readEntry(index);
    if (entry.recordType === 'artefact' && entry.statement.predicate.kind === 'policy') return true;
  }
  return false;
}

// The same predicate shape registerArtefact writes (src/evidence), so `docket artefact ls` lists the policy bytes.
function artefactRecord(name: string, digest: Digest, size: number, by: PolicyActivator): LedgerRecord {
  const fileName = `policy-${name}.json`;
  return {
    type: 'artefact',
    subject: [{ name: fileName, digest }],
    predicate: {
      kind: 'policy',
      mediaType: POLICY_MEDIA_TYPE,
      size,
      name: fileName,
      registeredBy:
        by.kind === 'local-user'
          ? { kind: 'local-user', name: by.name }
          : { kind: 'identity', name: `${by.subject} (${by.issuer})` },
    },
    keys: [{ key: 'artefact-kind', value: 'policy' }],
  };
}
