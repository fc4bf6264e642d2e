import type { ApprovalsContext } from '../approvals/requests/index.js';
import type { AnchorTarget } from '../audit/anchor/index.js';
import { DocketError } from '../errors/index.js';
import type { PromotionContext } from '../promotion/index.js';
import { ServerErrorCode } from './errors.js';

/**
 * What the server serves: the approvals context (ledger, artefact store, token verifier), the promotion context and
 * the anchor targets.
 */
export interface DocketServices {
  readonly approvals: ApprovalsContext;
  /**
   * The registry promotions move. With it, the decision that completes a request's approvals runs the promotion gate
   * at once (DESIGN.md "The approval click is the promotion") and `POST /api/v1/requests/:id/promotion` works;
   * without it decisions only record, and that route answers ERR_SERVER_PROMOTION_NOT_CONFIGURED.
   */
  readonly promotion?: PromotionContext;
  /** Where checkpoints are anchored; the log status page shows the last anchor found there. */
  readonly anchors?: readonly AnchorTarget[];
}

/** The approver UI's client at the OpenID Provider: authorization code with PKCE (RFC 7636, S256). */
export interface LoginOptions {
  /** One of the issuers the identity verifier trusts. */
  readonly issuer: string;
  readonly clientId: string;
  /** For a confidential client (client_secret_post); a public client sends none and relies on PKCE. */
  readonly clientSecret?: string;
  /** RFC 8707 resource indicator: the audience docket's API requires of access tokens. */
  readonly resource: string;
  /** Default `openid profile groups`. */
  readonly scope?: string;
}

/** Size limits of request bodies, in bytes. */
export interface BodyLimits {
  /** JSON and form bodies (default 1 MiB). */
  readonly jsonBytes: number;
  /** Streaming artefact uploads (default 8 GiB). */
  readonly uploadBytes: number;
  /** Evidence served in one view, held in memory to hash it as served (default 64 MiB). */
  readonly viewBytes: number;
}

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The URL people reach the server at (scheme, host, port): redirect URI, Secure cookies, same-origin checks. */
  readonly publicUrl: string;
  /** The approver UI's OpenID Provider client; without it the API works and the UI cannot sign anyone in. */
  readonly login?: LoginOptions;
  readonly limits?: Partial<BodyLimits>;
  /** A session ends after this long without use (default 30 minutes), and when its access token expires. */
  readonly sessionIdleSeconds?: number;
  /** Structured JSON logs (pino) to stdout, or to `stream`; false for none (tests). */
  readonly logger?: boolean | { readonly level?: string; readonly stream?: NodeJS.WritableStream };
}

export const DEFAULT_LIMITS: BodyLimits = Object.freeze({
  jsonBytes: 1024 * 1024,
  uploadBytes: 8 * 1024 * 1024 * 1024,
  viewBytes: 64 * 1024 * 1024,
});

/** The public URL's origin, checked: http or https, no credentials, path, query or fragment. */
export function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw configInvalid(`public URL ${JSON.stringify(value.slice(0, 200))} is not a URL`, cause);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configInvalid('the public URL must be http: or https:');
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw configInvalid('the public URL must have no credentials, query or fragment');
  }
  if (url.pathname !== '/') throw configInvalid('the public URL must be an origin (no path)');
  return url;
}

/** Merges the given limits over the defaults, refusing non-positive or non-integer ones. */
export function resolveLimits(given: Partial<BodyLimits> = {}): BodyLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw configInvalid(`limit ${name} must be a positive integer`);
  }
  return limits;
}

export function configInvalid(message: string, cause?: unknown): DocketError {
  return new DocketError(ServerErrorCode.ConfigInvalid, message, { cause });
}
