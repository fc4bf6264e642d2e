import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtefactErrorCode } from '../../artefacts/index.js';
import { canonicalJsonBytes, sha256Digest } from '../../digest/index.js';
import { createDevIdentityIssuer, IdentityErrorCode } from '../../identity/index.js';
import { rejectsWithCode } from '../../identity/test-support/assertions.js';
import { CHANGE_MANIFEST_ERRORS } from '../change-manifest/index.js';
import { manifestData } from '../change-manifest/test-support/manifest-fixtures.js';
import { CLASSIFIER_VERSION } from '../classifier/index.js';
import { ApprovalPolicyErrorCode } from '../policy-activation/index.js';
import { getRequest, openRequest, RequestErrorCode } from './index.js';
import {
  type ApprovalsFixture,
  makeApprovalsFixture,
  TEST_AUDIENCE,
} from './test-support/approvals-fixture.js';

describe('openRequest', () => {
  let f: ApprovalsFixture;
  let rita: string;
  beforeEach(async () => {
    f = await makeApprovalsFixture();
    rita = await f.token('rita', ['ml-engineers']);
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('appends the request and its classification in one append, the classification chained to the request', async () => {
    const policy = await f.activate();
    const parts = await f.parts(1);
    const before = await f.size();
    const request = await openRequest(f.ctx, { token: rita, ...parts, ticket: 'MRM-1234' });
    expect(await f.size()).toBe(before + 2);
    expect(request).toMatchObject({
      state: 'open',
      candidate: parts.candidate,
      champion: parts.champion,
      evidence: parts.evidence,
      requester: { issuer: 'urn:docket:dev-identity', subject: 'rita' },
      dev: true,
      ticket: 'MRM-1234',
      approvalsComplete: false,
      classification: { class: 1, policyDigest: policy.digest, classifierVersion: CLASSIFIER_VERSION },
    });
    expect(request.id).toMatch(/^req-[0-9a-z]{10}$/);
    const [first, second] = request.entries;
    expect(first).toMatchObject({ index: before, type: 'request' });
    expect(second).toMatchObject({
      index: before + 1,
      type: 'classification',
      recordedAt: first?.recordedAt,
    });

    const requestEntry = await f.ledger.readEntry(before);
    const classificationEntry = await f.ledger.readEntry(before + 1);
    expect(requestEntry.statement.predicate.prev).toBeUndefined();
    expect(classificationEntry.statement.predicate.prev).toEqual({
      index: before,
      leafHash: requestEntry.leafHash,
    });
    expect(classificationEntry.statement.predicate).toMatchObject({
      requestId: request.id,
      class: 1,
      approvalsRequired: {
        approvers: 1,
        requiredRoles: { 'model-owner': 1 },
        evidence: ['comparison', 'change-manifest'],
      },
    });
    expect(requestEntry.statement.subject.map((s) => s.name)).toEqual([
      'candidate:local/credit-decisioning@17',
      'champion:local/credit-decisioning@16',
      'comparison',
      'explanation',
      'training-dataset',
      'evaluation-dataset',
      'change-manifest',
    ]);
    // The token is never recorded, only its evidence.
    expect(JSON.stringify(requestEntry.statement)).not.toContain(rita);
    expect(requestEntry.statement.predicate.requesterToken).toMatchObject({
      iss: 'urn:docket:dev-identity',
      sub: 'rita',
      tokenDigest: sha256Digest(new TextEncoder().encode(rita)),
      dev: true,
    });
    // Lookup keys: request, model, model-version.
    expect(await f.ledger.find('request', request.id)).toEqual([before, before + 1]);
    expect(await f.ledger.find('model', 'local/credit-decisioning')).toEqual([before]);
    expect(await f.ledger.find('model-version', 'local/credit-decisioning@17')).toEqual([before]);
    expect((await getRequest(f.ctx, request.id)).head).toEqual({
      index: before + 1,
      leafHash: classificationEntry.leafHash,
    });
  });

  it('classifies with the active policy: class 2 for a population shift, class 3 for a new feature', async () => {
    await f.activate();
    const two = await openRequest(f.ctx, { token: rita, ...(await f.parts(2)) });
    expect(two.classification.class).toBe(2);
    expect(two.classification.reasons.map((r) => r.rule)).toContain('population-changed');
    expect(two.requirements.roles).toEqual([
      { role: 'model-owner', required: 1, present: 0 },
      { role: 'risk', required: 1, present: 0 },
    ]);
    const three = await openRequest(f.ctx, { token: rita, ...(await f.parts(3)) });
    expect(three.classification.class).toBe(3);
    expect(three.requirements.committee).toEqual({ role: 'committee', quorum: 3, present: 0 });
  });

  describe('refuses, appending nothing', () => {
    let size = 0;
    beforeEach(async () => {
      await f.activate();
      size = await f.size();
    });
    afterEach(async () => {
      expect(await f.size()).toBe(size);
    });

    it('an unknown field, a malformed digest, a bad model reference or ticket', async () => {
      const parts = await f.parts();
      await rejectsWithCode(
        openRequest(f.ctx, { token: rita, ...parts, urgent: true } as never),
        RequestErrorCode.Invalid,
      );
      const err = await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          evidence: { ...parts.evidence, comparison: 'sha256:ABC' as never },
        }),
        RequestErrorCode.Invalid,
      );
      expect(err.message).toContain('evidence.comparison');
      await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          evidence: { ...parts.evidence, extra: parts.evidence.comparison } as never,
        }),
        RequestErrorCode.Invalid,
      );
      await rejectsWithCode(
        openRequest(f.ctx, { token: rita, ...parts, candidate: { ...parts.candidate, version: '17@x' } }),
        RequestErrorCode.Invalid,
      );
      await rejectsWithCode(
        openRequest(f.ctx, { token: rita, ...parts, champion: { ...parts.champion, model: 'other-model' } }),
        RequestErrorCode.Invalid,
      );
      await rejectsWithCode(
        openRequest(f.ctx, { token: rita, ...parts, champion: { ...parts.champion, version: '17' } }),
        RequestErrorCode.Invalid,
      );
      await rejectsWithCode(
        openRequest(f.ctx, { token: rita, ...parts, ticket: 'MRM\u202e1' }),
        RequestErrorCode.Invalid,
      );
      await rejectsWithCode(openRequest(f.ctx, null as never), RequestErrorCode.Invalid);
    });

    it('an expired token, a token of a key docket does not know, a missing token', async () => {
      const parts = await f.parts();
      const shortLived = await f.token('rita', [], 60);
      f.advance(5 * 60_000);
      await rejectsWithCode(openRequest(f.ctx, { token: shortLived, ...parts }), IdentityErrorCode.Expired);
      const { mkdtemp } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const foreign = await createDevIdentityIssuer(await mkdtemp(join(tmpdir(), 'docket-foreign-')));
      const forged = await foreign.mintDevToken({ subject: 'rita', audience: TEST_AUDIENCE });
      await rejectsWithCode(openRequest(f.ctx, { token: forged, ...parts }), IdentityErrorCode.UnknownKey);
      await rejectsWithCode(openRequest(f.ctx, { ...parts } as never), RequestErrorCode.Invalid);
    });

    it('evidence that is not in the artefact store, naming each missing reference', async () => {
      const parts = await f.parts();
      const absent = sha256Digest(new TextEncoder().encode('never stored'));
      const err = await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          candidate: { ...parts.candidate, artefactDigest: absent },
          evidence: { ...parts.evidence, explanation: absent },
        }),
        RequestErrorCode.EvidenceMissing,
      );
      expect(err.details.missing).toEqual([
        { field: 'candidate.artefactDigest', digest: absent },
        { field: 'evidence.explanation', digest: absent },
      ]);
    });

    it('a change manifest that is not JSON, has a duplicate key, or an unknown field', async () => {
      const parts = await f.parts();
      const notJson = await f.put('formatVersion: 1\n');
      await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          evidence: { ...parts.evidence, changeManifest: notJson },
        }),
        RequestErrorCode.ManifestUnreadable,
      );
      const text = new TextDecoder().decode(canonicalJsonBytes(manifestData()));
      expect(text.startsWith('{"challenger":')).toBe(true);
      const duplicate = await f.put(text.replace('{"challenger":', '{"formatVersion":2,"challenger":'));
      const dup = await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          evidence: { ...parts.evidence, changeManifest: duplicate },
        }),
        RequestErrorCode.ManifestUnreadable,
      );
      expect(dup.message).toContain('duplicate key "formatVersion"');
      const binary = await f.put(new Uint8Array([0xff, 0xfe, 0x00]));
      await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          evidence: { ...parts.evidence, changeManifest: binary },
        }),
        RequestErrorCode.ManifestUnreadable,
      );
      const data = manifestData();
      data.challenger.notes = 'unknown field';
      const unknown = await f.put(canonicalJsonBytes(data));
      await rejectsWithCode(
        openRequest(f.ctx, {
          token: rita,
          ...parts,
          evidence: { ...parts.evidence, changeManifest: unknown },
        }),
        CHANGE_MANIFEST_ERRORS.INVALID,
      );
    });

    it('a change manifest about other versions or datasets than the request', async () => {
      const parts = await f.parts(1, (m) => {
        m.challenger.version = '18';
        m.challenger.datasets.evaluation = `sha256:${'e'.repeat(64)}`;
      });
      const err = await rejectsWithCode(
        openRequest(f.ctx, { token: rita, ...parts, candidate: { ...parts.candidate, version: '17' } }),
        RequestErrorCode.ManifestMismatch,
      );
      expect((err.details.mismatches as { field: string }[]).map((m) => m.field)).toEqual([
        'challenger.version',
        'challenger.datasets.evaluation',
      ]);
    });

    it('corrupt evidence bytes', async () => {
      const parts = await f.parts();
      await f.store.flipByte(parts.evidence.changeManifest, 5);
      await rejectsWithCode(openRequest(f.ctx, { token: rita, ...parts }), ArtefactErrorCode.Corrupt);
    });
  });

  it('refuses when no policy is active (ERR_APPROVAL_NO_POLICY), appending nothing', async () => {
    const parts = await f.parts();
    const size = await f.size();
    await rejectsWithCode(openRequest(f.ctx, { token: rita, ...parts }), ApprovalPolicyErrorCode.NoPolicy);
    expect(await f.size()).toBe(size);
  });
});
