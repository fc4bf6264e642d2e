import type { ArtefactStore } from '../../artefacts/index.js';
import type { TokenVerifier } from '../../identity/index.js';
import type { Ledger } from '../../ledger/index.js';

/**
 * What approvals need: the ledger they append to, the artefact store holding the evidence and policies, and the
 * verifier that turns bearer tokens into identities. `now` is the clock for expiry (default: the system clock).
 *
 * @example
 * const ctx: ApprovalsContext = { ledger, artefacts, identity: createIdentityVerifier({ oidc: { issuer, audience } }) };
 */
export interface ApprovalsContext {
  readonly ledger: Ledger;
  readonly artefacts: ArtefactStore;
  readonly identity: TokenVerifier;
  readonly now?: () => Date;
}

/** The context's current time. */
export function nowOf(ctx: ApprovalsContext): Date {
  return ctx.now?.() ?? new Date();
}
