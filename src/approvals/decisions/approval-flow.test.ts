import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityVerifier, IdentityErrorCode } from '../../identity/index.js';
import { rejectsWithCode } from '../../identity/test-support/assertions.js';
import {
  DEFAULT_TEST_ACCOUNTS,
  startTestProvider,
  type TestProvider,
} from '../../identity/test-support/oidc-provider.js';
import type { EvidenceKind } from '../policy/index.js';
import { type ApprovalRequest, getRequest, openRequest, viewEvidence } from '../requests/index.js';
import { type ApprovalsFixture, makeApprovalsFixture } from '../requests/test-support/approvals-fixture.js';
import { DecisionErrorCode, decide } from './index.js';

/**
 * End to end with a real OpenID Provider: every token comes from the provider's token endpoint after the person
 * signed in through the device authorization grant, and is verified against the provider's published JWKS.
 * Each class is driven from open to approved, and each approval short of the requirement leaves it open.
 */
describe('approval flow with tokens from a real OpenID provider', () => {
  let idp: TestProvider;
  let f: ApprovalsFixture;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    idp = await startTestProvider({
      accounts: [...DEFAULT_TEST_ACCOUNTS, { id: 'rita', groups: ['ml-engineers'], name: 'Rita Requester' }],
    });
    f = await makeApprovalsFixture({
      identity: createIdentityVerifier({ oidc: { issuer: idp.issuer, audience: idp.audience } }),
    });
    await f.activate();
    for (const account of ['rita', 'alice', 'bob', 'carol', 'dave', 'erin'])
      tokens[account] = await idp.tokenFor(account);
  });
  afterAll(async () => {
    await f?.cleanup();
    await idp?.stop();
  });

  const token = (who: string): string => tokens[who] as string;
  const approve = async (request: ApprovalRequest, who: string) => {
    for (const evidence of request.classification.approvalsRequired.evidence as EvidenceKind[]) {
      await viewEvidence(f.ctx, { requestId: request.id, token: token(who), evidence });
    }
    return decide(f.ctx, {
      requestId: request.id,
      token: token(who),
      decision: 'approve',
      evidence: request.evidence,
    });
  };
  /** Approves as each of `who` in turn and returns whether each approval completed the request. */
  const approveInTurn = async (request: ApprovalRequest, who: string[]) => {
    const completed: [string, boolean, string][] = [];
    for (const person of who) {
      const outcome = await approve(request, person);
      completed.push([person, outcome.approvalsComplete, outcome.state]);
    }
    return completed;
  };

  it('class 1: one model owner; a risk approval alone does not do', async () => {
    const request = await openRequest(f.ctx, { token: token('rita'), ...(await f.parts(1)) });
    expect(request).toMatchObject({
      classification: { class: 1 },
      requester: { issuer: idp.issuer, subject: 'rita' },
      dev: false,
    });
    expect(await approveInTurn(request, ['bob', 'alice'])).toEqual([
      ['bob', false, 'open'],
      ['alice', true, 'approved'],
    ]);
    const done = await getRequest(f.ctx, request.id);
    expect(done.decisions.map((d) => [d.identity.issuer, d.identity.subject, d.roles, d.dev])).toEqual([
      [idp.issuer, 'bob', ['risk'], false],
      [idp.issuer, 'alice', ['model-owner'], false],
    ]);
    const decision = await f.ledger.readEntry(done.decisions[1]?.index as number);
    expect(decision.statement.predicate.token).toMatchObject({
      iss: idp.issuer,
      sub: 'alice',
      aud: idp.audience,
      dev: false,
    });
    expect(JSON.stringify(decision.statement)).not.toContain(token('alice'));
  });

  it('class 2: blocked until a model owner and a risk approver have both approved', async () => {
    const request = await openRequest(f.ctx, { token: token('rita'), ...(await f.parts(2)) });
    expect(request.classification.class).toBe(2);
    expect(await approveInTurn(request, ['alice', 'carol', 'bob'])).toEqual([
      ['alice', false, 'open'],
      ['carol', false, 'open'],
      ['bob', true, 'approved'],
    ]);
  });

  it('class 3: blocked until the full committee quorum has approved', async () => {
    const request = await openRequest(f.ctx, { token: token('rita'), ...(await f.parts(3)) });
    expect(request.classification).toMatchObject({
      class: 3,
      approvalsRequired: { committee: { quorum: 3 } },
    });
    const outcomes = await approveInTurn(request, ['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(outcomes).toEqual([
      ['alice', false, 'open'],
      ['bob', false, 'open'],
      ['carol', false, 'open'],
      ['dave', false, 'open'],
      ['erin', true, 'approved'],
    ]);
    const done = await getRequest(f.ctx, request.id);
    expect(done.requirements).toMatchObject({
      complete: true,
      committee: { role: 'committee', quorum: 3, present: 3 },
    });
  });

  it('refuses the requester, and a token the provider issued for another API, appending nothing', async () => {
    const request = await openRequest(f.ctx, { token: token('rita'), ...(await f.parts(1)) });
    const size = await f.size();
    await rejectsWithCode(
      decide(f.ctx, {
        requestId: request.id,
        token: token('rita'),
        decision: 'approve',
        evidence: request.evidence,
      }),
      DecisionErrorCode.OwnRequest,
    );
    const elsewhere = await idp.tokenFor('alice', { resource: 'urn:example:other-api' });
    await rejectsWithCode(
      decide(f.ctx, {
        requestId: request.id,
        token: elsewhere,
        decision: 'approve',
        evidence: request.evidence,
      }),
      IdentityErrorCode.WrongAudience,
    );
    expect(await f.size()).toBe(size);
  });
});
