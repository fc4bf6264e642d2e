import canonicalizeModule from 'canonicalize';
import { type Sha256Digest, sha256Digest } from './sha256-digest.js';
import type { Policy } from './types.js';

// canonicalize@2 is CommonJS (`module.exports = serialize`) while its types declare `export default`: under
// NodeNext the default import is the function at run time but typed as the module namespace.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/**
 * The digest a classification cites: sha256 of the RFC 8785 (JCS) canonical JSON of a validated policy (defaults
 * filled in), so YAML comments, key order, quoting and layout never change it.
 *
 * @example
 * const { policy, digest } = loadPolicy(text);
 * digestPolicy(policy) === digest; // true
 */
export function digestPolicy(policy: Policy): Sha256Digest {
  const canonical = canonicalize(policy);
  if (canonical === undefined) throw new TypeError('a policy object always has a canonical form');
  return sha256Digest(canonical);
}
