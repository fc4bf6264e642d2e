import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  type ApprovalsFixture,
  makeApprovalsFixture,
} from '../../approvals/requests/test-support/approvals-fixture.js';
import { DEFAULT_PROMOTION_TARGET, type PromotionContext } from '../../promotion/index.js';
import { type RegisteredModel, registerModel } from '../../promotion/test-support/promotion-fixture.js';
import { LOCAL_REGISTRY_FILE, LocalRegistry } from '../../registries/index.js';
import { buildServer } from '../build-server.js';
import type { ServerOptions } from '../server-options.js';

/** The promotion side of a server fixture: a local registry with model `credit` (champion 1, candidate 2). */
export interface ServerPromotion {
  readonly local: LocalRegistry;
  readonly model: RegisteredModel;
  readonly ctx: PromotionContext;
}

/** The approvals fixture (dev identity, temp ledger and store) behind an in-process server. */
export interface ServerFixture {
  readonly f: ApprovalsFixture;
  readonly app: FastifyInstance;
  /** With `{ promotion: true }`: the registry the server's promotion context moves. */
  readonly promotion?: ServerPromotion;
  /** A dev token for an account of the approvals test policy: requester rita, alice (model owner), bob (risk). */
  token(who: 'rita' | 'alice' | 'bob' | 'mallory'): Promise<string>;
  /** `app.inject` with `Authorization: Bearer` for `who`. */
  as(who: 'rita' | 'alice' | 'bob' | 'mallory', options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const GROUPS = { rita: ['ml-engineers'], alice: ['approvers'], bob: ['risk'], mallory: [] } as const;

/** With `fixture.promotion`, the server also has a promotion context over a local registry (see ServerPromotion). */
export async function makeServerFixture(
  options: Partial<ServerOptions> = {},
  fixture: { promotion?: boolean } = {},
): Promise<ServerFixture> {
  const f = await makeApprovalsFixture();
  await f.activate();
  let app: FastifyInstance;
  let promotion: ServerPromotion | undefined;
  const cleanupPromotion = async () => {
    await promotion?.local.close();
    await promotion?.model.champion.files.cleanup();
    await promotion?.model.candidate.files.cleanup();
  };
  try {
    if (fixture.promotion === true) {
      const local = LocalRegistry.open(`${f.store.work}/${LOCAL_REGISTRY_FILE}`, {
        create: true,
        artefacts: f.store.store,
      });
      const model = await registerModel(f, local, 'credit');
      const ctx: PromotionContext = {
        approvals: f.ctx,
        registry: local,
        registryName: 'local',
        target: DEFAULT_PROMOTION_TARGET,
      };
      promotion = { local, model, ctx };
    }
    app = await buildServer(
      { approvals: f.ctx, ...(promotion === undefined ? {} : { promotion: promotion.ctx }) },
      { publicUrl: 'http://docket.test', logger: false, ...options },
    );
  } catch (err) {
    await cleanupPromotion();
    await f.cleanup();
    throw err;
  }
  const token = (who: keyof typeof GROUPS) => f.token(who, GROUPS[who]);
  return {
    f,
    app,
    ...(promotion === undefined ? {} : { promotion }),
    token,
    async as(who, opts) {
      const headers = { ...(opts.headers ?? {}), authorization: `Bearer ${await token(who)}` };
      return app.inject({ ...opts, headers });
    },
    async close() {
      await app.close();
      await cleanupPromotion();
      await f.cleanup();
    },
  };
}
