import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestData } from '../../src/approvals/change-manifest/test-support/manifest-fixtures.js';
import { loadPolicy } from '../../src/approvals/policy/index.js';
import { activatePolicy } from '../../src/approvals/policy-activation/index.js';
import { type ApprovalRequest, openRequest } from '../../src/approvals/requests/index.js';
import {
  APPROVALS_TEST_POLICY_YAML,
  CHANGE_FOR_CLASS,
} from '../../src/approvals/requests/test-support/approvals-fixture.js';
import { type AnchorTarget, anchorCheckpoint } from '../../src/audit/anchor/index.js';
import { canonicalJsonBytes, parseDigest } from '../../src/digest/index.js';
import { type ArtefactKind, registerArtefact } from '../../src/evidence/index.js';
import { type Docket, initHome, openHome } from '../../src/home/index.js';
import {
  DEFAULT_TEST_ACCOUNTS,
  startTestProvider,
  type TestProvider,
} from '../../src/identity/test-support/oidc-provider.js';
import { LocalRegistry } from '../../src/registries/index.js';
import { type RunningServer, startServer } from '../../src/server/index.js';

/** The UI's client at the test provider: public, authorization code with PKCE, redirecting to docket. */
export const UI_CLIENT_ID = 'docket-ui';

/** A real docket home served over HTTP, trusting a real OpenID Provider, with one class 2 request open. */
export interface E2eDocket {
  readonly url: string;
  readonly idp: TestProvider;
  readonly docket: Docket;
  readonly server: RunningServer;
  readonly request: ApprovalRequest;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// A challenger comparison as a report renderer would write it; its script must never run in the viewer.
const COMPARISON_HTML = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Challenger comparison</title>
<style>body{font-family:sans-serif;margin:1.5rem;color:#1b1f24}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3rem .6rem}.worse{color:#a40e26}</style></head>
<body><h1>credit-decisioning v17 vs champion v16</h1>
<p>Population: retail applicants aged 21 or over (was 18 or over).</p>
<table><tr><th>metric</th><th>champion v16</th><th>challenger v17</th></tr>
<tr><td>AUC</td><td>0.781</td><td>0.779</td></tr><tr><td>Brier</td><td>0.162</td><td>0.163</td></tr>
<tr><td>PSI (score)</td><td>-</td><td>0.04</td></tr></table>
<p id="script-check">scripts are off</p>
<script>document.getElementById('script-check').textContent = 'SCRIPT RAN';</script>
</body></html>`;

/**
 * The home's local registry as the bank has it: `credit-decisioning` versions 1 to 17 (the local registry numbers
 * versions 1, 2, 3...), the champion (16) and the candidate (17) stored as the request's artefacts, so that their
 * bytes digest to the request's artefact digests, and the `champion` alias on 16.
 */
async function registerModelVersions(
  docket: Docket,
  candidate: { model: string; version: string; artefactDigest: string },
  champion: { model: string; version: string; artefactDigest: string },
): Promise<void> {
  const registry = docket.registry;
  if (!(registry instanceof LocalRegistry)) throw new Error('the e2e home must use the local registry');
  await registry.createModel(candidate.model);
  for (let n = 1; n < Number(champion.version); n++) {
    const { digest } = await docket.artefacts.putBytes(Buffer.from(`model v${n} weights`));
    await registry.registerVersion(candidate.model, { digest });
  }
  const registered = [
    await registry.registerVersion(champion.model, { digest: parseDigest(champion.artefactDigest) }),
    await registry.registerVersion(candidate.model, { digest: parseDigest(candidate.artefactDigest) }),
  ].map((v) => v.version);
  if (registered.join() !== [champion.version, candidate.version].join()) {
    throw new Error(
      `registered versions ${registered.join()}, expected ${champion.version},${candidate.version}`,
    );
  }
  await registry.setAlias(champion.model, 'champion', champion.version);
}

/**
 * Starts everything a browser test needs: a free port for docket on `localhost` (another site than the provider on
 * 127.0.0.1, so SameSite=Lax is exercised for real), the test OpenID Provider with the UI's client, a fresh home
 * trusting it, the approvals test policy, evidence registered with media types, and a class 2 request opened by
 * rita with a token from the provider's device grant; the home's local registry holds the champion and the candidate
 * (see registerModelVersions), and the server promotes on the completing approval.
 */
export async function startE2eDocket(): Promise<E2eDocket> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const idp = await startTestProvider({
    accounts: [...DEFAULT_TEST_ACCOUNTS, { id: 'rita', groups: ['ml-engineers'], name: 'Rita Requester' }],
    clients: [
      {
        client_id: UI_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${url}/auth/callback`],
      },
    ],
  });
  const home = await mkdtemp(join(tmpdir(), 'docket-e2e-home-'));
  await rm(home, { recursive: true });
  await initHome(home, { origin: 'docket.e2e/ledger' });
  const configPath = join(home, 'config.json');
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  config.identity = { audience: idp.audience, oidc: [{ issuer: idp.issuer }], dev: { enabled: false } };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const docket = await openHome(home);
  await activatePolicy(docket.approvals, {
    policy: loadPolicy(APPROVALS_TEST_POLICY_YAML).policy,
    as: { localUser: 'e2e' },
  });

  const put = async (kind: ArtefactKind, name: string, mediaType: string, bytes: Uint8Array | string) => {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
    const { Readable } = await import('node:stream');
    const result = await registerArtefact(docket.ledger, docket.artefacts, {
      source: { kind: 'stream', stream: Readable.from([data]) },
      kind,
      name,
      mediaType,
      registeredBy: { kind: 'local-user', name: 'e2e' },
    });
    return result.digest as `sha256:${string}`;
  };
  const training = await put(
    'dataset',
    'train.csv',
    'text/csv',
    'age,income,default\n30,52000,0\n41,61000,1\n',
  );
  const evaluation = await put('dataset', 'eval.csv', 'text/csv', 'age,income,default\n35,48000,0\n');
  const manifest = manifestData();
  manifest.challenger.datasets = { training, evaluation };
  CHANGE_FOR_CLASS[2](manifest);
  const evidence = {
    comparison: await put('comparison', 'comparison.html', 'text/html', COMPARISON_HTML),
    explanation: await put(
      'explanation',
      'shap.json',
      'application/json',
      '{"model":"credit-decisioning","version":"17","topFeatures":{"income":0.31,"debt_ratio":0.22,"age":0.12}}\n',
    ),
    trainingDataset: training,
    evaluationDataset: evaluation,
    changeManifest: await put(
      'change-manifest',
      'change.json',
      'application/json',
      canonicalJsonBytes(manifest),
    ),
  };
  const candidate = {
    registry: 'local',
    model: 'credit-decisioning',
    version: String(manifest.challenger.version),
    artefactDigest: await put('model', 'model-v17.bin', 'application/octet-stream', 'model v17 weights'),
  };
  const champion = {
    registry: 'local',
    model: 'credit-decisioning',
    version: String(manifest.champion.version),
    artefactDigest: await put('model', 'model-v16.bin', 'application/octet-stream', 'model v16 weights'),
  };
  await registerModelVersions(docket, candidate, champion);
  const request = await openRequest(docket.approvals, {
    token: await idp.tokenFor('rita'),
    candidate,
    champion,
    evidence,
    ticket: 'MRM-1234',
  });
  // One checkpoint anchored outside the database, so that the log page has a last anchor to show.
  const anchors: AnchorTarget[] = [{ kind: 'directory', path: join(home, 'anchors') }];
  await mkdir(join(home, 'anchors'));
  await anchorCheckpoint((await docket.ledger.latestCheckpoint()).note, anchors);
  const server = await startServer(
    { approvals: docket.approvals, promotion: docket.promotion, anchors },
    {
      host: '127.0.0.1',
      port,
      publicUrl: url,
      login: {
        issuer: idp.issuer,
        clientId: UI_CLIENT_ID,
        resource: idp.audience,
        scope: 'openid profile groups docket',
      },
      logger: false,
    },
  );
  return {
    url,
    idp,
    docket,
    server,
    request,
    async close() {
      await server.close();
      await docket.close();
      await idp.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
