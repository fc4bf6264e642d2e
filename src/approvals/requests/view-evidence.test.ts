import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtefactErrorCode } from '../../artefacts/index.js';
import { sha256Digest } from '../../digest/index.js';
import { rejectsWithCode } from '../../identity/test-support/assertions.js';
import {
  type ApprovalRequest,
  getRequest,
  openRequest,
  RequestErrorCode,
  viewEvidence,
  viewEvidenceToFile,
  withdrawRequest,
} from './index.js';
import { type ApprovalsFixture, makeApprovalsFixture } from './test-support/approvals-fixture.js';

describe('viewEvidence', () => {
  let f: ApprovalsFixture;
  let request: ApprovalRequest;
  let alice: string;
  beforeEach(async () => {
    f = await makeApprovalsFixture();
    await f.activate();
    request = await openRequest(f.ctx, { token: await f.token('rita'), ...(await f.parts(2)) });
    alice = await f.token('alice', ['approvers']);
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('records a view receipt (viewer, artefact digest, digest of the bytes served) chained to the request, then serves', async () => {
    const { receipt, bytes } = await viewEvidence(f.ctx, {
      requestId: request.id,
      token: alice,
      evidence: 'comparison',
    });
    expect(new TextDecoder().decode(bytes)).toBe('<html>challenger comparison, class 2</html>');
    expect(receipt).toMatchObject({
      requestId: request.id,
      viewer: { issuer: 'urn:docket:dev-identity', subject: 'alice' },
      evidenceKinds: ['comparison'],
      artefactDigest: request.evidence.comparison,
      servedDigest: sha256Digest(bytes),
      servedSize: bytes.byteLength,
    });
    const entry = await f.ledger.readEntry(receipt.index);
    expect(entry.recordType).toBe('view');
    expect(entry.statement.predicate.prev).toEqual(request.head);
    expect(entry.statement.predicate).toMatchObject({
      viewer: { subject: 'alice' },
      dev: true,
      servedDigest: sha256Digest(bytes),
    });
    expect(JSON.stringify(entry.statement)).not.toContain(alice);
    const after = await getRequest(f.ctx, request.id);
    expect(after.views).toHaveLength(1);
    expect(after.head).toEqual({ index: receipt.index, leafHash: entry.leafHash });
  });

  it('names evidence by kind or by digest; a digest or kind not of the request is ERR_REQUEST_EVIDENCE_UNKNOWN', async () => {
    const byDigest = await viewEvidence(f.ctx, {
      requestId: request.id,
      token: alice,
      evidence: request.evidence.trainingDataset,
    });
    expect(byDigest.receipt.evidenceKinds).toEqual(['training-dataset']);
    const size = await f.size();
    await rejectsWithCode(
      viewEvidence(f.ctx, {
        requestId: request.id,
        token: alice,
        evidence: request.candidate.artefactDigest,
      }),
      RequestErrorCode.EvidenceUnknown,
    );
    await rejectsWithCode(
      viewEvidence(f.ctx, { requestId: request.id, token: alice, evidence: 'model' }),
      RequestErrorCode.EvidenceUnknown,
    );
    await rejectsWithCode(
      viewEvidence(f.ctx, { requestId: 'req-0000000000', token: alice, evidence: 'comparison' }),
      RequestErrorCode.NotFound,
    );
    await rejectsWithCode(
      viewEvidence(f.ctx, { requestId: '../etc', token: alice, evidence: 'comparison' }),
      RequestErrorCode.Invalid,
    );
    expect(await f.size()).toBe(size);
  });

  it('writes to a file only after recording the view, and refuses an existing file before recording anything', async () => {
    const out = join(f.store.work, 'explanation.json');
    const receipt = await viewEvidenceToFile(f.ctx, {
      requestId: request.id,
      token: alice,
      evidence: 'explanation',
      path: out,
    });
    const written = await readFile(out);
    expect(receipt.servedDigest).toBe(sha256Digest(written));
    expect(receipt.artefactDigest).toBe(request.evidence.explanation);
    const size = await f.size();
    await writeFile(join(f.store.work, 'taken'), 'mine');
    await rejectsWithCode(
      viewEvidenceToFile(f.ctx, {
        requestId: request.id,
        token: alice,
        evidence: 'comparison',
        path: join(f.store.work, 'taken'),
      }),
      ArtefactErrorCode.OutputExists,
    );
    expect(await readFile(join(f.store.work, 'taken'), 'utf8')).toBe('mine');
    expect(await f.size()).toBe(size);
  });

  it('serves nothing and records nothing when the bytes are corrupt', async () => {
    await f.store.flipByte(request.evidence.comparison);
    const size = await f.size();
    await rejectsWithCode(
      viewEvidence(f.ctx, { requestId: request.id, token: alice, evidence: 'comparison' }),
      ArtefactErrorCode.Corrupt,
    );
    await rejectsWithCode(
      viewEvidenceToFile(f.ctx, {
        requestId: request.id,
        token: alice,
        evidence: 'comparison',
        path: join(f.store.work, 'c.html'),
      }),
      ArtefactErrorCode.Corrupt,
    );
    expect(await f.size()).toBe(size);
  });

  it('concurrent reviews never fork the request history: each append names the previous head', async () => {
    const bob = await f.token('bob', ['risk']);
    const views = await Promise.all([
      viewEvidence(f.ctx, { requestId: request.id, token: alice, evidence: 'comparison' }),
      viewEvidence(f.ctx, { requestId: request.id, token: bob, evidence: 'comparison' }),
      viewEvidence(f.ctx, { requestId: request.id, token: alice, evidence: 'explanation' }),
      viewEvidence(f.ctx, { requestId: request.id, token: bob, evidence: 'change-manifest' }),
    ]);
    expect(views.map((v) => v.receipt.index).sort()).toHaveLength(4);
    const after = await getRequest(f.ctx, request.id);
    expect(after.views).toHaveLength(4);
    expect(after.entries.map((e) => e.type)).toEqual([
      'request',
      'classification',
      'view',
      'view',
      'view',
      'view',
    ]);
  });

  it('a closed request takes no views (ERR_REQUEST_CLOSED)', async () => {
    await withdrawRequest(f.ctx, { requestId: request.id, token: await f.token('rita') });
    const size = await f.size();
    const err = await rejectsWithCode(
      viewEvidence(f.ctx, { requestId: request.id, token: alice, evidence: 'comparison' }),
      RequestErrorCode.Closed,
    );
    expect(err.details).toMatchObject({ state: 'withdrawn' });
    expect(await f.size()).toBe(size);
  });
});
