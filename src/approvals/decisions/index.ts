export type { DecideInput, DecisionOutcome } from './decide.js';
export { decide } from './decide.js';
export { DecisionErrorCode } from './errors.js';
