import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../digest/index.js';
import { IdentityErrorCode } from '../../identity/index.js';
import { rejectsWithCode } from '../../identity/test-support/assertions.js';
import type { EvidenceKind } from '../policy/index.js';
import {
  type ApprovalRequest,
  getRequest,
  listRequests,
  openRequest,
  RequestErrorCode,
  viewEvidence,
  withdrawRequest,
} from '../requests/index.js';
import { type ApprovalsFixture, makeApprovalsFixture } from '../requests/test-support/approvals-fixture.js';
import { DecisionErrorCode, decide } from './index.js';

const ALL: EvidenceKind[] = [
  'comparison',
  'change-manifest',
  'explanation',
  'training-dataset',
  'evaluation-dataset',
];

describe('decide', () => {
  let f: ApprovalsFixture;
  const tokens: Record<string, string> = {};
  const groupsOf: Record<string, string[]> = {
    rita: ['ml-engineers', 'approvers'],
    alice: ['approvers'],
    adam: ['approvers'],
    bob: ['risk'],
    carol: ['committee'],
    dave: ['committee'],
    erin: ['committee'],
    frank: ['finance'],
  };
  beforeEach(async () => {
    f = await makeApprovalsFixture();
    await f.activate();
    for (const [subject, groups] of Object.entries(groupsOf))
      tokens[subject] = await f.token(subject, groups);
  });
  afterEach(async () => {
    await f.cleanup();
  });

  const open = async (materiality: 1 | 2 | 3): Promise<ApprovalRequest> =>
    openRequest(f.ctx, { token: tokens.rita as string, ...(await f.parts(materiality)) });
  const review = async (
    request: ApprovalRequest,
    who: string,
    kinds: EvidenceKind[] = ALL,
  ): Promise<void> => {
    for (const evidence of kinds)
      await viewEvidence(f.ctx, { requestId: request.id, token: tokens[who] as string, evidence });
  };
  const approve = (request: ApprovalRequest, who: string, extra: { comment?: string } = {}) =>
    decide(f.ctx, {
      requestId: request.id,
      token: tokens[who] as string,
      decision: 'approve',
      evidence: request.evidence,
      ...extra,
    });
  const reject = (request: ApprovalRequest, who: string) =>
    decide(f.ctx, {
      requestId: request.id,
      token: tokens[who] as string,
      decision: 'reject',
      evidence: request.evidence,
    });
  /** Expects `promise` to be refused with `code` and the ledger to be exactly as long as before. */
  const refused = async (promise: Promise<unknown>, code: string) => {
    const size = await f.size();
    const err = await rejectsWithCode(promise, code);
    expect(await f.size()).toBe(size);
    return err;
  };

  it('records the identity, roles, evidence as displayed, comment and token evidence, never the token', async () => {
    const request = await open(1);
    await review(request, 'alice', ['comparison', 'change-manifest']);
    const outcome = await approve(request, 'alice', { comment: 'champion/challenger gap within appetite' });
    expect(outcome).toMatchObject({
      decision: 'approve',
      roles: ['model-owner'],
      dev: true,
      state: 'approved',
      approvalsComplete: true,
    });
    const entry = await f.ledger.readEntry(outcome.index);
    expect(entry.recordType).toBe('decision');
    expect(entry.statement.predicate).toMatchObject({
      requestId: request.id,
      decision: 'approve',
      identity: { issuer: 'urn:docket:dev-identity', subject: 'alice' },
      roles: ['model-owner'],
      groups: ['approvers'],
      policyDigest: request.classification.policyDigest,
      evidence: request.evidence,
      comment: 'champion/challenger gap within appetite',
      dev: true,
      token: {
        iss: 'urn:docket:dev-identity',
        sub: 'alice',
        tokenDigest: sha256Digest(new TextEncoder().encode(tokens.alice as string)),
      },
    });
    expect(JSON.stringify(entry.statement)).not.toContain(tokens.alice);
    expect(await f.ledger.find('model-version', 'local/credit-decisioning@17')).toContain(outcome.index);
    expect(outcome.requirements).toMatchObject({ complete: true, missing: [] });
  });

  it('the requester cannot approve (or reject) their own request, even holding the role', async () => {
    const request = await open(1);
    await review(request, 'rita');
    const err = await refused(approve(request, 'rita'), DecisionErrorCode.OwnRequest);
    expect(err.message).toContain('rita');
    await refused(reject(request, 'rita'), DecisionErrorCode.OwnRequest);
  });

  it('one identity counts once: a second decision by the same identity is refused', async () => {
    const request = await open(2);
    await review(request, 'alice');
    expect((await approve(request, 'alice')).state).toBe('open');
    await refused(approve(request, 'alice'), DecisionErrorCode.AlreadyDecided);
    await refused(reject(request, 'alice'), DecisionErrorCode.AlreadyDecided);
    expect((await getRequest(f.ctx, request.id)).requirements.approvers).toEqual({ required: 2, present: 1 });
  });

  it('class 2 needs two distinct approvers, one of them with the risk role', async () => {
    const request = await open(2);
    for (const who of ['alice', 'adam', 'bob']) await review(request, who);
    const first = await approve(request, 'alice');
    expect(first).toMatchObject({ state: 'open', approvalsComplete: false });
    const second = await approve(request, 'adam');
    expect(second).toMatchObject({ state: 'open', approvalsComplete: false });
    expect(second.requirements.missing).toEqual(['1 more approver with role risk']);
    const third = await approve(request, 'bob');
    expect(third).toMatchObject({ state: 'approved', approvalsComplete: true });
    expect(third.requirements.roles).toEqual([
      { role: 'model-owner', required: 1, present: 2 },
      { role: 'risk', required: 1, present: 1 },
    ]);
  });

  it('class 3 needs the committee quorum', async () => {
    const request = await open(3);
    for (const who of ['alice', 'carol', 'dave', 'erin']) await review(request, who);
    expect((await approve(request, 'alice')).state).toBe('open');
    expect((await approve(request, 'carol')).state).toBe('open');
    const two = await approve(request, 'dave');
    expect(two).toMatchObject({
      state: 'open',
      requirements: { approvers: { present: 3 }, committee: { present: 2 } },
    });
    expect((await approve(request, 'erin')).approvalsComplete).toBe(true);
  });

  it('every evidence view the class requires must precede the decision', async () => {
    const request = await open(3);
    const err = await refused(approve(request, 'carol'), DecisionErrorCode.ViewMissing);
    expect(err.details.missing).toEqual(ALL);
    await review(request, 'carol', ['comparison', 'explanation']);
    const partly = await refused(approve(request, 'carol'), DecisionErrorCode.ViewMissing);
    expect(partly.details.missing).toEqual(['change-manifest', 'training-dataset', 'evaluation-dataset']);
    // Someone else's views do not count for carol.
    await review(request, 'dave');
    await refused(approve(request, 'carol'), DecisionErrorCode.ViewMissing);
    await review(request, 'carol', ['change-manifest', 'training-dataset', 'evaluation-dataset']);
    expect((await approve(request, 'carol')).decision).toBe('approve');
  });

  it('evidence as displayed must be the request evidence (ERR_DECISION_STALE_EVIDENCE)', async () => {
    const request = await open(1);
    await review(request, 'alice');
    const old = sha256Digest(new TextEncoder().encode('<html>last week comparison</html>'));
    const err = await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: tokens.alice as string,
        decision: 'approve',
        evidence: { ...request.evidence, comparison: old },
      }),
      DecisionErrorCode.StaleEvidence,
    );
    expect(err.details.differing).toEqual([
      { field: 'comparison', displayed: old, requested: request.evidence.comparison },
    ]);
  });

  it('a rejection by a required role rejects; a rejection by another role is recorded as dissent', async () => {
    const request = await open(2);
    for (const who of ['alice', 'carol', 'bob']) await review(request, who);
    const dissent = await reject(request, 'carol');
    expect(dissent.state).toBe('open');
    const rejected = await reject(request, 'bob');
    expect(rejected).toMatchObject({ state: 'rejected', approvalsComplete: false });
    expect(rejected.request.decisions.map((d) => [d.identity.subject, d.closedRequest])).toEqual([
      ['carol', false],
      ['bob', true],
    ]);
  });

  it('decisions on a closed request are refused: approved, rejected, withdrawn, expired', async () => {
    const approved = await open(1);
    for (const who of ['alice', 'adam']) await review(approved, who);
    await approve(approved, 'alice');
    const closed = await refused(approve(approved, 'adam'), DecisionErrorCode.RequestClosed);
    expect(closed.details).toMatchObject({ state: 'approved' });

    const rejected = await open(1);
    for (const who of ['alice', 'adam']) await review(rejected, who);
    await reject(rejected, 'alice');
    await refused(approve(rejected, 'adam'), DecisionErrorCode.RequestClosed);

    const withdrawn = await open(1);
    await review(withdrawn, 'alice');
    await refused(
      withdrawRequest(f.ctx, { requestId: withdrawn.id, token: tokens.alice as string }),
      RequestErrorCode.NotRequester,
    );
    await withdrawRequest(f.ctx, {
      requestId: withdrawn.id,
      token: tokens.rita as string,
      reason: 'rerun the comparison',
    });
    await refused(approve(withdrawn, 'alice'), DecisionErrorCode.RequestClosed);
    await refused(
      withdrawRequest(f.ctx, { requestId: withdrawn.id, token: tokens.rita as string }),
      RequestErrorCode.Closed,
    );

    const expiring = await open(1);
    await review(expiring, 'alice');
    f.advance(24 * 3600_000 + 1);
    const late = await getRequest(f.ctx, expiring.id);
    expect(late).toMatchObject({ state: 'expired', closedAt: expiring.expiresAt });
    // Tokens are minted at real time and the clock moved a day: a two-day token is still valid, the request is not.
    tokens.alice = await f.token('alice', ['approvers'], 2 * 24 * 3600);
    const lapsed = await refused(approve(expiring, 'alice'), DecisionErrorCode.RequestClosed);
    expect(lapsed.details).toMatchObject({ state: 'expired' });
    await refused(
      viewEvidence(f.ctx, { requestId: expiring.id, token: tokens.alice, evidence: 'comparison' }),
      RequestErrorCode.Closed,
    );
  });

  it('an identity whose groups map to no role cannot decide', async () => {
    const request = await open(1);
    await review(request, 'frank');
    await refused(approve(request, 'frank'), DecisionErrorCode.NoRole);
  });

  it('refuses malformed input, expired and foreign tokens, appending nothing', async () => {
    const request = await open(1);
    await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: tokens.alice as string,
        decision: 'maybe' as never,
        evidence: request.evidence,
      }),
      DecisionErrorCode.Invalid,
    );
    await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: tokens.alice as string,
        decision: 'approve',
        evidence: request.evidence,
        force: true,
      } as never),
      DecisionErrorCode.Invalid,
    );
    await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: tokens.alice as string,
        decision: 'approve',
        evidence: { ...request.evidence, comparison: 'md5:abc' } as never,
      }),
      DecisionErrorCode.Invalid,
    );
    await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: tokens.alice as string,
        decision: 'approve',
        evidence: request.evidence,
        comment: 'x'.repeat(4001),
      }),
      DecisionErrorCode.Invalid,
    );
    await refused(
      decide(f.ctx, {
        requestId: 'req-0000000000',
        token: tokens.alice as string,
        decision: 'approve',
        evidence: request.evidence,
      }),
      RequestErrorCode.NotFound,
    );
    const [header, payload] = (tokens.alice as string).split('.');
    const adamsSignature = (tokens.adam as string).split('.')[2];
    const spliced = `${header}.${payload}.${adamsSignature}`;
    await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: spliced,
        decision: 'approve',
        evidence: request.evidence,
      }),
      IdentityErrorCode.SignatureInvalid,
    );
    const shortLived = await f.token('alice', ['approvers'], 60);
    f.advance(10 * 60_000);
    await refused(
      decide(f.ctx, {
        requestId: request.id,
        token: shortLived,
        decision: 'approve',
        evidence: request.evidence,
      }),
      IdentityErrorCode.Expired,
    );
  });

  it('lists requests by state, by model, and those awaiting a given approver', async () => {
    const one = await open(1);
    const two = await open(2);
    await review(one, 'alice', ['comparison', 'change-manifest']);
    await approve(one, 'alice');
    expect((await listRequests(f.ctx, { state: 'approved' })).map((r) => r.id)).toEqual([one.id]);
    expect((await listRequests(f.ctx, { state: 'open' })).map((r) => r.id)).toEqual([two.id]);
    expect((await listRequests(f.ctx, { model: 'local/credit-decisioning' })).map((r) => r.id)).toEqual([
      one.id,
      two.id,
    ]);
    expect(await listRequests(f.ctx, { model: 'local/other' })).toEqual([]);
    const who = (subject: string) => ({
      issuer: 'urn:docket:dev-identity',
      subject,
      groups: groupsOf[subject] as string[],
    });
    const forBob = await listRequests(f.ctx, { awaiting: who('bob') });
    expect(forBob.map((r) => [r.id, r.toReview])).toEqual([
      [two.id, ['comparison', 'change-manifest', 'explanation']],
    ]);
    expect(await listRequests(f.ctx, { awaiting: who('rita') })).toEqual([]);
    expect(await listRequests(f.ctx, { awaiting: who('carol') })).toEqual([]);
    await review(two, 'bob', ['comparison']);
    expect((await listRequests(f.ctx, { awaiting: who('bob') }))[0]?.toReview).toEqual([
      'change-manifest',
      'explanation',
    ]);
    await rejectsWithCode(listRequests(f.ctx, { state: 'pending' as never }), RequestErrorCode.Invalid);
  });
});
