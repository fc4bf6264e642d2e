import type { Policy } from './types.js';

/**
 * The docket roles an identity holds under `policy`: every role that any of its claim values (groups, from the
 * claim `policy.identity.claim`) maps to, distinct and sorted. A value the mapping does not name grants nothing;
 * lookups never reach `Object.prototype`, so a group called `constructor` or `__proto__` grants nothing either.
 *
 * @example
 * rolesForGroups(policy, identity.groups); // ['committee', 'risk']
 */
export function rolesForGroups(policy: Policy, groups: readonly string[]): readonly string[] {
  const mapping = policy.identity.mapping;
  const roles = new Set<string>();
  for (const group of Array.isArray(groups) ? groups : []) {
    if (typeof group !== 'string' || !Object.hasOwn(mapping, group)) continue;
    for (const role of mapping[group] ?? []) roles.add(role);
  }
  return Object.freeze([...roles].sort());
}
