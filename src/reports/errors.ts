/**
 * Stable codes of the errors the report loaders and renderers throw, each a {@link DocketError} whose `details`
 * name the input: `file` (the source name the caller gave, e.g. the path on the command line) and `field` (a JSON
 * pointer into that file, `''` for the whole document). Rendering never throws for well-formed inputs.
 *
 * @example
 * try { await loadComparisonInputs(files) } catch (err) {
 *   if (isDocketError(err, REPORT_ERRORS.INPUT_INVALID)) showField(err.details.file, err.details.field);
 * }
 */
export const REPORT_ERRORS = {
  /** An input file cannot be read (missing, a directory, permissions); `cause` holds the system error. */
  INPUT_UNREADABLE: 'ERR_REPORT_INPUT_UNREADABLE',
  /** An input file is larger than the loaders accept (`details.maxBytes`). */
  INPUT_TOO_LARGE: 'ERR_REPORT_INPUT_TOO_LARGE',
  /** An input file is not UTF-8 JSON text (`details.field` is `''`). */
  INPUT_NOT_JSON: 'ERR_REPORT_INPUT_NOT_JSON',
  /** An input is JSON but a field is missing, of the wrong type, out of range or unsupported; `details.field` says which. */
  INPUT_INVALID: 'ERR_REPORT_INPUT_INVALID',
  /** The inputs contradict each other (versions, datasets or values that differ between the manifest, metrics and PSI). */
  INPUTS_INCONSISTENT: 'ERR_REPORT_INPUTS_INCONSISTENT',
  /** The rendered report could not be written (`details.path`); `cause` holds the system error. */
  WRITE_FAILED: 'ERR_REPORT_WRITE_FAILED',
} as const;

/** One of the {@link REPORT_ERRORS} codes. */
export type ReportErrorCode = (typeof REPORT_ERRORS)[keyof typeof REPORT_ERRORS];
