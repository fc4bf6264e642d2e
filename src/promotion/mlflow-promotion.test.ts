import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalsFixture } from '../approvals/requests/test-support/approvals-fixture.js';
import { makeApprovalsFixture } from '../approvals/requests/test-support/approvals-fixture.js';
import { frozenDigest, MlflowRegistry, RegistryErrorCode } from '../registries/index.js';
import { startMlflowServer, type TestMlflowServer } from '../registries/test-support/mlflow-server.js';
import { writeModelFiles } from '../registries/test-support/model-files.js';
import type { PromotionContext } from './context.js';
import { decideAndPromote } from './decide-and-promote.js';
import { checkDeployment } from './deployment-gate.js';
import { parseMlflowWebhookEvent, verifyMlflowWebhook } from './mlflow-webhook.js';
import { promote } from './promote.js';
import { readPromotion } from './promotion-state.js';
import { reconcile } from './reconcile.js';
import {
  approveAs,
  openRequestFor,
  promotionContextFor,
  type RegisteredModel,
  reviewRequired,
} from './test-support/promotion-fixture.js';

const code = (c: string) => expect.objectContaining({ code: c });
const WEBHOOK_SECRET = `whsec-${randomBytes(12).toString('hex')}`;

/**
 * Promotion against a real MLflow tracking server (scripts/setup/mlflow.sh): the gate moves the MLflow alias, an
 * alias moved by hand in MLflow is reported by reconcile and restored by enforce, MLflow's own signed webhook
 * delivery triggers reconcile, and the deployment gate refuses a version with no event.
 */
