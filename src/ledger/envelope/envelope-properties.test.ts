// Properties of the envelope and statement codecs over arbitrary and mutated input (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigner, parseVerifierKey } from '../../keys/index.js';
import { onlyCodedErrors } from '../../keys/test-support/error-code.js';
import { parseEnvelope, serializeEnvelope } from './envelope.js';
import { EnvelopeErrorCode } from './errors.js';
import { signEnvelope } from './sign-envelope.js';
import { encodeStatement, makeStatement, parseStatement } from './statement.js';
import { verifyEnvelope } from './verify-envelope.js';

const codes = Object.values(EnvelopeErrorCode);
const signer = generateSigner('example.com/ledger');
const verifier = parseVerifierKey(signer.verifierKey);
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Objects shaped almost like envelopes, to get past the first checks. */
const envelopeLike = fc.record(
  {
    payload: fc.oneof(fc.base64String({ maxLength: 40 }), fc.string({ maxLength: 10 }), fc.integer()),
    payloadType: fc.oneof(
      fc.constant('application/vnd.in-toto+json'),
      fc.string({ maxLength: 10 }),
      fc.constant(null),
    ),
    signatures: fc.oneof(
      fc.array(
        fc.record(
          {
            keyid: fc.oneof(fc.constant(signer.keyIdHex), fc.stringMatching(/^[0-9a-f]{8}$/), fc.string()),
            sig: fc.oneof(fc.base64String({ minLength: 4, maxLength: 100 }), fc.string()),
            extra: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

describe('parseEnvelope and verifyEnvelope on hostile input', () => {
  it('yield only coded errors for arbitrary bytes, JSON values and envelope-shaped objects', () => {
    const parseAndVerify = (bytes: Uint8Array) => () => verifyEnvelope(parseEnvelope(bytes), [verifier]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyCodedErrors(parseAndVerify(b), codes)),
    );
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (v) =>
        onlyCodedErrors(parseAndVerify(utf8(JSON.stringify(v) ?? '')), codes),
      ),
    );
    fc.assert(
      fc.property(envelopeLike, (v) => onlyCodedErrors(parseAndVerify(utf8(JSON.stringify(v))), codes)),
    );
  });

  it('never verifies a changed envelope as a different payload', () => {
    const bytes = serializeEnvelope(signEnvelope('application/x.test', utf8('{"a":1}'), signer));
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const changed = new Uint8Array(bytes);
        changed[at] = (changed[at] ?? 0) ^ xor;
        try {
          const verified = verifyEnvelope(parseEnvelope(changed), [verifier]);
          // Only the unauthenticated keyid could differ, and then no known key would be tried.
          return (
            Buffer.from(verified.payload).toString() === '{"a":1}' &&
            verified.payloadType === 'application/x.test'
          );
        } catch (err) {
          return onlyCodedErrors(() => {
            throw err;
          }, codes);
        }
      }),
    );
  });
});

describe('signEnvelope then verifyEnvelope', () => {
  it('round-trips any payload and payload type through serialised bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.uint8Array({ maxLength: 500 }),
        (payloadType, payload) => {
          const bytes = serializeEnvelope(signEnvelope(payloadType, payload, signer));
          const verified = verifyEnvelope(parseEnvelope(bytes), [verifier], { payloadType });
          expect(verified.payload).toEqual(payload);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('statements', () => {
  it('parseStatement yields only coded errors for arbitrary bytes and JSON values', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyCodedErrors(() => parseStatement(b), codes)),
    );
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (v) =>
        onlyCodedErrors(() => parseStatement(utf8(JSON.stringify(v) ?? '')), codes),
      ),
    );
  });

  it('makeStatement -> encodeStatement -> parseStatement -> encodeStatement is the identity on the bytes', () => {
    const subject = fc.record({
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
      digest: fc.record({ sha256: fc.stringMatching(/^[0-9a-f]{64}$/) }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(subject, { minLength: 1, maxLength: 4, selector: (s) => s.name }),
        fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 4 })),
        (subjects, predicate) => {
          const bytes = encodeStatement(
            makeStatement({ subject: subjects, predicateType: 'https://docket.dev/test/v1', predicate }),
          );
          expect(encodeStatement(parseStatement(bytes))).toEqual(bytes);
        },
      ),
      { numRuns: 200 },
    );
  });
});
