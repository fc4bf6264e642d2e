export type { Envelope, EnvelopeSignature } from './envelope.js';
export {
  MAX_ENVELOPE_BYTES,
  MAX_ENVELOPE_SIGNATURES,
  MAX_PAYLOAD_TYPE_LENGTH,
  parseEnvelope,
  serializeEnvelope,
} from './envelope.js';
export { EnvelopeErrorCode } from './errors.js';
export { pae } from './pae.js';
export { signEnvelope } from './sign-envelope.js';
export type { Statement, StatementInput, StatementSubject } from './statement.js';
export {
  encodeStatement,
  MAX_STATEMENT_BYTES,
  MAX_SUBJECTS,
  makeStatement,
  parseStatement,
  STATEMENT_PAYLOAD_TYPE,
  STATEMENT_TYPE,
} from './statement.js';
export type { VerifiedStatement } from './statement-envelope.js';
export { openStatementEnvelope, signStatement } from './statement-envelope.js';
export type { VerifiedEnvelope, VerifyEnvelopeOptions } from './verify-envelope.js';
export { verifyEnvelope } from './verify-envelope.js';
