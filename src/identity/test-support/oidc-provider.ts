/**
 * A real OpenID Provider (the certified `oidc-provider` package) on 127.0.0.1 with an ephemeral port, for tests
 * that need real tokens obtained through a real grant. Nothing here is faked: tokens are issued by the provider's
 * token endpoint after a person (scripted with {@link TestUserAgent}) signs in and consents on the provider's own
 * interaction pages (its `devInteractions` login and consent forms, and its device-flow code pages).
 *
 * Which token docket accepts: a JWT **access token** whose `aud` is docket's API, issued through RFC 8707 resource
 * indicators with `accessTokenFormat: 'jwt'` (RFC 9068 `at+jwt`). An access token is what a client presents to an
 * API; an ID token is addressed to the client (aud = client_id) and says nothing about which API may accept it.
 * Using access tokens lets the CLI, the browser UI and any other client share one audience, and lets the provider
 * refuse a token meant for another API to be replayed at docket. Groups reach the token via `extraTokenClaims`.
 *
 * @example
 * const idp = await startTestProvider();
 * const token = await idp.tokenFor('alice'); // device authorization grant, completed over HTTP
 * const verifier = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience });
 * await idp.stop();
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration, errors, type JWK } from 'oidc-provider';
import { type Page, parseForms, TestUserAgent } from './user-agent.js';

/** A person who can sign in at the test provider. */
export interface TestAccount {
  readonly id: string;
  readonly groups: readonly string[];
  readonly name?: string;
}

/** alice approves, bob is risk, carol/dave/erin form the committee (materiality classes 1, 2, 3). */
export const DEFAULT_TEST_ACCOUNTS: readonly TestAccount[] = Object.freeze([
  { id: 'alice', groups: ['approvers'], name: 'Alice Approver' },
  { id: 'bob', groups: ['risk'], name: 'Bob Risk' },
  { id: 'carol', groups: ['committee'], name: 'Carol Committee' },
  { id: 'dave', groups: ['committee'], name: 'Dave Committee' },
  { id: 'erin', groups: ['committee'], name: 'Erin Committee' },
]);

/** Options of {@link startTestProvider}; every field has a sensible default. */
export interface TestProviderOptions {
  /** The resource indicator (and so `aud`) of docket's API (default `urn:docket:api`). */
  readonly audience?: string;
  /** Other APIs tokens may be requested for, e.g. to replay one at docket (default `urn:example:other-api`). */
  readonly otherAudiences?: readonly string[];
  readonly accounts?: readonly TestAccount[];
  /** Lifetime of access tokens (default 600). */
  readonly accessTokenTtlSeconds?: number;
  /** How access tokens are signed (default RS256). */
  readonly signingAlg?: 'RS256' | 'PS256' | 'ES256';
  /** Extra clients, e.g. the browser UI test's client with its redirect URI. */
  readonly clients?: readonly ClientMetadata[];
}

/** Which grant {@link TestProvider.tokenFor} goes through, and for which API. */
export interface TokenRequestOptions {
  /** `device_code` (default: what `docket login` does) or `authorization_code` with PKCE (what a browser does). */
  readonly grant?: 'device_code' | 'authorization_code';
  /** The resource indicator to ask for (default: docket's audience). */
  readonly resource?: string;
}

/** RFC 8628 §3.2 device authorization response, camel-cased. */
export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string;
  readonly expiresIn: number;
}

/** A running test provider. */
export interface TestProvider {
  readonly issuer: string;
  readonly audience: string;
  /** Public client for the device authorization grant (the CLI). */
  readonly deviceClientId: string;
  /** Public client for authorization code + PKCE, and its redirect URI (never actually fetched). */
  readonly webClientId: string;
  readonly webRedirectUri: string;
  readonly accounts: readonly TestAccount[];
  /** Every request the provider received, as `METHOD /path` (no query): lets tests prove what was not fetched. */
  readonly requests: readonly string[];
  /** A JWT access token for docket's API, obtained by signing in as `accountId` through a real grant. */
  tokenFor(accountId: string, options?: TokenRequestOptions): Promise<string>;
  /** The CLI's first step of the device grant (RFC 8628 §3.1). */
  startDeviceAuthorization(options?: { clientId?: string; resource?: string }): Promise<DeviceAuthorization>;
  /** The person's side of the device grant: open the verification URI, confirm the code, sign in, consent. */
  approveDevice(verificationUriComplete: string, accountId: string): Promise<void>;
  /** The CLI's polling step (RFC 8628 §3.4), returning the access token. */
  pollDeviceToken(deviceCode: string, options?: { clientId?: string; resource?: string }): Promise<string>;
  /** Replaces the signing keys with new ones (new kids), keeping the old ones published; returns the new kids. */
  rotateKeys(): Promise<readonly string[]>;
  stop(): Promise<void>;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const SCOPE = 'openid profile groups docket';

function generateSigningKeys(): JWK[] {
  const tag = randomBytes(4).toString('hex');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [{ ...rsa, kid: `rsa-${tag}`, use: 'sig' } as JWK, { ...ec, kid: `ec-${tag}`, use: 'sig' } as JWK];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

async function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, json: await response.json() };
}

