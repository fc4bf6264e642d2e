/**
 * Who someone is, as far as docket is concerned: the identity provider that vouches for them and the subject it
 * assigned. Never a display name or an email, which change and are reused.
 */
export interface Identity {
  readonly issuer: string;
  readonly subject: string;
}

/**
 * What a decision record stores about the token that authenticated it: enough to show which key of which issuer
 * vouched for whom and when, and a digest that lets the holder of the token prove it was this one. Never the token.
 */
export interface TokenEvidence {
  readonly alg: string;
  readonly kid: string;
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly iat: number;
  readonly exp: number;
  readonly jti?: string;
  /** `sha256:<hex>` of the token's UTF-8 bytes. */
  readonly tokenDigest: string;
  /** True when the token came from the embedded demo's dev-identity issuer, so every record says so. */
  readonly dev: boolean;
}

/** An identity whose token verified, with the groups the issuer asserted and the evidence to record. */
export interface VerifiedIdentity extends Identity {
  /** Values of the configured groups claim; empty when the token carries none. Mapping to roles is policy's job. */
  readonly groups: readonly string[];
  /** The audience this verifier required and the token carries. */
  readonly audience: string;
  readonly expiresAt: Date;
  readonly issuedAt: Date;
  /** The token's `jti`, when it has one. */
  readonly tokenId?: string;
  readonly tokenEvidence: TokenEvidence;
  /** True for dev-identity tokens (embedded demo only). */
  readonly dev: boolean;
}

/** Anything that turns a bearer token into a verified identity or throws a coded DocketError. */
export interface TokenVerifier {
  /** The issuers whose tokens this verifier accepts. */
  readonly issuers: readonly string[];
  verify(token: string): Promise<VerifiedIdentity>;
}

/**
 * A stable string for "one identity counts once" comparisons: two identities are the same person exactly when
 * their keys are equal. Exact, case-sensitive comparison of issuer and subject (OIDC Core §5.7: `sub` is unique
 * only within its issuer); injective because it is the JSON of the pair.
 *
 * @example
 * const approvers = new Set(decisions.map((d) => identityKey(d.identity)));
 */
export function identityKey(identity: Identity): string {
  return JSON.stringify([identity.issuer, identity.subject]);
}
