import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityKey } from './index.js';

describe('identityKey', () => {
  it('is equal exactly when issuer and subject are equal', () => {
    const pair = fc.record({ issuer: fc.string(), subject: fc.string() });
    fc.assert(
      fc.property(pair, pair, (a, b) => {
        const same = a.issuer === b.issuer && a.subject === b.subject;
        return (identityKey(a) === identityKey(b)) === same;
      }),
    );
  });

  it('does not confuse pairs that concatenate alike, or differ only in case', () => {
    expect(identityKey({ issuer: 'https://a', subject: 'b c' })).not.toBe(
      identityKey({ issuer: 'https://a b', subject: 'c' }),
    );
    expect(identityKey({ issuer: 'https://a', subject: '"],["x' })).not.toBe(
      identityKey({ issuer: 'https://a"],["', subject: 'x' }),
    );
    expect(identityKey({ issuer: 'https://a', subject: 'Alice' })).not.toBe(
      identityKey({ issuer: 'https://a', subject: 'alice' }),
    );
  });

  it('tells the same subject at two issuers apart', () => {
    expect(identityKey({ issuer: 'https://idp', subject: 'alice' })).not.toBe(
      identityKey({ issuer: 'urn:docket:dev-identity', subject: 'alice' }),
    );
  });
});
