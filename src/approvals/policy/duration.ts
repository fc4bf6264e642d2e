import type { Policy } from './types.js';

const DURATION = /^P(?:([0-9]{1,4})D)?(?:T(?=[0-9])(?:([0-9]{1,4})H)?(?:([0-9]{1,6})M)?)?$/;
const MINUTE_MS = 60_000;

/** Shortest request lifetime a policy may set: one minute. */
export const MIN_REQUEST_EXPIRY_MS = MINUTE_MS;
/** Longest request lifetime a policy may set: 366 days. */
export const MAX_REQUEST_EXPIRY_MS = 366 * 24 * 60 * MINUTE_MS;

/**
 * Milliseconds in an ISO 8601 duration limited to days, hours and minutes (`P14D`, `PT72H`, `P1DT12H30M`);
 * undefined for anything else. Days are 24 hours: months and years are refused because their length varies.
 */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null || text === 'P') return undefined;
  const [, days = '0', hours = '0', minutes = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * MINUTE_MS;
}

/**
 * How long a request opened under `policy` stays open, in milliseconds.
 *
 * @example
 * const expiresAt = openedAt + requestExpiryMs(policy);
 */
export function requestExpiryMs(policy: Policy): number {
  const ms = durationMs(policy.requests.expiresAfter);
  // A validated policy always holds a parseable duration; refuse to guess for one that does not.
  if (ms === undefined) throw new RangeError(`not a policy duration: ${policy.requests.expiresAfter}`);
  return ms;
}
