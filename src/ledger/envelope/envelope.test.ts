import { describe, expect, it } from 'vitest';
import { generateSigner } from '../../keys/index.js';
import { errorCodeOf } from '../../keys/test-support/error-code.js';
import { MAX_ENVELOPE_BYTES, MAX_ENVELOPE_SIGNATURES, parseEnvelope, serializeEnvelope } from './envelope.js';
import { EnvelopeErrorCode } from './errors.js';
import { signEnvelope } from './sign-envelope.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (value: unknown) => utf8(JSON.stringify(value));
const SIG = Buffer.alloc(64, 7).toString('base64');
const valid = {
  payload: 'aGVsbG8gd29ybGQ=',
  payloadType: 'http://example.com/HelloWorld',
  signatures: [{ keyid: 'c74f20a3', sig: SIG }],
};
const withSignature = (change: Record<string, unknown>) => ({
  ...valid,
  signatures: [{ ...valid.signatures[0], ...change }],
});

describe('parseEnvelope', () => {
  it('parses a DSSE JSON envelope, whatever its whitespace and key order', () => {
    const pretty = `{\n  "signatures": [ { "sig": "${SIG}", "keyid": "c74f20a3" } ],\n  "payloadType": "${valid.payloadType}",\n  "payload": "${valid.payload}"\n}\n`;
    expect(parseEnvelope(utf8(pretty))).toEqual(valid);
  });

  it('round-trips through serializeEnvelope, which writes canonical JSON', () => {
    const envelope = signEnvelope('application/x.test', utf8('hi'), generateSigner('example.com/log'));
    const bytes = serializeEnvelope(envelope);
    expect(Buffer.from(bytes).toString('utf8')).toMatch(
      /^\{"payload":"aGk=","payloadType":"application\/x\.test","signatures":\[\{"keyid":"[0-9a-f]{8}","sig":"[^"]+"\}\]\}$/,
    );
    expect(parseEnvelope(bytes)).toEqual(envelope);
  });

  it.each([
    ['not JSON', utf8('payload=x')],
    ['not UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d)],
    ['a byte-order mark', utf8(`\ufeff${JSON.stringify(valid)}`)],
    ['a JSON array', json([valid])],
    ['a JSON string', json('envelope')],
    ['JSON null', json(null)],
    ['an extra field', json({ ...valid, extra: 1 })],
    ['an extra __proto__ field', utf8(`{"__proto__":{},${JSON.stringify(valid).slice(1)}`)],
    ['a missing payload', json({ payloadType: valid.payloadType, signatures: valid.signatures })],
    ['a repeated key', utf8(`{"payload":"eA==",${JSON.stringify(valid).slice(1)}`)],
    [
      'a repeated key spelled with an escape',
      utf8(`{"p\\u0061yload":"eA==",${JSON.stringify(valid).slice(1)}`),
    ],
    ['a payload that is not a string', json({ ...valid, payload: 5 })],
    ['URL-safe base64', json({ ...valid, payload: '-_-_' })],
    ['unpadded base64', json({ ...valid, payload: 'aGVsbG8gd29ybGQ' })],
    ['non-canonical base64', json({ ...valid, payload: 'aGVsbG8gd29ybGR=' })],
    ['an empty payloadType', json({ ...valid, payloadType: '' })],
    ['a huge payloadType', json({ ...valid, payloadType: 'x'.repeat(100_000) })],
    ['a payloadType that is not a string', json({ ...valid, payloadType: ['x'] })],
    ['no signatures', json({ ...valid, signatures: [] })],
    ['signatures that are not an array', json({ ...valid, signatures: valid.signatures[0] })],
    [
      'too many signatures',
      json({ ...valid, signatures: Array(MAX_ENVELOPE_SIGNATURES + 1).fill(valid.signatures[0]) }),
    ],
    ['a signature that is not an object', json({ ...valid, signatures: [SIG] })],
    ['a signature without keyid', json({ ...valid, signatures: [{ sig: SIG }] })],
    ['a signature with an extra field', json(withSignature({ cert: 'x' }))],
    ['an uppercase keyid', json(withSignature({ keyid: 'C74F20A3' }))],
    ['a short keyid', json(withSignature({ keyid: 'c74f20a' }))],
    ['an empty sig', json(withSignature({ sig: '' }))],
    ['a sig with a line break', json(withSignature({ sig: `${SIG.slice(0, 44)}\n${SIG.slice(44)}` }))],
    ['a repeated key in a signature', utf8(JSON.stringify(valid).replace('"keyid"', '"sig":"AA==","keyid"'))],
  ])('refuses %s', (_why, bytes) => {
    expect(errorCodeOf(() => parseEnvelope(bytes))).toBe(EnvelopeErrorCode.Malformed);
  });

  it('refuses more than MAX_ENVELOPE_BYTES before parsing, and non-bytes', () => {
    const huge = json({ ...valid, payload: 'A'.repeat(MAX_ENVELOPE_BYTES) });
    expect(errorCodeOf(() => parseEnvelope(huge))).toBe(EnvelopeErrorCode.TooLarge);
    expect(errorCodeOf(() => parseEnvelope(JSON.stringify(valid) as unknown as Uint8Array))).toBe(
      EnvelopeErrorCode.Malformed,
    );
  });

  it('returns a fresh frozen object, not the parsed one', () => {
    const envelope = parseEnvelope(json(valid));
    expect(Object.isFrozen(envelope) && Object.isFrozen(envelope.signatures[0])).toBe(true);
  });
});

describe('serializeEnvelope', () => {
  it('refuses an envelope that would not parse back', () => {
    expect(errorCodeOf(() => serializeEnvelope({ ...valid, signatures: [] }))).toBe(
      EnvelopeErrorCode.Malformed,
    );
    expect(errorCodeOf(() => serializeEnvelope({ ...valid, extra: 1 } as typeof valid))).toBe(
      EnvelopeErrorCode.Malformed,
    );
  });
});
