import { join } from 'node:path';
import {
  createIdentityVerifier,
  type IdentityVerifier,
  type TokenVerifierConfig,
} from '../identity/index.js';

/** The audience docket's API expects in tokens when the configuration names none. */
export const DEFAULT_AUDIENCE = 'urn:docket:api';

/** One trusted OpenID Provider, as config.json names it. */
export interface OidcProviderConfig {
  issuer: string;
  /** Overrides `identity.audience` for this provider. */
  audience?: string;
  /** The claim holding the subject's groups (default `groups`); the policy maps its values to roles. */
  groupsClaim?: string;
  /** Require this JWT `typ`, e.g. `at+jwt`. */
  tokenType?: string;
}

/** config.json `identity`: which identity providers docket trusts, and whether the demo's dev identity is on. */
export interface IdentityConfig {
  /** The audience (`aud`) tokens must carry: docket's API. */
  audience: string;
  oidc: OidcProviderConfig[];
  /** Dev identity (embedded demo only): its tokens are accepted only with `enabled: true`. */
  dev: { enabled: boolean };
}

type Fail = (why: string) => never;

/** The identity configuration of a home whose config.json has no `identity`: no provider, dev identity off. */
export function defaultIdentityConfig(): IdentityConfig {
  return { audience: DEFAULT_AUDIENCE, oidc: [], dev: { enabled: false } };
}

/** Parses config.json's `identity` section as hostile input (absent: {@link defaultIdentityConfig}). */
export function parseIdentityConfig(value: unknown, fail: Fail): IdentityConfig {
  if (value === undefined) return defaultIdentityConfig();
  const o = object(value, 'identity', fail);
  only(o, ['audience', 'oidc', 'dev'], 'identity', fail);
  const audience = o.audience === undefined ? DEFAULT_AUDIENCE : text(o.audience, 'identity.audience', fail);
  const oidcList = o.oidc ?? [];
  if (!Array.isArray(oidcList)) fail('identity.oidc must be a list of providers');
  const oidc = (oidcList as unknown[]).map((entry, i) => {
    const at = `identity.oidc[${i}]`;
    const p = object(entry, at, fail);
    only(p, ['issuer', 'audience', 'groupsClaim', 'tokenType'], at, fail);
    const provider: OidcProviderConfig = { issuer: text(p.issuer, `${at}.issuer`, fail) };
    if (p.audience !== undefined) provider.audience = text(p.audience, `${at}.audience`, fail);
    if (p.groupsClaim !== undefined) provider.groupsClaim = text(p.groupsClaim, `${at}.groupsClaim`, fail);
    if (p.tokenType !== undefined) provider.tokenType = text(p.tokenType, `${at}.tokenType`, fail);
    return provider;
  });
  const dev = o.dev === undefined ? {} : object(o.dev, 'identity.dev', fail);
  only(dev, ['enabled'], 'identity.dev', fail);
  if (dev.enabled !== undefined && typeof dev.enabled !== 'boolean')
    fail('identity.dev.enabled must be true or false');
  // Only an explicit `true` turns the dev identity on.
  return { audience, oidc, dev: { enabled: dev.enabled === true } };
}

/**
 * The token verifier of a home: its OpenID Providers, and the dev identity (refusing every token unless enabled).
 * Built on first use, so that a provider misconfiguration (ERR_IDENTITY_CONFIG_INVALID) fails the commands that
 * verify tokens, not `docket log verify`.
 */
export function identityVerifierFor(home: string, config: IdentityConfig): IdentityVerifier {
  let verifier: IdentityVerifier | undefined;
  const build = (): IdentityVerifier => {
    verifier ??= buildVerifier(home, config);
    return verifier;
  };
  return {
    get issuers() {
      return build().issuers;
    },
    verify: async (token) => build().verify(token),
  };
}

function buildVerifier(home: string, config: IdentityConfig): IdentityVerifier {
  const oidc: TokenVerifierConfig[] = config.oidc.map((p) => ({
    issuer: p.issuer,
    audience: p.audience ?? config.audience,
    ...(p.groupsClaim === undefined ? {} : { groupsClaim: p.groupsClaim }),
    ...(p.tokenType === undefined ? {} : { tokenType: p.tokenType }),
  }));
  return createIdentityVerifier({
    oidc,
    dev: { enabled: config.dev.enabled, keyDir: devKeyDir(home), audience: config.audience },
  });
}

/** Where the dev-identity key lives: the home's key directory (0700, created by docket init). */
export function devKeyDir(home: string): string {
  return join(home, 'keys');
}

function object(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`${path} must be an object`);
  return value as Record<string, unknown>;
}

function only(obj: Record<string, unknown>, allowed: string[], path: string, fail: Fail): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) fail(`unknown field ${path}.${key}`);
}

function text(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    return fail(`${path} must be a non-empty string`);
  }
  return value;
}
