import { durationMs, MAX_REQUEST_EXPIRY_MS, MIN_REQUEST_EXPIRY_MS } from './duration.js';
import { pointerToken } from './json-data.js';
import type { SchemaIssue } from './schema-validator.js';
import { MATERIALITY_CLASSES, type Policy } from './types.js';

/**
 * What the schema cannot say: roles every rule uses are granted by some claim, quorums fit, approver counts can
 * be met, a higher class never asks for less than a lower one, and the limits make sense together.
 */
export function consistencyIssues(policy: Policy): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const granted = new Set(Object.values(policy.identity.mapping).flat());

  for (const materiality of MATERIALITY_CLASSES) {
    const rule = policy.classes[materiality];
    const base = `/classes/${materiality}`;
    let slots = 0;
    for (const [role, minimum] of Object.entries(rule.requiredRoles)) {
      const path = `${base}/requiredRoles/${pointerToken(role)}`;
      if (!granted.has(role))
        add(path, `role "${role}" is granted by no identity.mapping entry, so no one can hold it`);
      if (minimum > rule.approvers)
        add(
          path,
          `needs ${minimum} approvers holding "${role}" but the class needs only ${rule.approvers} approvers`,
        );
      slots += minimum;
    }
    const committee = rule.committee;
    if (committee !== undefined) {
      if (!granted.has(committee.role)) {
        add(
          `${base}/committee/role`,
          `role "${committee.role}" is granted by no identity.mapping entry, so no one can hold it`,
        );
      }
      if (committee.quorum > rule.approvers) {
        add(
          `${base}/committee/quorum`,
          `quorum ${committee.quorum} exceeds the ${rule.approvers} approvers the class needs`,
        );
      }
      if (committee.size !== undefined && committee.quorum > committee.size) {
        add(
          `${base}/committee/quorum`,
          `quorum ${committee.quorum} exceeds the committee size ${committee.size}`,
        );
      }
      slots += committee.quorum;
    }
    if (policy.separationOfDuties.oneSlotPerApprover && slots > rule.approvers) {
      add(
        `${base}/approvers`,
        `${rule.approvers} approvers cannot fill ${slots} required slots when each approver fills one (separationOfDuties.oneSlotPerApprover)`,
      );
    }
    const lower = materiality === 1 ? undefined : policy.classes[materiality === 2 ? 1 : 2];
    if (lower !== undefined) {
      if (rule.approvers < lower.approvers) {
        add(
          `${base}/approvers`,
          `class ${materiality} needs fewer approvers (${rule.approvers}) than class ${materiality - 1} (${lower.approvers})`,
        );
      }
      const missing = lower.evidence.filter((kind) => !rule.evidence.includes(kind));
      if (missing.length > 0) {
        add(
          `${base}/evidence`,
          `class ${materiality} must require at least the evidence of class ${materiality - 1}; missing ${missing.join(', ')}`,
        );
      }
    }
  }
  // DESIGN.md principle 4: class 2 = two approvers, one from risk; class 3 = full committee.
  const classTwo = policy.classes[2];
  if (classTwo.approvers < 2) add('/classes/2/approvers', 'class 2 needs at least two approvers');
  if (Object.keys(classTwo.requiredRoles).length === 0) {
    add('/classes/2/requiredRoles', 'class 2 must require at least one role (e.g. { risk: 1 })');
  }
  if (policy.classes[3].committee === undefined)
    add('/classes/3', 'class 3 must name a committee (role and quorum)');

  for (const [metric, envelope] of Object.entries(policy.drift.metrics)) {
    if (envelope.maxAbsoluteChange !== undefined && envelope.maxAbsoluteChange < envelope.maxAdverseChange) {
      add(
        `/drift/metrics/${pointerToken(metric)}/maxAbsoluteChange`,
        `maxAbsoluteChange ${envelope.maxAbsoluteChange} is below maxAdverseChange ${envelope.maxAdverseChange}, which could then never apply`,
      );
    }
  }

  const expiry = durationMs(policy.requests.expiresAfter);
  if (expiry === undefined || expiry < MIN_REQUEST_EXPIRY_MS || expiry > MAX_REQUEST_EXPIRY_MS) {
    add('/requests/expiresAfter', `${policy.requests.expiresAfter} is outside 1 minute to 366 days`);
  }
  return issues;
}
