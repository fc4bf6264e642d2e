import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectsWithCode } from '../../identity/test-support/assertions.js';
import {
  type ApprovalRequest,
  appendToRequest,
  getRequest,
  openRequest,
  RequestErrorCode,
  readRequestHistory,
  viewEvidence,
} from './index.js';
import { type ApprovalsFixture, makeApprovalsFixture } from './test-support/approvals-fixture.js';

describe('a request history', () => {
  let f: ApprovalsFixture;
  let request: ApprovalRequest;
  beforeEach(async () => {
    f = await makeApprovalsFixture();
    await f.activate();
    request = await openRequest(f.ctx, { token: await f.token('rita'), ...(await f.parts(1)) });
  });
  afterEach(async () => {
    await f.cleanup();
  });

  const note = (text: string) => ({
    type: 'note',
    subject: [{ name: 'candidate', digest: request.candidate.artefactDigest }],
    predicate: { requestId: request.id, text },
  });

  it('a writer that lost the race re-reads the history and chains after the winner (expectHead)', async () => {
    let builds = 0;
    const entry = await appendToRequest(f.ctx, request.id, async () => {
      builds++;
      // Another writer appends to the same request between our read and our append.
      if (builds === 1) await appendToRequest(f.ctx, request.id, () => note('the other writer'));
      return note('ours');
    });
    expect(builds).toBe(2);
    const history = await readRequestHistory(f.ledger, request.id);
    const [opened, classified] = request.entries;
    expect(history.entries.map((e) => e.ref.index)).toEqual([
      opened?.index,
      classified?.index,
      entry.index - 1,
      entry.index,
    ]);
    const ours = await f.ledger.readEntry(entry.index);
    expect(ours.statement.predicate.prev).toEqual(history.entries[2]?.ref);
    // Record types this version does not interpret stay in the chain and change nothing.
    expect((await getRequest(f.ctx, request.id)).entries.map((e) => e.type)).toEqual([
      'request',
      'classification',
      'note',
      'note',
    ]);
  });

  it('an entry whose prev does not name the previous entry of the request breaks the history', async () => {
    await f.ledger.append([
      {
        ...note('forked'),
        keys: [{ key: 'request', value: request.id }],
        predicate: { requestId: request.id, prev: { index: 0, leafHash: 'AAAA' } },
      },
    ]);
    const err = await rejectsWithCode(getRequest(f.ctx, request.id), RequestErrorCode.HistoryBroken);
    expect(err.message).toContain(request.id);
    // Every operation on it refuses, appending nothing.
    const size = await f.size();
    await rejectsWithCode(
      viewEvidence(f.ctx, {
        requestId: request.id,
        token: await f.token('alice', ['approvers']),
        evidence: 'comparison',
      }),
      RequestErrorCode.HistoryBroken,
    );
    expect(await f.size()).toBe(size);
  });

  it('an entry that drops out of the request index breaks the chain of the next one', async () => {
    await viewEvidence(f.ctx, {
      requestId: request.id,
      token: await f.token('alice', ['approvers']),
      evidence: 'comparison',
    });
    await viewEvidence(f.ctx, {
      requestId: request.id,
      token: await f.token('alice', ['approvers']),
      evidence: 'change-manifest',
    });
    const [, , firstView] = await f.ledger.find('request', request.id);
    await f.tamper("DELETE FROM entry_keys WHERE key = 'request' AND idx = ?", firstView);
    await rejectsWithCode(getRequest(f.ctx, request.id), RequestErrorCode.HistoryBroken);
  });

  it('a missing request is ERR_REQUEST_NOT_FOUND and a malformed id ERR_REQUEST_INVALID', async () => {
    await rejectsWithCode(getRequest(f.ctx, 'req-zzzzzzzzzz'), RequestErrorCode.NotFound);
    await rejectsWithCode(getRequest(f.ctx, "req-' OR 1=1"), RequestErrorCode.Invalid);
  });
});
