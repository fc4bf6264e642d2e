import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FsStoreFixture, makeFsStoreFixture } from '../../../artefacts/test-support/fs-store-fixture.js';
import { canonicalJsonBytes, type Digest } from '../../../digest/index.js';
import {
  createDevIdentityIssuer,
  createIdentityVerifier,
  type DevIdentityIssuer,
  type TokenVerifier,
} from '../../../identity/index.js';
import { Ledger } from '../../../ledger/index.js';
import { type TempLedger, tempLedger } from '../../../ledger/test-support/temp-ledger.js';
import { manifestData } from '../../change-manifest/test-support/manifest-fixtures.js';
import { loadPolicy } from '../../policy/index.js';
import type { FixtureData } from '../../policy/test-support/policy-fixtures.js';
import { type ActivatedPolicy, activatePolicy } from '../../policy-activation/index.js';
import type { ApprovalsContext } from '../context.js';
import type { EvidenceDigests, ModelVersionRef } from '../records.js';

/** The audience tokens are minted for and verified against in these tests. */
export const TEST_AUDIENCE = 'urn:docket:api';

/**
 * A policy whose group names match the test OpenID provider's accounts (DEFAULT_TEST_ACCOUNTS): `approvers` are
 * model owners, `risk` is risk, `committee` the three-member committee. Class 1: one model owner; class 2: a model
 * owner and a risk approver; class 3: the whole committee (quorum 3 of 3).
 */
export const APPROVALS_TEST_POLICY_YAML = `formatVersion: 1
name: approvals-test
identity:
  claim: groups
  mapping:
    approvers: [model-owner]
    risk: [risk]
    committee: [committee]
classes:
  1:
    approvers: 1
    requiredRoles: { model-owner: 1 }
    evidence: [comparison, change-manifest]
  2:
    approvers: 2
    requiredRoles: { model-owner: 1, risk: 1 }
    evidence: [comparison, change-manifest, explanation]
  3:
    approvers: 3
    committee: { role: committee, quorum: 3, size: 3 }
    evidence: [comparison, change-manifest, explanation, training-dataset, evaluation-dataset]
drift:
  metrics:
    auc: { direction: higher-is-better, maxAdverseChange: 0.01 }
    brier: { direction: lower-is-better, maxAdverseChange: 0.005, maxAbsoluteChange: 0.02 }
  psi:
    featureMax: 0.1
    features: { income: 0.2 }
    scoreMax: 0.1
requests:
  expiresAfter: P1D
`;

/** What the change manifest of a request of each class changes (class 1: nothing beyond the envelope). */
export const CHANGE_FOR_CLASS: Readonly<Record<1 | 2 | 3, (manifest: FixtureData) => void>> = {
  1: () => undefined,
  2: (m) => {
    m.challenger.population.definition = 'retail applicants aged 21 or over';
  },
  3: (m) => {
    m.challenger.features.push('num_accounts');
    m.comparison.psi.features.num_accounts = 0.01;
  },
};

/** Everything of a request but the token: references to evidence actually stored. */
export interface StoredRequestParts {
  readonly candidate: ModelVersionRef;
  readonly champion: ModelVersionRef;
  readonly evidence: EvidenceDigests;
}

/** A ledger, an artefact store, dev identity and a settable clock: the approvals context of a test. */
export interface ApprovalsFixture {
  readonly ctx: ApprovalsContext;
  readonly ledger: Ledger;
  readonly store: FsStoreFixture;
  readonly dev: DevIdentityIssuer;
  /** Runs raw SQL on the ledger database with its append-only triggers dropped (an operator tampering). */
  tamper(sql: string, ...params: unknown[]): Promise<void>;
  /** Moves the clock (ledger and approvals) forward. */
  advance(ms: number): void;
  /** A dev-identity token for `subject` with `groups`. */
  token(subject: string, groups?: readonly string[], ttlSeconds?: number): Promise<string>;
  /** Activates `yaml` (default: the approvals test policy) as the local user `tester`. */
  activate(yaml?: string): Promise<ActivatedPolicy>;
  /** Stores bytes and returns their digest. */
  put(bytes: Uint8Array | string): Promise<Digest>;
  /** Stores the models and evidence of a request of `materiality` (a manifest edit may be given) and references them. */
  parts(materiality?: 1 | 2 | 3, edit?: (manifest: FixtureData) => void): Promise<StoredRequestParts>;
  size(): Promise<number>;
  cleanup(): Promise<void>;
}

/**
 * Creates an {@link ApprovalsFixture}. `identity` replaces the dev-only verifier (e.g. with one trusting the real
 * test OpenID provider as well).
 */
export async function makeApprovalsFixture(
  options: { identity?: TokenVerifier } = {},
): Promise<ApprovalsFixture> {
  // The system clock plus an offset tests move forward: tokens are minted at real time and must still verify.
  let offset = 0;
  const clock = (): Date => new Date(Date.now() + offset);
  const temp: TempLedger = await tempLedger();
  let ledger = new Ledger({ store: temp.store, signer: temp.signer, clock });
  const store = await makeFsStoreFixture();
  const keyDir = await mkdtemp(join(tmpdir(), 'docket-dev-identity-'));
  const dev = await createDevIdentityIssuer(keyDir);
  const devVerifier = { enabled: true, keyDir, audience: TEST_AUDIENCE, now: clock };
  const identity = options.identity ?? createIdentityVerifier({ dev: devVerifier });
  let ctx: ApprovalsContext = { ledger, artefacts: store.store, identity, now: clock };
  const put = async (bytes: Uint8Array | string): Promise<Digest> =>
    (await store.store.putBytes(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes)).digest;
  return {
    get ctx() {
      return ctx;
    },
    get ledger() {
      return ledger;
    },
    store,
    dev,
    async tamper(sql, ...params) {
      await temp.tamper(sql, ...params);
      ledger = new Ledger({ store: temp.store, signer: temp.signer, clock });
      ctx = { ...ctx, ledger };
    },
    advance(ms) {
      offset += ms;
    },
    token: (subject, groups = [], ttlSeconds = 3600) =>
      dev.mintDevToken({ subject, groups, audience: TEST_AUDIENCE, ttlSeconds }),
    async activate(yaml = APPROVALS_TEST_POLICY_YAML) {
      return activatePolicy(ctx, { policy: loadPolicy(yaml).policy, as: { localUser: 'tester' } });
    },
    put,
    async parts(materiality = 1, edit) {
      const training = await put('age,income,default\n30,52000,0\n41,61000,1\n');
      const evaluation = await put('age,income,default\n35,48000,0\n');
      const manifest = manifestData();
      manifest.challenger.datasets = { training, evaluation };
      CHANGE_FOR_CLASS[materiality](manifest);
      edit?.(manifest);
      return {
        candidate: {
          registry: 'local',
          model: 'credit-decisioning',
          version: String(manifest.challenger.version),
          artefactDigest: await put('model v17 weights'),
        },
        champion: {
          registry: 'local',
          model: 'credit-decisioning',
          version: String(manifest.champion.version),
          artefactDigest: await put('model v16 weights'),
        },
        evidence: {
          comparison: await put(`<html>challenger comparison, class ${materiality}</html>`),
          explanation: await put('{"shap": "explanation bundle"}'),
          trainingDataset: training,
          evaluationDataset: evaluation,
          changeManifest: await put(canonicalJsonBytes(manifest)),
        },
      };
    },
    size: () => ledger.size(),
    async cleanup() {
      await temp.cleanup();
      await store.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
