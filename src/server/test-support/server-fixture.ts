import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  type ApprovalsFixture,
  makeApprovalsFixture,
} from '../../approvals/requests/test-support/approvals-fixture.js';
import { buildServer } from '../build-server.js';
import type { ServerOptions } from '../server-options.js';

/** The approvals fixture (dev identity, temp ledger and store) behind an in-process server. */
export interface ServerFixture {
  readonly f: ApprovalsFixture;
  readonly app: FastifyInstance;
  /** A dev token for an account of the approvals test policy: requester rita, alice (model owner), bob (risk). */
  token(who: 'rita' | 'alice' | 'bob' | 'mallory'): Promise<string>;
  /** `app.inject` with `Authorization: Bearer` for `who`. */
  as(who: 'rita' | 'alice' | 'bob' | 'mallory', options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const GROUPS = { rita: ['ml-engineers'], alice: ['approvers'], bob: ['risk'], mallory: [] } as const;

export async function makeServerFixture(options: Partial<ServerOptions> = {}): Promise<ServerFixture> {
  const f = await makeApprovalsFixture();
  await f.activate();
  let app: FastifyInstance;
  try {
    app = await buildServer(
      { approvals: f.ctx },
      { publicUrl: 'http://docket.test', logger: false, ...options },
    );
  } catch (err) {
    await f.cleanup();
    throw err;
  }
  const token = (who: keyof typeof GROUPS) => f.token(who, GROUPS[who]);
  return {
    f,
    app,
    token,
    async as(who, opts) {
      const headers = { ...(opts.headers ?? {}), authorization: `Bearer ${await token(who)}` };
      return app.inject({ ...opts, headers });
    },
    async close() {
      await app.close();
      await f.cleanup();
    },
  };
}
