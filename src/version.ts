/** docket's own version, recorded in promotion events. Kept equal to package.json by a test. */
export const DOCKET_VERSION = '0.1.0';
