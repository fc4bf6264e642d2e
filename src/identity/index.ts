export { DEFAULT_ALGORITHMS } from './algorithms.js';
export {
  createDevIdentityIssuer,
  createDevTokenVerifier,
  DEV_GROUPS_CLAIM,
  DEV_ISSUER,
  type DevIdentityIssuer,
  type DevTokenRequest,
  type DevTokenVerifier,
  type DevTokenVerifierConfig,
} from './dev-identity.js';
export { DEV_KEY_FILE } from './dev-key-file.js';
export { type DiscoveryDocument, type DiscoveryOptions, discoverIssuer } from './discovery.js';
export { IdentityErrorCode } from './errors.js';
export {
  type Identity,
  identityKey,
  type TokenEvidence,
  type TokenVerifier,
  type VerifiedIdentity,
} from './identity.js';
export {
  createIdentityVerifier,
  type IdentityVerifier,
  type IdentityVerifierConfig,
} from './identity-verifier.js';
export { createTokenVerifier, type OidcTokenVerifier, type TokenVerifierConfig } from './token-verifier.js';