function field(json: unknown, name: string): string {
  const value = (json as Record<string, unknown> | null)?.[name];
  if (typeof value !== 'string') throw new Error(`provider response lacks ${name}: ${JSON.stringify(json)}`);
  return value;
}

/**
 * Starts a real OpenID Provider on 127.0.0.1 (ephemeral port) with its own RS256/ES256 JWKS, a device-flow
 * client, an authorization-code client, and the test accounts. Stop it with `stop()`.
 */
export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  const audience = options.audience ?? 'urn:docket:api';
  const resources = new Set([audience, ...(options.otherAudiences ?? ['urn:example:other-api'])]);
  const accounts = new Map((options.accounts ?? DEFAULT_TEST_ACCOUNTS).map((a) => [a.id, a]));
  const ttl = options.accessTokenTtlSeconds ?? 600;
  const signingAlg = options.signingAlg ?? 'RS256';
  const deviceClientId = 'docket-cli';
  const webClientId = 'docket-web';
  const webRedirectUri = 'http://127.0.0.1/docket-test-callback';
  const cookieKeys = [randomBytes(32).toString('hex')];

  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration = (keys: JWK[]): Configuration => ({
    clients: [
      {
        client_id: deviceClientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: [DEVICE_GRANT, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: webClientId,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [webRedirectUri],
      },
      ...(options.clients ?? []),
    ],
    jwks: { keys },
    cookies: { keys: cookieKeys },
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: account.name, groups: [...account.groups] }),
      };
    },
    // RFC 9068 JWT access tokens carry only standard claims; groups are added here, as IdPs do for APIs.
    async extraTokenClaims(_ctx, token) {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const account = accountId ? accounts.get(accountId) : undefined;
      return account ? { groups: [...account.groups] } : undefined;
    },
    features: {
      devInteractions: { enabled: true },
      // The pages wrap the provider's own device forms (`form`); only the surrounding HTML is ours.
      deviceFlow: {
        enabled: true,
        userCodeInputSource(ctx, form, _out, err) {
          const message = err
            ? '<p class="error">The code is not valid.</p>'
            : '<p>Enter the code shown.</p>';
          ctx.body = page(
            'Sign-in',
            `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
          );
        },
        userCodeConfirmSource(ctx, form, _client, _deviceInfo, userCode) {
          const code = `<p>Confirm the code <code>${escapeHtml(userCode)}</code> is shown on your device.</p>`;
          ctx.body = page(
            'Confirm device',
            `${code}${form}<button type="submit" form="op.deviceConfirmForm">Continue</button>`,
          );
        },
        successSource(ctx) {
          ctx.body = page('Sign-in Success', '<p>Your sign-in was successful; you can close this page.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? audience,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource) {
          if (!resources.has(resource)) throw new errors.InvalidTarget();
          return {
            scope: 'docket',
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ttl,
            jwt: { sign: { alg: signingAlg } },
          };
        },
      },
    },
    ttl: {
      AccessToken: ttl,
      AuthorizationCode: 60,
      ClientCredentials: ttl,
      DeviceCode: 600,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 3600,
      Session: 3600,
    },
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  });

  let keys = generateSigningKeys();
  const install = () => {
    const provider = new Provider(issuer, configuration(keys));
    handler = provider.callback();
  };
  install();

  const requireAccount = (accountId: string) => {
    if (!accounts.has(accountId)) throw new Error(`no test account ${JSON.stringify(accountId)}`);
  };

  // Plays the person at the provider's pages: sign-in form (login + password), consent form, device-code forms
  // and the auto-submitting form_post page, until a page without a form or the intercepted redirect.
  async function actAsPerson(
    ua: TestUserAgent,
    first: Page,
    accountId: string,
    intercept?: (u: URL) => boolean,
  ) {
    let page = first;
    for (let step = 0; step < 12; step += 1) {
      if (page.interceptedRedirect) return page;
      if (page.status >= 400)
        throw new Error(`provider answered ${page.status} at ${page.url.href}: ${page.body}`);
      const [form] = parseForms(page.body, page.url);
      if (!form) return page;
      const values =
        'login' in form.fields ? { login: accountId, password: 'not-checked-by-dev-interactions' } : {};
      page = await ua.submit(form, values, intercept);
    }
    throw new Error(`sign-in as ${accountId} did not finish at ${page.url.href}`);
  }

  const startDeviceAuthorization: TestProvider['startDeviceAuthorization'] = async (request = {}) => {
    const { status, json } = await postForm(`${issuer}/device/auth`, {
      client_id: request.clientId ?? deviceClientId,
      scope: SCOPE,
      resource: request.resource ?? audience,
    });
    if (status !== 200) throw new Error(`device authorization failed (${status}): ${JSON.stringify(json)}`);
    return {
      deviceCode: field(json, 'device_code'),
      userCode: field(json, 'user_code'),
      verificationUri: field(json, 'verification_uri'),
      verificationUriComplete: field(json, 'verification_uri_complete'),
      expiresIn: Number((json as Record<string, unknown>).expires_in),
    };
  };

  const approveDevice: TestProvider['approveDevice'] = async (verificationUriComplete, accountId) => {
    requireAccount(accountId);
    const ua = new TestUserAgent();
    const page = await actAsPerson(ua, await ua.navigate(new URL(verificationUriComplete)), accountId);
    if (!/Sign-in Success/i.test(page.body)) {
      throw new Error(
        `device approval as ${accountId} ended on an unexpected page: ${page.body.slice(0, 300)}`,
      );
    }
  };

  const pollDeviceToken: TestProvider['pollDeviceToken'] = async (deviceCode, request = {}) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { status, json } = await postForm(`${issuer}/token`, {
        grant_type: DEVICE_GRANT,
        device_code: deviceCode,
        client_id: request.clientId ?? deviceClientId,
        resource: request.resource ?? audience,
      });
      if (status === 200) return field(json, 'access_token');
      const error = (json as Record<string, unknown> | null)?.error;
      if (error !== 'authorization_pending' && error !== 'slow_down') {
        throw new Error(`device token request failed (${status}): ${JSON.stringify(json)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('device token still pending after 10 s');
  };

  async function authorizationCodeToken(accountId: string, resource: string): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const authorize = new URL(`${issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: webClientId,
      response_type: 'code',
      redirect_uri: webRedirectUri,
      scope: SCOPE,
      resource,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const ua = new TestUserAgent();
    const atCallback = (u: URL) => u.href.startsWith(webRedirectUri);
    const page = await actAsPerson(ua, await ua.navigate(authorize, {}, atCallback), accountId, atCallback);
    const callback = page.interceptedRedirect;
    if (!callback || callback.searchParams.get('state') !== state) {
      throw new Error(
        `authorization as ${accountId} did not come back with our state: ${page.body.slice(0, 300)}`,
      );
    }
    const code = callback.searchParams.get('code');
    if (!code) throw new Error(`authorization failed: ${callback.search}`);
    const { status, json } = await postForm(`${issuer}/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: webRedirectUri,
      code_verifier: verifier,
      client_id: webClientId,
      resource,
    });
    if (status !== 200) throw new Error(`code exchange failed (${status}): ${JSON.stringify(json)}`);
    return field(json, 'access_token');
  }

  return {
    issuer,
    audience,
    deviceClientId,
    webClientId,
    webRedirectUri,
    accounts: [...accounts.values()],
    requests,
    async tokenFor(accountId, request = {}) {
      requireAccount(accountId);
      const resource = request.resource ?? audience;
      if (request.grant === 'authorization_code') return authorizationCodeToken(accountId, resource);
      const device = await startDeviceAuthorization({ resource });
      await approveDevice(device.verificationUriComplete, accountId);
      return pollDeviceToken(device.deviceCode, { resource });
    },
    startDeviceAuthorization,
    approveDevice,
    pollDeviceToken,
    async rotateKeys() {
      // The provider's keystore is fixed at construction, so rotation is a new Provider instance behind the
      // same listener: new keys first (they sign), old ones still published (tokens already issued verify).
      const fresh = generateSigningKeys();
      keys = [...fresh, ...keys];
      install();
      return fresh.map((k) => k.kid as string);
    },
    async stop() {
      handler = undefined;
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
