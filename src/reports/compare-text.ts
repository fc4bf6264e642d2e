/**
 * Orders strings by UTF-16 code units, the same on every machine and locale (`localeCompare` is not: it depends
 * on the ICU data and locale of the process, and a report's bytes must not).
 */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
