export { DocketError, isDocketError } from './docket-error.js';
