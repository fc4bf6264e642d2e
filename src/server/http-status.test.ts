import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocketError } from '../errors/index.js';
import { repoRoot } from '../test-support/shared.js';
import { ServerErrorCode } from './errors.js';
import { HTTP_STATUS, statusFor } from './http-status.js';

// The codes docs/errors.md documents (generated from every errors.ts; src/errors/error-codes.test.ts keeps it current).
function documentedCodes(): string[] {
  const text = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');
  return [...text.matchAll(/^\| `(ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1] as string);
}

describe('HTTP_STATUS', () => {
  it('gives every documented error code an HTTP status', () => {
    const codes = documentedCodes();
    expect(codes.length).toBeGreaterThan(150);
    expect(codes.filter((code) => HTTP_STATUS[code] === undefined)).toEqual([]);
  });

  it('has no entry for a code that is not documented', () => {
    const documented = new Set(documentedCodes());
    expect(Object.keys(HTTP_STATUS).filter((code) => !documented.has(code))).toEqual([]);
  });

  it('maps only to client and server error statuses', () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
      expect([code, status >= 400 && status <= 599]).toEqual([code, true]);
    }
  });

  it('answers the decision rules as the approver UI and API rely on', () => {
    expect(HTTP_STATUS.ERR_DECISION_STALE_EVIDENCE).toBe(409);
    expect(HTTP_STATUS.ERR_DECISION_VIEW_MISSING).toBe(409);
    expect(HTTP_STATUS.ERR_IDENTITY_EXPIRED).toBe(401);
    expect(HTTP_STATUS[ServerErrorCode.CsrfRefused]).toBe(403);
  });

  it('statusFor: the table for coded errors, 500 for anything else', () => {
    expect(statusFor(new DocketError('ERR_REQUEST_NOT_FOUND', 'no'))).toBe(404);
    expect(statusFor(new DocketError('ERR_TEST_UNKNOWN', 'no'))).toBe(500);
    expect(statusFor(new Error('boom'))).toBe(500);
  });
});
