import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigner, parseVerifierKey } from '../../keys/index.js';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { parseEnvelope, serializeEnvelope } from './envelope.js';
import { EnvelopeErrorCode } from './errors.js';
import { signEnvelope } from './sign-envelope.js';
import { makeStatement, STATEMENT_PAYLOAD_TYPE } from './statement.js';
import { openStatementEnvelope, signStatement } from './statement-envelope.js';

describe('signStatement / openStatementEnvelope', () => {
  const signer = generateSigner('example.com/ledger');
  const verifier = parseVerifierKey(signer.verifierKey);
  const statement = makeStatement({
    subject: [{ name: 'model', digest: { sha256: createHash('sha256').update('m').digest('hex') } }],
    predicateType: 'https://docket.dev/promotion/v1',
    predicate: { approver: { issuer: 'https://idp.example', subject: 'alice' } },
  });

  it('round-trips a statement through signed, serialised envelope bytes', () => {
    const bytes = serializeEnvelope(signStatement(statement, signer));
    const opened = openStatementEnvelope(parseEnvelope(bytes), [verifier]);
    expect(opened.statement).toEqual(statement);
    expect(opened.keyIdHex).toBe(signer.keyIdHex);
    expect(parseEnvelope(bytes).payloadType).toBe('application/vnd.in-toto+json');
  });

  it('refuses an envelope of another payload type, and a signed payload that is not a statement', () => {
    const other = signEnvelope('application/json', new TextEncoder().encode('{}'), signer);
    expect(errorCodeOf(() => openStatementEnvelope(other, [verifier]))).toBe(EnvelopeErrorCode.PayloadType);
    const junk = signEnvelope(STATEMENT_PAYLOAD_TYPE, new TextEncoder().encode('{"_type":"x"}'), signer);
    expect(errorCodeOf(() => openStatementEnvelope(junk, [verifier]))).toBe(
      EnvelopeErrorCode.StatementMalformed,
    );
  });

  it('refuses a statement signed by another key', () => {
    const envelope = signStatement(statement, generateSigner('example.com/ledger'));
    expect(errorCodeOf(() => openStatementEnvelope(envelope, [verifier]))).toBe(EnvelopeErrorCode.Unverified);
  });
});
