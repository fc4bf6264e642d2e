import { decide } from '../../approvals/decisions/index.js';
import type { EvidenceKind } from '../../approvals/policy/index.js';
import {
  type ApprovalRequest,
  getRequest,
  openRequest,
  viewEvidence,
} from '../../approvals/requests/index.js';
import {
  APPROVALS_TEST_POLICY_YAML,
  type ApprovalsFixture,
  makeApprovalsFixture,
} from '../../approvals/requests/test-support/approvals-fixture.js';
import type { Digest } from '../../digest/index.js';
import { LOCAL_REGISTRY_FILE, LocalRegistry, type ModelRegistry } from '../../registries/index.js';
import { type ModelFiles, writeModelFiles } from '../../registries/test-support/model-files.js';
import { DEFAULT_PROMOTION_TARGET, type PromotionContext } from '../context.js';
import { RegistryFaultInjector } from './registry-fault-injector.js';

/** The approval test policy with `promotion.mode: explicit`: approvals complete, `promote` is a separate step. */
export const EXPLICIT_POLICY_YAML = `${APPROVALS_TEST_POLICY_YAML}promotion:\n  mode: explicit\n`;

/** Who decides in these tests (dev identity): a model owner and a risk approver; `rita` requests. */
export const APPROVERS: Readonly<Record<1 | 2, readonly (readonly [string, readonly string[]])[]>> = {
  1: [['alice', ['approvers']]],
  2: [
    ['alice', ['approvers']],
    ['bob', ['risk']],
  ],
};

/** A model in a registry with a champion and a candidate version, both also stored in the artefact store. */
export interface RegisteredModel {
  readonly model: string;
  readonly champion: { readonly version: string; readonly digest: Digest; readonly files: ModelFiles };
  readonly candidate: { readonly version: string; readonly digest: Digest; readonly files: ModelFiles };
}

/** Approvals fixture + a real local registry behind a fault injector + the promotion context over them. */
export interface PromotionFixture {
  readonly approvals: ApprovalsFixture;
  /** The real local registry. */
  readonly local: LocalRegistry;
  /** What the context uses: the local registry behind a fault injector. */
  readonly registry: RegistryFaultInjector;
  readonly ctx: PromotionContext;
  readonly model: RegisteredModel;
  /** Opens a request of `materiality` for the candidate over the champion (the champion alias set first). */
  openRequest(materiality?: 1 | 2): Promise<ApprovalRequest>;
  /** Reviews what each approver must and approves; returns the request (approved when they suffice). */
  approve(request: ApprovalRequest, materiality?: 1 | 2): Promise<ApprovalRequest>;
  /** Every alias move of the model, oldest first (the local registry keeps the history MLflow does not). */
  aliasMoves(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * A fresh ledger, artefact store, dev identity and local registry with model `credit` at versions 1 (champion,
 * alias `champion`) and 2 (candidate), registered by path, and an activated policy (`policyYaml`, default the
 * approval test policy: promotion on approval).
 */
export async function makePromotionFixture(options: { policyYaml?: string } = {}): Promise<PromotionFixture> {
  const approvals = await makeApprovalsFixture();
  await approvals.activate(options.policyYaml);
  const local = LocalRegistry.open(`${approvals.store.work}/${LOCAL_REGISTRY_FILE}`, {
    create: true,
    artefacts: approvals.store.store,
  });
  const model = await registerModel(approvals, local, 'credit');
  const registry = new RegistryFaultInjector(local);
  const ctx: PromotionContext = {
    get approvals() {
      return approvals.ctx;
    },
    registry,
    registryName: 'local',
    target: DEFAULT_PROMOTION_TARGET,
  };
  return {
    approvals,
    local,
    registry,
    ctx,
    model,
    openRequest: (materiality = 1) => openRequestFor(approvals, model, 'local', materiality),
    approve: (request, materiality = 1) => approveAs(approvals, request, APPROVERS[materiality]),
    async aliasMoves() {
      return (await local.aliasHistory(model.model, 'champion')).map(
        (c) => `${c.fromVersion ?? '-'}->${c.toVersion ?? '-'}`,
      );
    },
    async cleanup() {
      await local.close();
      await model.champion.files.cleanup();
      await model.candidate.files.cleanup();
      await approvals.cleanup();
    },
  };
}

/** Creates `model` in the local registry with versions 1 and 2 (by path), stores both, points `champion` at 1. */
export async function registerModel(
  approvals: ApprovalsFixture,
  local: LocalRegistry,
  model: string,
): Promise<RegisteredModel> {
  const championFiles = await writeModelFiles(`${model}-champion`, { largeBytes: 4096 });
  const candidateFiles = await writeModelFiles(`${model}-candidate`, { largeBytes: 8192 });
  await local.createModel(model);
  const champion = await local.registerVersion(model, { path: championFiles.dir });
  const candidate = await local.registerVersion(model, { path: candidateFiles.dir });
  await local.setAlias(model, 'champion', champion.version);
  return {
    model,
    champion: {
      version: champion.version,
      digest: (await approvals.store.store.putDirectory(championFiles.dir)).digest,
      files: championFiles,
    },
    candidate: {
      version: candidate.version,
      digest: (await approvals.store.store.putDirectory(candidateFiles.dir)).digest,
      files: candidateFiles,
    },
  };
}

/** Opens a request (as `rita`) to promote the model's candidate over its champion in registry `registryName`. */
export async function openRequestFor(
  approvals: ApprovalsFixture,
  model: RegisteredModel,
  registryName: string,
  materiality: 1 | 2 = 1,
): Promise<ApprovalRequest> {
  const parts = await approvals.parts(materiality, (manifest) => {
    manifest.challenger.model = model.model;
    manifest.champion.model = model.model;
    manifest.challenger.version = model.candidate.version;
    manifest.champion.version = model.champion.version;
  });
  return openRequest(approvals.ctx, {
    token: await approvals.token('rita', ['ml-engineers']),
    candidate: {
      registry: registryName,
      model: model.model,
      version: model.candidate.version,
      artefactDigest: model.candidate.digest,
    },
    champion: {
      registry: registryName,
      model: model.model,
      version: model.champion.version,
      artefactDigest: model.champion.digest,
    },
    evidence: parts.evidence,
  });
}

/** Each approver reviews the evidence the class requires, then approves (with `decide`: no promotion). */
export async function approveAs(
  approvals: ApprovalsFixture,
  request: ApprovalRequest,
  approvers: readonly (readonly [string, readonly string[]])[],
): Promise<ApprovalRequest> {
  for (const [subject, groups] of approvers) {
    const token = await approvals.token(subject, groups);
    await reviewRequired(approvals, request, token);
    await decide(approvals.ctx, {
      requestId: request.id,
      token,
      decision: 'approve',
      evidence: request.evidence,
    });
  }
  return getRequest(approvals.ctx, request.id);
}

/** Serves `token`'s holder every evidence artefact the request's class requires. */
export async function reviewRequired(
  approvals: ApprovalsFixture,
  request: ApprovalRequest,
  token: string,
): Promise<void> {
  for (const evidence of request.classification.approvalsRequired.evidence as EvidenceKind[]) {
    await viewEvidence(approvals.ctx, { requestId: request.id, token, evidence });
  }
}

/** The context of `approvals` over another registry (e.g. MLflow), named as requests name it. */
export function promotionContextFor(
  approvals: ApprovalsFixture,
  registry: ModelRegistry,
  registryName: string,
): PromotionContext {
  return {
    get approvals() {
      return approvals.ctx;
    },
    registry,
    registryName,
    target: DEFAULT_PROMOTION_TARGET,
  };
}
