import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, parseDigest } from '../../digest/index.js';
import { IdentityErrorCode } from '../../identity/index.js';
import { rejectsWithCode } from '../../identity/test-support/assertions.js';
import { loadPolicy, POLICY_ERRORS } from '../policy/index.js';
import { MINIMAL_POLICY_YAML, minimalPolicyData } from '../policy/test-support/policy-fixtures.js';
import {
  APPROVALS_TEST_POLICY_YAML,
  type ApprovalsFixture,
  makeApprovalsFixture,
} from '../requests/test-support/approvals-fixture.js';
import { ApprovalPolicyErrorCode, activatePolicy, readActivePolicy, readPolicy } from './index.js';

describe('activatePolicy', () => {
  let f: ApprovalsFixture;
  beforeEach(async () => {
    f = await makeApprovalsFixture();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('stores the canonical JSON as a policy artefact and appends artefact + policy records in one append', async () => {
    const loaded = loadPolicy(MINIMAL_POLICY_YAML);
    const activated = await activatePolicy(f.ctx, { policy: loaded.policy, as: { localUser: 'mrm-admin' } });
    expect(activated).toMatchObject({
      name: 'minimal',
      digest: loaded.digest,
      previousPolicyDigest: null,
      appended: true,
    });
    const bytes = await f.store.store.readVerified(parseDigest(loaded.digest), 1 << 20);
    expect(new TextDecoder().decode(bytes)).toBe(canonicalJson(loaded.policy));

    expect(await f.size()).toBe(2);
    const artefact = await f.ledger.readEntry(0);
    expect(artefact.recordType).toBe('artefact');
    expect(artefact.statement.predicate).toMatchObject({ kind: 'policy', mediaType: 'application/json' });
    const record = await f.ledger.readEntry(1);
    expect(record.recordType).toBe('policy');
    expect(record.statement.predicate).toMatchObject({
      name: 'minimal',
      policyDigest: loaded.digest,
      previousPolicyDigest: null,
      activatedBy: { kind: 'local-user', name: 'mrm-admin' },
    });
    expect(artefact.recordedAt).toBe(record.recordedAt);

    const active = await readActivePolicy(f.ledger, f.store.store);
    expect(active.digest).toBe(loaded.digest);
    expect(active.policy).toEqual(loaded.policy);
    expect(active.index).toBe(1);
  });

  it('the latest policy record is the active policy, and cites the one it replaced', async () => {
    const first = await f.activate(MINIMAL_POLICY_YAML);
    const second = await f.activate(APPROVALS_TEST_POLICY_YAML);
    expect(second.previousPolicyDigest).toBe(first.digest);
    expect((await readActivePolicy(f.ledger, f.store.store)).digest).toBe(second.digest);
    const back = await f.activate(MINIMAL_POLICY_YAML);
    expect(back).toMatchObject({ digest: first.digest, previousPolicyDigest: second.digest, appended: true });
    // The policy bytes were registered once; re-activating appends only the policy record.
    expect(await f.size()).toBe(5);
  });

  it('activating the active policy again appends nothing', async () => {
    const first = await f.activate();
    const size = await f.size();
    const again = await f.activate();
    expect(again).toEqual({ ...first, appended: false, previousPolicyDigest: first.digest });
    expect(await f.size()).toBe(size);
  });

  it('records the verified identity when activated with a token', async () => {
    const token = await f.token('mrm-lead', ['risk']);
    const loaded = loadPolicy(APPROVALS_TEST_POLICY_YAML);
    const activated = await activatePolicy(f.ctx, { policy: loaded.policy, as: { token } });
    const record = await f.ledger.readEntry(activated.index);
    expect(record.statement.predicate.activatedBy).toMatchObject({
      kind: 'identity',
      issuer: 'urn:docket:dev-identity',
      subject: 'mrm-lead',
      dev: true,
    });
    expect(JSON.stringify(record.statement)).not.toContain(token);
  });

  it('refuses an invalid policy, a malformed or expired token and a missing activator, appending nothing', async () => {
    const data = minimalPolicyData();
    data.classes[1].aprovers = 1;
    const policyErr = await rejectsWithCode(
      activatePolicy(f.ctx, { policy: data, as: { localUser: 'x' } }),
      POLICY_ERRORS.INVALID,
    );
    expect(policyErr.message).toContain('aprovers');
    const loaded = loadPolicy(MINIMAL_POLICY_YAML);
    await rejectsWithCode(
      activatePolicy(f.ctx, { policy: loaded.policy, as: { token: 'not.a.token' } }),
      IdentityErrorCode.TokenMalformed,
    );
    const shortLived = await f.token('mrm-lead', ['risk'], 60);
    f.advance(10 * 60_000);
    await rejectsWithCode(
      activatePolicy(f.ctx, { policy: loaded.policy, as: { token: shortLived } }),
      IdentityErrorCode.Expired,
    );
    await rejectsWithCode(
      activatePolicy(f.ctx, { policy: loaded.policy, as: { localUser: 'bad\u0000name' } }),
      ApprovalPolicyErrorCode.ActivationInvalid,
    );
    await rejectsWithCode(
      activatePolicy(f.ctx, { policy: loaded.policy, as: undefined as never }),
      ApprovalPolicyErrorCode.ActivationInvalid,
    );
    expect(await f.size()).toBe(0);
  });
});

describe('readActivePolicy', () => {
  let f: ApprovalsFixture;
  beforeEach(async () => {
    f = await makeApprovalsFixture();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('is ERR_APPROVAL_NO_POLICY before any activation', async () => {
    await rejectsWithCode(readActivePolicy(f.ledger, f.store.store), ApprovalPolicyErrorCode.NoPolicy);
  });

  it('re-reads and re-verifies the stored bytes: altered bytes are ERR_APPROVAL_POLICY_UNREADABLE', async () => {
    const { digest } = await f.activate();
    await f.store.flipByte(digest, 3);
    const err = await rejectsWithCode(
      readActivePolicy(f.ledger, f.store.store),
      ApprovalPolicyErrorCode.PolicyUnreadable,
    );
    expect(err.details).toMatchObject({ policyDigest: digest, reason: 'ERR_ARTEFACT_CORRUPT' });
  });

  it('refuses stored bytes that are JSON but not a valid policy, or a policy under another digest', async () => {
    const notPolicy = await f.put('{"formatVersion":1}');
    await rejectsWithCode(readPolicy(f.store.store, notPolicy), ApprovalPolicyErrorCode.PolicyUnreadable);
    const notJson = await f.put('formatVersion: 1');
    await rejectsWithCode(readPolicy(f.store.store, notJson), ApprovalPolicyErrorCode.PolicyUnreadable);
    // The same policy, pretty-printed: valid, but its bytes are not the canonical form its digest names.
    const pretty = await f.put(JSON.stringify(loadPolicy(MINIMAL_POLICY_YAML).policy, null, 2));
    const err = await rejectsWithCode(
      readPolicy(f.store.store, pretty),
      ApprovalPolicyErrorCode.PolicyUnreadable,
    );
    expect(err.message).toContain('another digest');
  });
});