describe('promotion against a real MLflow server', () => {
  let server: TestMlflowServer;
  let registry: MlflowRegistry;
  let approvals: ApprovalsFixture;
  let ctx: PromotionContext;
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: { headers: IncomingHttpHeaders; body: string }[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const saved: Record<string, string | undefined> = {};

  // Webhooks need these in the server's environment (SERVICES.md); the test server inherits process.env.
  const serverEnv: Record<string, string> = {
    // A Fernet key: 32 bytes in url-safe base64 with its padding (Node's base64url drops the '=').
    MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32)
      .toString('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
    MLFLOW_WEBHOOK_ALLOWED_SCHEMES: 'http,https',
    MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: 'true',
    MLFLOW_WEBHOOK_CACHE_TTL: '1',
  };

  beforeAll(async () => {
    for (const [key, value] of Object.entries(serverEnv)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/mlflow`;
    server = await startMlflowServer();
    registry = new MlflowRegistry({ trackingUri: server.trackingUri, timeoutMs: 15_000 });
    approvals = await makeApprovalsFixture();
    await approvals.activate();
    ctx = promotionContextFor(approvals, registry, 'mlflow');
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await approvals?.cleanup();
    await server?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const aliasOf = async (model: string): Promise<string | undefined> => {
    const { status, json } = await server.api(
      'GET',
      `mlflow/registered-models/alias?name=${encodeURIComponent(model)}&alias=champion`,
    );
    return status === 200 ? (json.model_version as { version: string }).version : undefined;
  };
  const setAliasByHand = async (model: string, version: string) => {
    const { status } = await server.api('POST', 'mlflow/registered-models/alias', {
      name: model,
      alias: 'champion',
      version,
    });
    expect(status).toBe(200);
  };

  /** Two versions of a fresh model in MLflow, stored in docket's artefact store too, champion at 1. */
  const mlflowModel = async (label: string): Promise<RegisteredModel> => {
    const model = `${label}-${Date.now().toString(36)}`;
    const championFiles = await writeModelFiles(`${model}-1`, { largeBytes: 4096 });
    const candidateFiles = await writeModelFiles(`${model}-2`, { largeBytes: 8192 });
    cleanups.push(championFiles.cleanup, candidateFiles.cleanup);
    const v1 = await server.createModelVersion(model, championFiles.dir);
    const v2 = await server.createModelVersion(model, candidateFiles.dir);
    await setAliasByHand(model, v1.version);
    const registered: RegisteredModel = {
      model,
      champion: {
        version: v1.version,
        digest: (await approvals.store.store.putDirectory(championFiles.dir)).digest,
        files: championFiles,
      },
      candidate: {
        version: v2.version,
        digest: (await approvals.store.store.putDirectory(candidateFiles.dir)).digest,
        files: candidateFiles,
      },
    };
    // What docket digests from MLflow's download is what was stored: one identity for the bytes.
    expect((await frozenDigest(registry, model, v2.version)).digest).toBe(registered.candidate.digest);
    return registered;
  };

  it('the completing approval promotes in MLflow; a hand-moved alias is reported, then restored by enforce', async () => {
    const m = await mlflowModel('credit');
    const request = await openRequestFor(approvals, m, 'mlflow', 1);
    const token = await approvals.token('alice', ['approvers']);
    await reviewRequired(approvals, request, token);
    const { promotion } = await decideAndPromote(ctx, {
      requestId: request.id,
      token,
      decision: 'approve',
      evidence: request.evidence,
    });
    expect(promotion.status).toBe('promoted');
    if (promotion.status !== 'promoted') throw new Error('unreachable');
    expect(promotion.outcome.event.predicate.model).toMatchObject({
      registry: 'mlflow',
      registryId: `mlflow:${server.trackingUri}`,
      version: m.candidate.version,
      artefactDigest: m.candidate.digest,
    });
    expect(await aliasOf(m.model)).toBe(m.candidate.version);
    expect(await reconcile(ctx, { models: [m.model] })).toMatchObject({ ok: true, findings: [] });

    // Someone with MLflow access rolls the alias back by hand: MLflow keeps no history of it.
    await setAliasByHand(m.model, m.champion.version);
    const report = await reconcile(ctx, { models: [m.model] });
    expect(report).toMatchObject({ ok: false, registryId: `mlflow:${server.trackingUri}` });
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'unattested',
        model: m.model,
        found: m.champion.version,
        attested: expect.objectContaining({ version: m.candidate.version, requestId: request.id }),
      }),
    ]);
    expect(await aliasOf(m.model)).toBe(m.champion.version);

    const enforced = await reconcile(ctx, { models: [m.model], enforce: true });
    expect(enforced.ok).toBe(true);
    expect(await aliasOf(m.model)).toBe(m.candidate.version);
    const restore = enforced.findings[0]?.enforcement;
    if (restore === undefined || restore.outcome === 'skipped') throw new Error('expected a restore');
    const entry = await approvals.ledger.readEntry(restore.transition.index);
    expect(entry.statement.predicate).toMatchObject({
      reason: 'reconcile',
      outcome: 'applied',
      registryId: `mlflow:${server.trackingUri}`,
      fromVersion: m.champion.version,
      toVersion: m.candidate.version,
    });
    expect((await reconcile(ctx, { models: [m.model] })).ok).toBe(true);

    // The deployment gate: the promoted version passes, the champion (never promoted through docket) does not.
    const query = { registry: 'mlflow', model: m.model };
    expect((await checkDeployment(approvals.ledger, { ...query, version: m.candidate.version })).ok).toBe(
      true,
    );
    const refused = await checkDeployment(approvals.ledger, { ...query, version: m.champion.version });
    expect(refused).toMatchObject({ ok: false, promotion: null });
    expect(refused.problems).toEqual([`no promotion event for mlflow/${m.model}@${m.champion.version}`]);
  });

  it("MLflow's signed webhook for a hand-made alias change verifies and triggers a reconcile of that model", async () => {
    const m = await mlflowModel('hooked');
    const request = await approveAs(approvals, await openRequestFor(approvals, m, 'mlflow', 1), [
      ['alice', ['approvers']],
    ]);
    expect((await promote(ctx, request.id)).state).toBe('promoted');
    const created = await server.api('POST', 'mlflow/webhooks', {
      name: `docket-reconcile-${m.model}`,
      url: receiverUrl,
      events: [{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }],
      secret: WEBHOOK_SECRET,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the server's webhook cache TTL
    deliveries.length = 0;
    await setAliasByHand(m.model, m.champion.version);

    const deadline = Date.now() + 30_000;
    while (deliveries.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const delivery = deliveries[0];
    if (delivery === undefined) throw new Error('MLflow delivered no webhook within 30 s');
    verifyMlflowWebhook({ payload: delivery.body, headers: delivery.headers }, { secret: WEBHOOK_SECRET });
    expect(() =>
      verifyMlflowWebhook(
        { payload: delivery.body, headers: delivery.headers },
        { secret: 'another secret' },
      ),
    ).toThrow();
    const event = parseMlflowWebhookEvent(delivery.body);
    expect(event).toEqual({ entity: 'model_version_alias', action: 'created', model: m.model });

    const report = await reconcile(ctx, { models: [event.model as string], enforce: true });
    expect(report.findings.map((f) => [f.kind, f.found, f.enforcement?.outcome])).toEqual([
      ['unattested', m.champion.version, 'applied'],
    ]);
    expect(await aliasOf(m.model)).toBe(m.candidate.version);
  });

  it('MLflow unreachable before the event write: nothing written, nothing moved', async () => {
    const m = await mlflowModel('paused');
    const request = await approveAs(approvals, await openRequestFor(approvals, m, 'mlflow', 1), [
      ['alice', ['approvers']],
    ]);
    const impatient = promotionContextFor(
      approvals,
      new MlflowRegistry({ trackingUri: server.trackingUri, timeoutMs: 1_500 }),
      'mlflow',
    );
    const size = await approvals.size();
    server.pause();
    try {
      await expect(promote(impatient, request.id)).rejects.toEqual(code(RegistryErrorCode.Unreachable));
    } finally {
      server.resume();
    }
    expect(await approvals.size()).toBe(size);
    expect((await readPromotion(approvals.ledger, request.id)).state).toBe('none');
    expect(await aliasOf(m.model)).toBe(m.champion.version);
    expect((await promote(ctx, request.id)).state).toBe('promoted');
    expect(await aliasOf(m.model)).toBe(m.candidate.version);
  });
});
