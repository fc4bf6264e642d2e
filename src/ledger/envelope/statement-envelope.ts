import type { Signer, Verifier } from '../../keys/index.js';
import type { Envelope } from './envelope.js';
import { signEnvelope } from './sign-envelope.js';
import { encodeStatement, parseStatement, STATEMENT_PAYLOAD_TYPE, type Statement } from './statement.js';
import { verifyEnvelope } from './verify-envelope.js';

/** A statement taken from an envelope whose signature checked out. */
export interface VerifiedStatement {
  readonly statement: Statement;
  /** Key ID of the first verifying signature. */
  readonly keyIdHex: string;
  readonly verifiedBy: readonly Verifier[];
}

/**
 * Signs a statement as a DSSE envelope of type application/vnd.in-toto+json over its canonical JSON.
 *
 * @example
 * const bytes = serializeEnvelope(signStatement(makeStatement(input), signer));
 */
export function signStatement(statement: Statement, signer: Signer): Envelope {
  return signEnvelope(STATEMENT_PAYLOAD_TYPE, encodeStatement(statement), signer);
}

/**
 * Verifies the envelope, requires the in-toto payload type, then parses the statement — in that order, as the
 * in-toto processing model and DSSE's "To verify" steps say: nothing unauthenticated is parsed.
 *
 * @example
 * const { statement } = openStatementEnvelope(parseEnvelope(bytes), verifiers);
 */
export function openStatementEnvelope(envelope: Envelope, verifiers: readonly Verifier[]): VerifiedStatement {
  const verified = verifyEnvelope(envelope, verifiers, { payloadType: STATEMENT_PAYLOAD_TYPE });
  return Object.freeze({
    statement: parseStatement(verified.payload),
    keyIdHex: verified.keyIdHex,
    verifiedBy: verified.verifiedBy,
  });
}
